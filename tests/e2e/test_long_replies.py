"""Long replies are split, never cut: under 4,096 UTF-16 units on Telegram and 2,000 characters
on Discord, at line breaks where possible, never inside an HTML tag, an entity, a markdown
escape or a bold run. Properties of the splitter with each platform's real markup, then a
/mypenpals far longer than one message on both fake platforms."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app.config import Config
from bot.domain.text import split_rendered, utf16_units
from cogs import render as discord_render
from conversations import render as telegram_render
from sandbox.fake_discord import FakeDiscord, Posted
from sandbox.fake_telegram import FakeTelegram, check_html, html_to_text
from tests.e2e.conftest import discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    as_posted,
    seed_registry,
)
from tests.e2e.helpers import DISCORD_ANN as ANN_DISCORD

HOSTILE = st.sampled_from(
    [*"<>&*_~`|[]()\\#@\n ", "@everyone", "<@&123>", "\u202e", "\u200b", "👩🏽‍🦱", "e\u0301",
     "**", "&amp;", "<b>", "\x07", "ﬁ"]
)  # fmt: skip
SEGMENTS = st.lists(
    st.tuples(st.lists(HOSTILE | st.characters(), max_size=60).map("".join), st.booleans()),
    min_size=1,
    max_size=30,
)


def squeezed(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=300, deadline=None)
@given(SEGMENTS, st.integers(min_value=24, max_value=400))
def test_telegram_pieces_are_valid_html_within_the_limit(
    segments: list[tuple[str, bool]], limit: int
) -> None:
    escaped = [html.escape(text, quote=False) for text, _ in segments]
    rendered = "".join(
        f"<b>{e}</b>" if bold else e for e, (_, bold) in zip(escaped, segments, strict=True)
    )
    pieces = split_rendered(rendered, limit, telegram_render.MARKUP)
    for piece in pieces:
        assert utf16_units(piece) <= limit
        check_html(piece)  # raises like Telegram's "can't parse entities"
    visible = "".join(html_to_text(p) for p in pieces)
    assert squeezed(visible) == squeezed(html_to_text(rendered))


def _visible_markdown(text: str) -> str:
    return "".join(a for a in discord_render.MARKUP.atoms.findall(text) if a != "**")


@settings(max_examples=300, deadline=None)
@given(SEGMENTS, st.integers(min_value=16, max_value=400))
def test_discord_pieces_keep_escapes_and_bold_whole(
    segments: list[tuple[str, bool]], limit: int
) -> None:
    escaped = [discord_render._escape(text) for text, _ in segments]
    rendered = "".join(
        f"**{e}**" if bold else e for e, (_, bold) in zip(escaped, segments, strict=True)
    )
    pieces = split_rendered(rendered, limit, discord_render.MARKUP)
    for piece in pieces:
        assert len(piece) <= limit
        atoms = discord_render.MARKUP.atoms.findall(piece)
        assert atoms.count("**") % 2 == 0  # bold closed in the piece that opened it
    visible = "".join(_visible_markdown(p) for p in pieces)
    assert squeezed(visible) == squeezed(_visible_markdown(rendered))


def test_short_text_is_one_piece_and_the_cut_prefers_line_breaks() -> None:
    assert telegram_render.pieces("Hello <b>Ann</b>") == ["Hello <b>Ann</b>"]
    lines = "\n".join(f"line {i:03d} " + "x" * 30 for i in range(300))
    pieces = telegram_render.pieces(lines)
    assert len(pieces) == 3 and all(p.endswith("\n") for p in pieces[:-1])
    assert "".join(pieces) == lines
    bold = "<b>" + "word " * 2000 + "</b>"
    first, second, *_ = telegram_render.pieces(bold)
    assert first.endswith("</b>") and second.startswith("<b>")
    parts = discord_render.pieces("**" + "a b " * 1500 + "**")  # 6,004 characters
    assert len(parts) == 4 and all(len(p) <= 2000 and p.count("**") == 2 for p in parts)


RULES = "\n".join(
    f"Rule {i}: no <glitter> & no stickers, *plain* paper only; envelopes under 1 oz."
    for i in range(70)
)


def long_rules(db_path: Path) -> None:
    """Mail rules far longer than one message (a coordinator pasted the facility's handbook)."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE facilities SET mail_rules = ?", (RULES,))
    conn.close()


async def test_telegram_mypenpals_longer_than_one_message(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    long_rules(db_path)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        await ann_matched_on_telegram(tg)
        while "Rule 69" not in html_to_text((await tg.next_sent(ANN.id)).text):
            pass  # the rest of the details sent at the confirmation
        await tg.user_says(ANN, "/mypenpals")
        parts = [await tg.next_sent(ANN.id)]
        while "Rule 69" not in html_to_text(parts[-1].text):
            parts.append(await tg.next_sent(ANN.id))
        assert len(parts) >= 2 and not tg.refused  # every part accepted by the server
        assert all(utf16_units(html_to_text(p.text)) <= 4096 for p in parts)
        joined = "".join(html_to_text(p.text) for p in parts)
        assert squeezed(RULES) in squeezed(joined)
        assert query(db_path, "SELECT COUNT(*) FROM matches WHERE status = 'active'") == [(1,)]


async def test_discord_mypenpals_longer_than_one_message(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    long_rules(db_path)
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        await ann_matched_on_discord(dc, discord_coordinator(dc))
        mark = len(dc.posted)
        first = as_posted(await dc.slash(ANN_DISCORD, "mypenpals"))
        assert first.ephemeral

        def replies() -> list[Posted]:
            return [p for p in dc.posted[mark:] if p.where in ("interaction", "followup")]

        await dc.wait_until(lambda: any("Rule 69" in p.content for p in replies()))
        parts = replies()
        assert len(parts) >= 3 and all(len(p.content) <= 2000 for p in parts)
        assert all(p.ephemeral for p in parts)
        text = "".join(_visible_markdown(p.content) for p in parts)
        assert squeezed(RULES) in squeezed(text.replace("\\", ""))  # without the escapes

"""/pause, /resume, /mydata and /forgetme end to end on both fake platforms: private answers,
the coordinators told, the export as a private file, a forged erase button refused, and after
erasure her name, handle and ids gone from the raw database file and its WAL."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, FakeUser, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    EVE,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    answer_until_consent,
    as_posted,
    assert_no_canary,
    on_disk,
    press,
    say,
    seed_registry,
)

START = datetime(2026, 11, 28, 12, tzinfo=UTC)
ZED = FakeUser(7100234567, "Zed", "zq_writer_handle")
ZED_NAME = "Zephyrine Quillfeather"


async def test_telegram_pause_resume_mydata_and_forgetme(
    tg: FakeTelegram,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), clock):
        await ann_matched_on_telegram(tg, ZED, ZED_NAME)

        assert "/pause for a break" in (await say(tg, ZED, "/pause 1 2")).text
        assert "A date after today" in (await say(tg, ZED, "/pause yesterday")).text
        paused = html_to_text((await say(tg, ZED, "/pause 2026-12-05")).text)
        assert "on a break until Saturday 5 December" in paused
        told = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert f"{ZED_NAME} is on a break until Saturday 5 December." in told
        assert query(db_path, "SELECT status, paused_until FROM volunteers") == [
            ("paused", "2026-12-05")
        ]
        assert "Welcome back" in (await say(tg, ZED, "/resume")).text
        assert "not on a break" in (await say(tg, ZED, "/resume")).text
        assert "is back from a break" in (await tg.next_sent(COORDINATOR.id)).text

        await tg.user_says(ZED, "/mydata")
        document = await tg.next_message(ZED.id)
        assert document.kind == "document" and document.document is not None
        filename, content = document.document
        assert filename == "my-data-2026-11-28.json"
        record = json.loads(content)
        assert record["volunteer"]["display_name"] == ZED_NAME
        assert record["matches"][0]["penpal"] == "Vella"
        assert_no_canary([content.decode()])
        stranger = await say(tg, EVE, "/mydata")
        assert "haven't signed up" in stranger.text

        ask = await say(tg, ZED, "/forgetme")
        assert "Erase everything?" in html_to_text(ask.text)
        forged = await tg.user_presses(EVE, ask, ask.button("Erase everything")["callback_data"])
        assert "expired" in (await tg.callback_answer(forged))["text"]
        assert ZED_NAME.encode() in on_disk(db_path)
        await press(tg, ZED, ask, "Erase everything")
        done = await tg.next_sent(ZED.id)
        assert "your personal data is erased" in done.text
        erased = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert "erased her personal data" in erased and "Vella" in erased
        assert "haven't signed up" in (await say(tg, ZED, "/mydata")).text

        raw = on_disk(db_path)
        for canary in (ZED_NAME, ZED.username, str(ZED.id)):
            assert canary.encode() not in raw, canary
    # Her confirmed match ended; the proposal the coordinator had not decided was withdrawn.
    assert query(db_path, "SELECT status, end_reason FROM matches ORDER BY id") == [
        ("ended", "volunteer left"), ("skipped", None),
    ]  # fmt: skip
    assert query(db_path, "SELECT status FROM penpals WHERE preferred_name = 'Vella'") == [
        ("waiting",)
    ]
    assert_no_canary([record.getMessage() for record in caplog.records])
    assert not any(ZED_NAME in record.getMessage() for record in caplog.records)


async def test_discord_pause_mydata_and_forgetme_are_private(
    dc: FakeDiscord,
    make_config: Callable[..., Config],
    db_path: Path,
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    coordinator = discord_coordinator(dc)
    eve = Member(310000000000000002, "eve")
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc), clock):
        await ann_matched_on_discord(dc, coordinator)
        until = [{"type": 3, "name": "until", "value": "2026-12-24"}]
        paused = as_posted(await dc.slash(DISCORD_ANN, "pause", until))
        assert paused.ephemeral and "on a break until **Thursday 24 December**" in paused.content
        alert = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id,
                                     after=dc.posted.index(paused))  # fmt: skip
        assert alert.content == "Ann Writer is on a break until Thursday 24 December."
        resumed = as_posted(await dc.slash(DISCORD_ANN, "resume"))
        assert resumed.ephemeral and "Welcome back" in resumed.content
        alert = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id,
                                     after=dc.posted.index(resumed))  # fmt: skip
        assert "back from a break" in alert.content

        export = as_posted(await dc.slash(DISCORD_ANN, "mydata"))
        assert export.ephemeral and export.where == "interaction"
        ((filename, content),) = export.attachments
        assert filename.endswith(".json")
        assert json.loads(content)["accounts"][0]["user_id"] == str(DISCORD_ANN.id)
        assert_no_canary([content.decode()])

        ask = as_posted(await dc.slash(DISCORD_ANN, "forgetme"))
        assert ask.ephemeral and "Erase everything?" in ask.content
        erase = next(c for c in ask.custom_ids() if c != "penpal:forget:no")
        refused = as_posted(await dc.click(eve, ask, erase))
        assert refused.ephemeral and "expired" in refused.content
        kept = as_posted(await dc.click(DISCORD_ANN, ask, "penpal:forget:no"))
        assert "Nothing was erased" in kept.content
        assert query(db_path, "SELECT COUNT(*) FROM platform_accounts") == [(1,)]
        done = as_posted(await dc.click(DISCORD_ANN, ask, erase))
        assert "your personal data is erased" in done.content

        raw = on_disk(db_path)
        for canary in ("Ann Writer", str(DISCORD_ANN.id)):
            assert canary.encode() not in raw, canary
        again = as_posted(await dc.slash(DISCORD_ANN, "forgetme"))
        assert "haven't signed up" in again.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert_no_canary(public)


async def test_telegram_leave_ticks_matches_then_asks_why(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), FakeClock(START)):
        await ann_matched_on_telegram(tg)
        menu = await say(tg, ANN, "/leave")
        assert "Tick the pen pals" in menu.text and "(0 kept)" in menu.text
        await press(tg, ANN, menu, "✓ Vella")
        unticked = await tg.next_message(ANN.id)
        assert unticked.kind == "edit_text" and "(1 kept)" in unticked.text
        forged = await tg.user_presses(EVE, unticked, unticked.button("No time")["callback_data"])
        assert "haven't signed up" in (await tg.callback_answer(forged))["text"]
        await press(tg, ANN, unticked, "Vella")
        ticked = await tg.next_message(ANN.id)
        assert ticked.button("✓ Vella")
        await press(tg, ANN, ticked, "No time")
        # The answer and the closing-letter notice (from the outbox) come in either order.
        both = [(await tg.next_sent(ANN.id)).text, (await tg.next_sent(ANN.id)).text]
        assert any("You have left the program; 1 match ended" in text for text in both)
        assert any("closing letter" in text and "volunteer stopped" in text for text in both)
        told = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert "Ann Writer left the program (No time)" in told and "Vella" in told
        stale = await tg.user_presses(ANN, ticked, ticked.button("Personal")["callback_data"])
        assert "haven't signed up" in (await tg.callback_answer(stale))["text"]
    assert query(db_path, "SELECT status, left_reason FROM volunteers") == [("left", "time")]
    assert query(db_path, "SELECT status FROM penpals WHERE preferred_name = 'Vella'") == [
        ("waiting",)
    ]


async def test_discord_leave_is_ephemeral_and_tells_the_coordinators(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc), FakeClock(START)):
        await ann_matched_on_discord(dc, coordinator)
        menu = as_posted(await dc.slash(DISCORD_ANN, "leave"))
        assert menu.ephemeral and "(0 kept)" in menu.content
        untick = next(c for c in menu.custom_ids() if c.startswith("penpal:leave:t:"))
        unticked = as_posted(await dc.click(DISCORD_ANN, menu, untick))
        assert "(1 kept)" in unticked.content
        cancel = as_posted(await dc.click(DISCORD_ANN, unticked, "penpal:leave:no:0:0:"))
        assert "Nothing changed" in cancel.content
        menu = as_posted(await dc.slash(DISCORD_ANN, "leave"))
        mark = len(dc.posted)
        done = as_posted(await dc.click(DISCORD_ANN, menu, "penpal:leave:go:1:1:personal"))
        assert "You have left the program" in done.content
        alert = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert "Ann Writer left the program (Personal reasons)" in alert.content
        closing = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "closing letter" in closing.content
    assert query(db_path, "SELECT status, left_reason FROM volunteers") == [("left", "personal")]


async def test_link_joins_a_telegram_and_a_discord_account_and_messages_go_where_she_prefers(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    eve = Member(310000000000000002, "eve")
    config = make_config(tg=tg, dc=dc, approval=False)
    async with running(config, tokens_for(tg=tg, dc=dc), FakeClock(START)):
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        shown = html_to_text((await say(tg, ANN, "/link")).text)
        found = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", shown)
        assert found and "on Discord" in shown
        wrong = [{"type": 3, "name": "code", "value": "ZZZZ-ZZZZ"}]
        refused = as_posted(await dc.slash(DISCORD_ANN, "link", wrong))
        assert refused.ephemeral and "not valid" in refused.content
        right = [{"type": 3, "name": "code", "value": found.group()}]
        linked = as_posted(await dc.slash(DISCORD_ANN, "link", right))
        assert linked.ephemeral and "Linked" in linked.content
        forged = as_posted(await dc.click(eve, linked, "penpal:prefer:telegram"))
        assert "haven't signed up" in forged.content
        chosen = as_posted(await dc.click(DISCORD_ANN, linked, "penpal:prefer:discord"))
        assert "now go to Discord" in chosen.content
        assert "not valid" in html_to_text((await say(tg, EVE, f"/link {found.group()}")).text)

        # A match confirmed by the Telegram coordinator: the details reach her on Discord only.
        mark = len(dc.posted)
        await say(tg, COORDINATOR, "/coord match")
        proposal = await tg.next_sent(COORDINATOR.id)
        await tg.next_sent(COORDINATOR.id)
        await press(tg, COORDINATOR, proposal, "Confirm")
        details = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "Vella" in details.content
        assert tg.pending(ANN.id) == []
        assert query(db_path, "SELECT platform FROM platform_accounts ORDER BY platform") == [
            ("discord",), ("telegram",),
        ]  # fmt: skip
        assert query(db_path, "SELECT prefers FROM volunteers") == [("discord",)]

        # Linking again points to /unlink (not /forgetme, which would erase her sign-up).
        code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", (await say(tg, ANN, "/link")).text)
        assert code is not None
        again = [{"type": 3, "name": "code", "value": code.group()}]
        told = as_posted(await dc.slash(DISCORD_ANN, "link", again)).content
        assert "already joined to your sign-up on Telegram" in told and "/unlink" in told
        unlinked = as_posted(await dc.slash(DISCORD_ANN, "unlink"))
        assert unlinked.ephemeral and "everything now goes to you on Telegram" in unlinked.content
        alone = html_to_text((await say(tg, ANN, "/unlink")).text)
        assert alone == "This account is not joined to another one, so there is nothing to unlink."
    assert query(db_path, "SELECT platform FROM platform_accounts") == [("telegram",)]
    assert query(db_path, "SELECT prefers FROM volunteers") == [(None,)]

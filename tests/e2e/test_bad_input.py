"""Hostile and random text in every free-text place, on both platforms at once (hypothesis
drives the real bot against the fakes): no handler fails, every reply is one the platform
accepts (valid HTML under 4,096 on Telegram, under 2,000 on Discord), nobody is ever pinged,
and a sign-up answer is stored whole or not at all."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from bot.app.config import Config
from bot.app.runtime import App
from bot.domain.clock import FakeClock
from bot.domain.text import normalise
from cogs.forms import FACILITY_FIELDS, PENPAL_FIELDS
from sandbox.fake_discord import FakeDiscord, Member, Posted
from sandbox.fake_telegram import FakeTelegram, FakeUser, Sent, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, tokens_for
from tests.e2e.helpers import FORM

T = TypeVar("T")

HOSTILE = st.sampled_from(
    [*"<>&*_~`|[]()\\#@/\n ", "@everyone", "@here", "<@&840000000000000001>", "<@123>",
     "<b>", "</i>", "&amp;", "&#x;", "**bold**", "__u__", "||spoiler||", "```", "> quote",
     "\u202e", "\u202d", "\u2066", "\u200b", "\u200d", "\ufeff", "\u0301", "\x00", "\x07",
     "\x1b[31m", "👩🏽‍🦱", "🇺🇦", "ﬁ", "ǅ", "ﷺ", "עברית", "العربية", "Ω", "𝔘𝔫𝔦"]
)  # fmt: skip
CHARS = st.characters(blacklist_categories=("Cs",))
PIECES = st.lists(HOSTILE | CHARS, max_size=40).map("".join)
TEXT = st.one_of(
    PIECES,
    st.tuples(PIECES, st.integers(min_value=50, max_value=400)).map(lambda p: (p[0] * p[1])[:4000]),
)
MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>")


class Live:
    """The real bot with both fakes, on an event loop of its own thread, so that hypothesis
    (which runs plain functions) can play many examples against one running bot."""

    def __init__(self, config: Callable[..., Config]) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.make_config = config
        self.records: Callable[[], list[logging.LogRecord]] = list
        self.ids = itertools.count(700_000_001)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> None:
        self.thread.start()
        self.run(self._start())

    async def _start(self) -> None:
        self.tg, self.dc = FakeTelegram(), FakeDiscord()
        await self.tg.start()
        await self.dc.start()
        config = self.make_config(tg=self.tg, dc=self.dc, approval=False)
        self.app = App(config, tokens_for(self.tg, self.dc), clock=FakeClock(),
                       discord_ready_timeout=0)  # fmt: skip
        await self.app.start()

    def stop(self) -> None:
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    async def _stop(self) -> None:
        await self.app.stop()
        await self.tg.stop()
        await self.dc.stop()
        # As asyncio.run ends: what is left (discord.py's timers of ephemeral views) is
        # cancelled, not destroyed pending with the loop.
        left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)


@pytest.fixture
def live(make_config: Callable[..., Config], caplog: pytest.LogCaptureFixture) -> Iterator[Live]:
    bot = Live(make_config)
    bot.records = lambda: caplog.records  # of the test's current phase, the bot's thread too
    bot.start()
    try:
        yield bot
    finally:
        bot.stop()


def healthy(bot: Live) -> None:
    """What must hold after every example, on both platforms."""
    errors = [r.getMessage() for r in bot.records() if r.levelno >= logging.ERROR]
    assert not errors, errors
    assert bot.tg.refused == []  # no "can't parse entities", nothing too long
    for posted in bot.dc.posted:
        assert len(posted.content) <= 2000
        if posted.allowed_mentions != {"parse": []}:
            assert not MENTION.search(posted.content), posted.content


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def telegram_replies(tg: FakeTelegram, chat: int) -> list[Sent]:
    """Every reply to one message: at least one, then whatever follows at once. A time zone
    the bot accepted is said first ("Time zone: ..."), and the next question always follows
    it: that one is waited for (it may not be there yet)."""
    replies = [await tg.next_sent(chat, timeout=10)]
    if "there now)." in html_to_text(replies[0].text):  # "Time zone: X (it is 12:00 there now)."
        replies.append(await tg.next_sent(chat, timeout=10))
    return replies + [s for s in tg.pending(chat) if s.kind == "send"]


BEFORE = {  # a draft waiting for the answer to each typed question
    "name": {},
    "pronouns": {"name": "Tess"},
    "interests": {"name": "Tess", "pronouns": "", "languages": ["en"]},
    "timezone": {"name": "Tess", "pronouns": "", "languages": ["en"], "interests": ["books"],
                 "kinds": ["friendship"], "woman": True, "capacity": 1, "frequency": "monthly"},
}  # fmt: skip
NEXT = {"name": "pronouns", "pronouns": "Which languages", "interests": "kind of correspondence",
        "timezone": "guidelines"}  # fmt: skip


def seed_draft(bot: Live, user_id: int, answers: dict[str, object]) -> None:
    conn = sqlite3.connect(bot.app.config.storage.database)
    with conn:
        conn.execute(
            "INSERT INTO signup_drafts (platform, user_id, answers, started_at, updated_at) "
            "VALUES ('telegram', ?, ?, '2026-11-28T00:00:00+00:00', '2026-11-28T00:00:00+00:00')",
            (str(user_id), json.dumps(answers)),
        )
    conn.close()


@SETTINGS
@given(TEXT, st.sampled_from(sorted(BEFORE)))
def test_telegram_signup_answer_is_stored_whole_or_not_at_all(
    live: Live, text: str, question: str
) -> None:
    assume(text.strip() and not text.startswith("/"))
    user = FakeUser(next(live.ids), "Tess")
    seed_draft(live, user.id, BEFORE[question])

    async def case() -> bool:
        await live.tg.user_says(user, text)
        replies = await telegram_replies(live.tg, user.id)
        reply = " ".join(html_to_text(r.text) for r in replies)
        [(answers,)] = query(live.app.config.storage.database,
                             "SELECT answers FROM signup_drafts WHERE user_id = ?", str(user.id))  # fmt: skip
        stored = json.loads(answers)
        if NEXT[question] in reply:  # accepted: the next question, and only this answer added
            assert set(stored) == {*BEFORE[question], question}
            assert {k: stored[k] for k in BEFORE[question]} == BEFORE[question]
            if question in ("name", "pronouns"):
                assert stored[question] == normalise(text)  # whole, never cut
            return True
        assert stored == BEFORE[question], reply  # refused: nothing changed
        return False

    event(f"{question}: {'accepted' if live.run(case()) else 'refused'}")
    healthy(live)


TELEGRAM_COMMANDS = [
    "/concern {}", "/pause {}", "/link {}", "/letter sent {}", "/browse {}", "/me {}", "{}",
    "/circle {}", "/circle create {}", "/circle invite {}",
]  # fmt: skip
COORDINATOR_COMMANDS = [
    "/coord broadcast all\n{}", "/coord volunteer {}", "/coord penpal {}", "/coord handled 1 {}",
    "/coord facility add\n{}", "/coord penpal add\n{}", "/coord {}",
    "/coord circle match 1 {}", "/coord circle list {}",
]  # fmt: skip


@SETTINGS
@given(TEXT, st.sampled_from(TELEGRAM_COMMANDS + COORDINATOR_COMMANDS))
def test_telegram_commands_answer_hostile_text(live: Live, text: str, template: str) -> None:
    typed = template.format(text)
    assume(typed.strip() and len(typed.encode("utf-16-le")) // 2 <= 4096)
    coordinating = template in COORDINATOR_COMMANDS
    event(template.split("{")[0].strip() or "plain text")
    user = COORDINATOR if coordinating else FakeUser(next(live.ids), "Tess")

    async def case() -> None:
        live.tg.pending(user.id)
        await live.tg.user_says(user, typed)
        replies = await telegram_replies(live.tg, user.id)
        assert all(html_to_text(r.text).strip() for r in replies)

    live.run(case())
    healthy(live)


def discord_member(bot: Live) -> Member:
    return Member(next(bot.ids), "tess")


@SETTINGS
@given(TEXT, st.sampled_from(sorted(FORM)))
def test_discord_signup_form_field_is_stored_whole_or_not_at_all(
    live: Live, text: str, field: str
) -> None:
    member = discord_member(live)

    async def case() -> None:
        dc = live.dc
        modal = await dc.slash(member, "signup")
        assert modal.type == 9
        response = await dc.submit_modal(member, modal, {**FORM, field: text})
        assert response.type in (4, 7) and response.message is not None
        rows = query(live.app.config.storage.database,
                     "SELECT answers FROM signup_drafts WHERE user_id = ?", str(member.id))  # fmt: skip
        stored = json.loads(rows[0][0]) if rows else {}
        key = field.removeprefix("signup-")
        if key in ("name", "pronouns") and key in stored:
            assert stored[key] == normalise(text)  # whole, never cut or half-cleaned
        if "fix" in response.message.content and key in ("name",):
            assert key not in stored

    live.run(case())
    healthy(live)


REGISTRY = {"facility": {"registry-name": "F", "registry-address": "PO Box 1\nTown"},
            "penpal": {"registry-committed_name": "C", "registry-id_number": "1",
                       "registry-facility": "Bench Facility", "registry-languages": "English"}}  # fmt: skip


@SETTINGS
@given(TEXT, st.sampled_from([(kind, name) for kind, form in REGISTRY.items() for name in
                              (*form, "registry-mail_rules", "registry-preferred_name")
                              if name.removeprefix("registry-") in
                              (PENPAL_FIELDS if kind == "penpal" else FACILITY_FIELDS)]))  # fmt: skip
def test_discord_registry_forms_save_a_whole_row_or_nothing(
    live: Live, text: str, target: tuple[str, str]
) -> None:
    kind, field = target
    coordinator = discord_coordinator(live.dc)
    database = live.app.config.storage.database
    table = "facilities" if kind == "facility" else "penpals"
    unique = str(next(live.ids))  # a new facility name or ID number each time
    values = {**REGISTRY[kind], "registry-name": f"F{unique}", "registry-id_number": unique}
    if kind == "penpal":
        values.pop("registry-name")
    values[field] = text

    async def case() -> Posted:
        group = [{"type": 2, "name": kind, "options": [{"type": 1, "name": "add", "options": []}]}]
        modal = await live.dc.slash(coordinator, "coord", group)
        response = await live.dc.submit_modal(coordinator, modal, values)
        assert response.message is not None
        return response.message

    conn = sqlite3.connect(database)
    with conn:
        conn.execute("INSERT OR IGNORE INTO facilities (name, address_lines) "
                     "VALUES ('Bench Facility', '[\"PO Box 2\"]')")  # fmt: skip
    conn.close()
    [(before,)] = query(database, f"SELECT COUNT(*) FROM {table}")
    answer = live.run(case())
    [(after,)] = query(database, f"SELECT COUNT(*) FROM {table}")
    assert answer.ephemeral
    added = "added" in answer.content
    event(f"{kind} {field}: {'added' if added else 'refused'}")
    assert after - before == (1 if added else 0), answer.content
    healthy(live)


def slash_options(command: str, text: str) -> tuple[str, list[dict[str, Any]]]:
    option = {"type": 3, "value": text}
    match command:
        case "concern":
            return "concern", [{**option, "name": "what"}]
        case "pause":
            return "pause", [{**option, "name": "until"}]
        case "link":
            return "link", [{**option, "name": "code"}]
        case "letter":
            return "letter", [
                {"type": 1, "name": "sent", "options": [{**option, "name": "penpal"}]}
            ]
        case _:
            return "coord", [{"type": 1, "name": "broadcast", "options": [
                {"type": 3, "name": "audience", "value": "all"}, {**option, "name": "text"}]}]  # fmt: skip


@SETTINGS
@given(TEXT, st.sampled_from(["concern", "pause", "link", "letter", "broadcast"]))
def test_discord_commands_answer_hostile_text(live: Live, text: str, command: str) -> None:
    assume(text.strip())
    member = discord_coordinator(live.dc) if command == "broadcast" else discord_member(live)

    async def case() -> Posted:
        name, options = slash_options(command, text)
        response = await live.dc.slash(member, name, options)
        assert response.message is not None, response
        return response.message

    answer = live.run(case())
    assert answer.ephemeral and answer.content.strip()
    healthy(live)


def test_the_checks_would_see_a_ping_and_a_refusal(tmp_path: Path) -> None:
    """The invariants are not vacuous: an unescaped mention or a refused reply fails them."""
    bot = Live.__new__(Live)
    records = [logging.LogRecord("x", logging.INFO, "", 0, "fine", None, None)]
    bot.records = lambda: records
    bot.tg, bot.dc = FakeTelegram(), FakeDiscord()
    bot.dc.posted.append(Posted(1, 2, "hi @everyone", [], 0, None, "channel"))
    with pytest.raises(AssertionError):
        healthy(bot)
    bot.dc.posted.clear()
    healthy(bot)  # an INFO record is no failure
    bot.tg.refused.append(("sendMessage", 400))
    with pytest.raises(AssertionError):
        healthy(bot)
    bot.tg.refused.clear()
    records.append(logging.LogRecord("x", logging.ERROR, "", 0, "handler failed", None, None))
    with pytest.raises(AssertionError):
        healthy(bot)

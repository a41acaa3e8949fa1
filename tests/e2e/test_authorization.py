"""The authorisation matrix: every coordinator command and button, on each platform, used by
someone who is not a coordinator (a stranger and a volunteer), including forged callback data
and custom ids pointing at real records, is refused and changes nothing in the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import COORDINATOR, discord_coordinator, running, tokens_for, with_button
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    EVE,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    as_posted,
    say,
    seed_registry,
)

REFUSED = "Only the program's coordinators"

TELEGRAM_COMMANDS = [
    "match", "penpal add", "facility add", "letter 1", "overdue", "end 1 no reply",
    "transfer 1 X-1 Canary Facility", "release 1", "broadcast all\nHello", "remind @ann_writes",
    "schedule thu 19:00 Europe/London all\nWrite tonight", "unschedule 1", "concerns",
    "handled 1 done", "pending", "volunteer ann", "penpal", "stats", "audit",
    "reassign 1 no reply", "approve 1", "reject 1 no", "answer 1 hi", "handled",
    "penpal find vella", "find vella", "circle list", "circles", "circle approve 1",
    "circle match 1 Owls", "circle dissolve Owls", "schedule stop 1", "",
]  # fmt: skip
TELEGRAM_BUTTONS = [
    "approve:1", "reject:1", "rj:1", "rm:1", "ac:1", "ls:pending", "ls:concerns", "mc:2", "mk:2", "mw:2", "po:1", "bc:1:send", "bc:1:cancel",
    "pg:pending:0:", "pg:penpals:0:", "pg:audit:0:", "ca:1",
]  # fmt: skip


def snapshot(db_path: Path) -> list[str]:
    """Every row of every table but the outbox's delivery columns (the dispatcher may be
    marking earlier messages sent in the background)."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]  # fmt: skip
        rows = []
        for table in tables:
            if table == "outbox":
                query = "SELECT id, target_id, message_key, params FROM outbox ORDER BY id"
            else:
                query = f"SELECT * FROM {table} ORDER BY 1"
            rows += [f"{table}: {row}" for row in conn.execute(query)]
        return rows
    finally:
        conn.close()


async def test_telegram_every_coordinator_command_and_button_refuses_others(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        await ann_matched_on_telegram(tg)  # match 1 active, match 2 still proposed
        preview = await say(tg, COORDINATOR, "/coord broadcast all\nHello")  # broadcast 1
        assert preview.button("Send")
        before = snapshot(db_path)
        for user in (EVE, ANN):
            for command in TELEGRAM_COMMANDS:
                answer = await say(tg, user, f"/coord {command}".strip())
                assert REFUSED in answer.text, (user.first_name, command)
            for data in TELEGRAM_BUTTONS:
                pressed = await tg.user_presses(user, preview, data)
                text = (await tg.callback_answer(pressed)).get("text", "")
                assert REFUSED in text or "expired" in text, (user.first_name, data, text)
        assert snapshot(db_path) == before


def sub(name: str, *options: dict[str, object]) -> list[dict[str, object]]:
    return [{"type": 1, "name": name, "options": list(options)}]


def opt(name: str, value: object, kind: int = 3) -> dict[str, object]:
    return {"type": kind, "name": name, "value": value}


DISCORD_COMMANDS = [
    sub("match"), sub("overdue"), sub("letter", opt("match", 1, 4)),
    sub("end", opt("match", 1, 4), opt("reason", "no reply")),
    sub("transfer", opt("penpal", 1, 4), opt("id_number", "X-1"), opt("facility", "Canary Facility")),
    sub("release", opt("penpal", 1, 4)),
    sub("broadcast", opt("audience", "all"), opt("text", "Hello")),
    [{"type": 2, "name": "schedule", "options": sub("add", opt("days", "thu"), opt("at", "19:00"),
        opt("timezone", "Europe/London"), opt("audience", "all"), opt("text", "Write"))}],
    [{"type": 2, "name": "schedule", "options": sub("stop", opt("schedule", 1, 4))}],
    [{"type": 2, "name": "circle", "options": sub("list")}],
    [{"type": 2, "name": "circle", "options": sub("approve", opt("circle", 1, 4))}],
    [{"type": 2, "name": "circle", "options": sub("match", opt("penpal", 1, 4),
        opt("circle", "1"))}],
    [{"type": 2, "name": "circle", "options": sub("dissolve", opt("circle", "1"))}],
    sub("concerns"),
    sub("handled", opt("number", 1, 4), opt("note", "done")), sub("pending"),
    sub("volunteer", opt("who", "ann")), sub("stats"), sub("audit"),
    sub("reassign", opt("match", 1, 4), opt("reason", "no reply")),
    [{"type": 2, "name": "penpal", "options": sub("add")}],
    [{"type": 2, "name": "facility", "options": sub("add")}],
    [{"type": 2, "name": "penpal", "options": sub("list")}],
    [{"type": 2, "name": "penpal", "options": sub("find", opt("text", "vella"))}],
    sub("approve", opt("volunteer", 1, 4)), sub("reject", opt("volunteer", 1, 4)),
    sub("answer", opt("number", 1, 4), opt("text", "hi")), sub("handled"),
    sub("remind", opt("volunteer", "1")),
]  # fmt: skip
DISCORD_BUTTONS = [
    "penpal:approve:1", "penpal:reject:1", "penpal:alert:rm:1", "penpal:alert:ac:1",
    "penpal:alert:ls:pending", "penpal:match:confirm:2", "penpal:match:skip:2",
    "penpal:match:swap:2", "penpal:reoffer:1", "penpal:bc:send:1", "penpal:bc:cancel:1",
    "penpal:page:pending:0:", "penpal:page:penpals:0:", "penpal:page:audit:0:",
    "penpal:circle:ca:1",
]  # fmt: skip


async def test_discord_every_coordinator_command_and_button_refuses_others(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    eve = Member(310000000000000002, "eve")
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        await ann_matched_on_discord(dc, coordinator)
        preview = as_posted(await dc.slash(coordinator, "coord", sub(
            "broadcast", opt("audience", "all"), opt("text", "Hello"))))  # fmt: skip
        before = snapshot(db_path)
        for member in (eve, DISCORD_ANN):
            for options in DISCORD_COMMANDS:
                answer = as_posted(await dc.slash(member, "coord", options))
                assert answer.ephemeral and REFUSED in answer.content, (member.name, options)
            for custom_id in DISCORD_BUTTONS:
                answer = as_posted(
                    await dc.click(member, with_button(preview, custom_id), custom_id)
                )
                assert answer.ephemeral and REFUSED in answer.content, (member.name, custom_id)
        assert snapshot(db_path) == before

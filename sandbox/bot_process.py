"""The real bot as a process of its own against the fake Telegram server: for the tests and
benchmarks that kill it (SIGKILL, SIGTERM) in the middle of its work and start it again."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from sandbox.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[1]
FIRST_RECIPIENT = 50_000
"""Telegram ids of the seeded volunteers start here (above every named test person)."""


def write_config(folder: Path, tg: FakeTelegram, coordinator_id: int, scheduler: str) -> Path:
    """A config for the bot in `folder` (database `bot.db`), with a `[scheduler]` body."""
    path = folder / "config.toml"
    path.write_text(
        f'''[storage]
database = "{folder / "bot.db"}"

[program]
name = "Letters Inside"
approval_required = true

[scheduler]
{scheduler}

[telegram]
api_base_url = "{tg.base_url}"
coordinator_ids = [{coordinator_id}]
poll_timeout = 1
''',
        encoding="utf-8",
    )
    return path


def polls(tg: FakeTelegram) -> int:
    return sum(1 for name, _ in tg.calls if name == "getUpdates")


@contextlib.asynccontextmanager
async def bot_process(config: Path, tg: FakeTelegram) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot run` with its output in `bot.log` beside the config, yielded once it
    polls Telegram; killed on the way out if it still runs."""
    env = {**os.environ, "PENPAL_TELEGRAM_TOKEN": tg.token, "PENPAL_DISCORD_TOKEN": "",
           "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    before = polls(tg)
    with (config.parent / "bot.log").open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config), env=env, cwd=ROOT,
            stdout=log, stderr=log,
        )  # fmt: skip
        try:
            await tg.wait_until(lambda: polls(tg) > before, timeout=30)
            yield process
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


async def sigkill(process: asyncio.subprocess.Process) -> None:
    process.kill()  # no clean-up of any kind
    await process.wait()


def seed_volunteers(db_path: Path, count: int, platform: str = "telegram") -> None:
    """Active volunteers, written as a backup restore would (test data only): user ids from
    FIRST_RECIPIENT on `platform`."""
    stamp = "2026-11-01T00:00:00+00:00"
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            for i in range(count):
                vid = conn.execute(
                    "INSERT INTO volunteers (display_name, languages, interests, capacity, "
                    "frequency, timezone, status, guidelines_version, consented_at, created_at, "
                    "updated_at) VALUES (?, '[\"en\"]', '[]', 1, 'monthly', 'UTC', 'active', "
                    "'1', ?, ?, ?) RETURNING id",
                    (f"Volunteer {i}", stamp, stamp, stamp),
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO platform_accounts (platform, user_id, volunteer_id) "
                    "VALUES (?, ?, ?)",
                    (platform, str(FIRST_RECIPIENT + i), vid),
                )
    finally:
        conn.close()


def copies(tg: FakeTelegram) -> dict[int, int]:
    """How many copies each seeded volunteer received (accepted by the server)."""
    refused_at = {index for index, status in tg.refused_calls if status == 429}
    counted: dict[int, int] = {}
    for index, (name, params) in enumerate(tg.calls):
        if name != "sendMessage" or index in refused_at:
            continue
        chat = int(params["chat_id"])
        if chat >= FIRST_RECIPIENT:
            counted[chat] = counted.get(chat, 0) + 1
    return counted

"""SIGKILL of the real bot process (`python -m bot run`) in the middle of a sign-up and in the
middle of a broadcast, against the fake Telegram server. After a restart the sign-up goes on
from the last answer (an answer sent while the bot was down is not lost), and the broadcast
finishes at once without anyone getting a second copy, except the one message that may have
been in flight at the moment of the kill."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, query
from tests.e2e.test_telegram_signup import ANN, press, say

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 300
FIRST_RECIPIENT = 50_000


def write_config(folder: Path, tg: FakeTelegram) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f'''[storage]
database = "{folder / "bot.db"}"

[program]
name = "Letters Inside"
approval_required = true

[scheduler]
dispatch_interval_seconds = 1
telegram_chat_gap_ms = 0
telegram_per_second = 100
flood_limit = 10000

[telegram]
api_base_url = "{tg.base_url}"
coordinator_ids = [{COORDINATOR.id}]
poll_timeout = 1
''',
        encoding="utf-8",
    )
    return path


def polls(tg: FakeTelegram) -> int:
    return sum(1 for name, _ in tg.calls if name == "getUpdates")


@contextlib.asynccontextmanager
async def bot_process(config: Path, tg: FakeTelegram) -> AsyncIterator[asyncio.subprocess.Process]:
    """The real bot in a process of its own, running once it polls Telegram."""
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


async def test_sigkill_in_the_middle_of_a_signup(tg: FakeTelegram, tmp_path: Path) -> None:
    config = write_config(tmp_path, tg)
    db_path = tmp_path / "bot.db"
    async with bot_process(config, tg) as process:
        await tg.user_says(ANN, "/signup")
        await tg.next_sent(ANN.id, timeout=15)  # the introduction
        assert "What name" in (await tg.next_sent(ANN.id)).text
        pronouns = await say(tg, ANN, "Ann Writer")
        assert "pronouns" in pronouns.text
        await sigkill(process)
    # While the bot is down she answers the next question.
    await tg.user_presses(ANN, pronouns, pronouns.button("Skip")["callback_data"])
    async with bot_process(config, tg):
        langs = await tg.next_sent(ANN.id, timeout=15)
        assert "Which languages" in langs.text
        await press(tg, ANN, langs, "English")
        edited = await tg.next_message(ANN.id)
        await press(tg, ANN, edited, "Done")
        assert "interests" in (await tg.next_sent(ANN.id)).text
        [(answers,)] = query(db_path, "SELECT answers FROM signup_drafts")
        kept = json.loads(answers)
        assert (kept["name"], kept["pronouns"], kept["languages"]) == ("Ann Writer", "", ["en"])
    assert query(db_path, "SELECT COUNT(*) FROM volunteers") == [(0,)]


def seed_volunteers(db_path: Path) -> None:
    """Active volunteers on Telegram, written as a backup restore would (test data only)."""
    stamp = "2026-11-01T00:00:00+00:00"
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            for i in range(RECIPIENTS):
                vid = conn.execute(
                    "INSERT INTO volunteers (display_name, languages, interests, capacity, "
                    "frequency, timezone, status, guidelines_version, consented_at, created_at, "
                    "updated_at) VALUES (?, '[\"en\"]', '[]', 1, 'monthly', 'UTC', 'active', "
                    "'1', ?, ?, ?) RETURNING id",
                    (f"Volunteer {i}", stamp, stamp, stamp),
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO platform_accounts (platform, user_id, volunteer_id) "
                    "VALUES ('telegram', ?, ?)",
                    (str(FIRST_RECIPIENT + i), vid),
                )
    finally:
        conn.close()


def copies(tg: FakeTelegram) -> Counter[int]:
    return Counter(
        int(params["chat_id"])
        for name, params in tg.calls
        if name == "sendMessage" and int(params["chat_id"]) >= FIRST_RECIPIENT
    )


async def test_sigkill_in_the_middle_of_a_broadcast(tg: FakeTelegram, tmp_path: Path) -> None:
    config = write_config(tmp_path, tg)
    db_path = tmp_path / "bot.db"
    async with bot_process(config, tg) as process:
        seed_volunteers(db_path)
        preview = await say(tg, COORDINATOR, "/coord broadcast all\nLetter night on Thursday")
        assert f"({RECIPIENTS} message(s))" in html_to_text(preview.text)
        await press(tg, COORDINATOR, preview, "Send")
        await tg.wait_until(lambda: sum(copies(tg).values()) >= 100, timeout=30)
        await sigkill(process)
    sent_before = sum(copies(tg).values())
    assert sent_before < RECIPIENTS, "the broadcast finished before the kill: nothing tested"
    async with bot_process(config, tg):
        # Everything left goes out now, not when the dead process's leases run out (5 min).
        await tg.wait_until(lambda: len(copies(tg)) == RECIPIENTS, timeout=30)
        unsent = "SELECT COUNT(*) FROM outbox WHERE status != 'sent'"
        await tg.wait_until(lambda: query(db_path, unsent) == [(0,)], timeout=10)
    counted = copies(tg)
    assert set(counted) == {FIRST_RECIPIENT + i for i in range(RECIPIENTS)}  # nobody missed
    assert sum(counted.values()) - RECIPIENTS <= 1  # at most the one in flight at the kill
    texts = {params["text"] for name, params in tg.calls if name == "sendMessage"
             and int(params["chat_id"]) >= FIRST_RECIPIENT}  # fmt: skip
    assert texts == {"Letter night on Thursday"}

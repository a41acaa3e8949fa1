"""Crash safety: the real dispatcher runs in a process of its own against the fake Telegram
server and is killed with SIGKILL at random moments, at least 10 times, over 2,000 reminders.
No reminder may be lost, and there may be no more duplicates than kills (only a message in
flight at the moment of a kill can go out twice)."""

from __future__ import annotations

import asyncio
import os
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from bot.domain.models import NewOutbound, Platform, TargetKind
from sandbox.fake_telegram import FakeTelegram
from storage.database import Database
from storage.repos import SqliteUnitOfWork
from tests.e2e.conftest import query

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 2000


async def fill(db_path: Path) -> None:
    now = datetime.now(UTC)
    async with await Database.open(db_path) as db, SqliteUnitOfWork(db) as uow:
        for i in range(REMINDERS):
            await uow.outbox.add(
                NewOutbound(Platform.TELEGRAM, TargetKind.USER, str(10_000 + i), "announcement",
                            {"text": f"reminder {i}"}, private=True),
                due_at=now, now=now,
            )  # fmt: skip
        await uow.commit()


async def worker(db_path: Path, tg: FakeTelegram, log: IO[bytes]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox.dispatch_worker", str(db_path), tg.base_url, tg.token,
        "0.5", cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=log,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1"},
    )  # fmt: skip


async def test_sigkill_loses_no_reminder_and_repeats_at_most_one_per_kill(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    db_path, log_path = tmp_path / "crash.db", tmp_path / "worker.log"
    await fill(db_path)
    with log_path.open("ab") as log:
        kills = await kill_again_and_again(db_path, tg, log)
    texts = [str(params["text"]) for name, params in tg.calls if name == "sendMessage"]
    assert set(texts) == {f"reminder {i}" for i in range(REMINDERS)}  # none lost
    duplicates = len(texts) - REMINDERS
    assert 0 <= duplicates <= kills
    assert query(db_path, "SELECT status, COUNT(*) FROM outbox GROUP BY status") == [
        ("sent", REMINDERS)
    ]


async def kill_again_and_again(db_path: Path, tg: FakeTelegram, log: IO[bytes]) -> int:
    """Start the worker, let it send a random number of messages, SIGKILL it; ten times; then
    let one run to the end. Returns the number of kills."""
    rng = random.Random(20261128)

    def sent() -> int:
        return sum(1 for name, _ in tg.calls if name == "sendMessage")

    kills = 0
    while kills < 10:
        process = await worker(db_path, tg, log)
        target = sent() + rng.randint(20, 120)
        await tg.wait_until(lambda target=target: sent() >= target, timeout=60)  # type: ignore[misc]
        process.kill()  # SIGKILL: no clean-up of any kind
        await process.wait()
        kills += 1
    process = await worker(db_path, tg, log)
    assert await asyncio.wait_for(process.wait(), 120) == 0, "see worker.log"
    return kills

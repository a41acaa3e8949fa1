"""Benchmark: 10,000 volunteers each have a reminder due now; the real dispatcher sends them
through python-telegram-bot to the fake Telegram server, which enforces Telegram's flood limits
(30 messages a second overall, 1 a second per chat, 20 a minute per group) and answers 429
when they are broken.

Prints the achieved rate as a ratio of the 30 a second limit, the number of 429s, how many
reminders were lost, and each reminder's lateness after its due time (p50, p99).

    .venv/bin/python benchmarks/delivery.py [--reminders 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["NO_PROXY"] = "127.0.0.1"

from telegram.ext import AIORateLimiter, ExtBot

from bot.app.config import SchedulerConfig
from bot.domain.clock import SystemClock
from bot.domain.models import NewOutbound, Platform, TargetKind
from bot.outbox import OutboxDispatcher
from conversations._aiohttp_request import AiohttpRequest
from conversations.app import TelegramSender
from sandbox.fake_telegram import FakeTelegram
from storage._common import from_ts
from storage.database import Database
from storage.repos import SqliteUnitOfWork


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=10_000)
    args = parser.parse_args()
    tg = FakeTelegram(limits=True)
    await tg.start()
    defaults = SchedulerConfig()
    try:
        with tempfile.TemporaryDirectory() as folder:
            async with await Database.open(Path(folder) / "delivery.db") as db:
                due = datetime.now(UTC)
                async with SqliteUnitOfWork(db) as uow:
                    for i in range(args.reminders):
                        await uow.outbox.add(
                            NewOutbound(Platform.TELEGRAM, TargetKind.USER, str(10_000 + i),
                                        "announcement", {"text": f"reminder {i}"}, private=True),
                            due_at=due, now=due,
                        )  # fmt: skip
                    await uow.commit()
                bot = ExtBot(tg.token, base_url=tg.base_url, request=AiohttpRequest(),
                             rate_limiter=AIORateLimiter())  # fmt: skip
                await bot.initialize()
                dispatcher = OutboxDispatcher(
                    lambda: SqliteUnitOfWork(db), SystemClock(),
                    {Platform.TELEGRAM: TelegramSender(bot)},
                    chat_gap={Platform.TELEGRAM: defaults.telegram_chat_gap_ms / 1000},
                    per_second={Platform.TELEGRAM: defaults.telegram_per_second},
                )  # fmt: skip
                started = time.perf_counter()
                while True:
                    await dispatcher.run_once()
                    async with SqliteUnitOfWork(db) as uow:
                        if not await uow.outbox.pending_count():
                            break
                    await asyncio.sleep(0.2)  # waiting out a retry_after, if any
                elapsed = time.perf_counter() - started
                await bot.shutdown()
                rows = await db.conn.execute_fetchall("SELECT status, due_at, sent_at FROM outbox")
    finally:
        await tg.stop()
    sent = [r for r in rows if r[0] == "sent"]
    late = sorted((from_ts(r[2]) - from_ts(r[1])).total_seconds() for r in sent)
    delivered = sum(1 for name, _ in tg.calls if name == "sendMessage") - len(tg.refused)
    rate = len(sent) / elapsed
    print(f"{args.reminders:,} reminders due at once, Telegram pacing {defaults.telegram_per_second}"
          f"/s and {defaults.telegram_chat_gap_ms} ms per chat")  # fmt: skip
    print(f"sent {len(sent):,} in {elapsed:.1f} s: {rate:.2f} a second = "
          f"{rate / 30:.3f} of the 30 a second limit")  # fmt: skip
    print(f"429 answers: {sum(1 for _, status in tg.refused if status == 429)}; "
          f"lost: {args.reminders - len(sent)}; delivered by the server: {delivered:,}")  # fmt: skip
    print(f"lateness after the due time: p50 {statistics.median(late):.1f} s, "
          f"p99 {late[int(len(late) * 0.99) - 1]:.1f} s, max {late[-1]:.1f} s")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())

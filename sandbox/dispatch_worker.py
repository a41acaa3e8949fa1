"""The real outbox dispatcher as a process of its own, against a Telegram Bot API (the fake one
in tests): `python -m sandbox.dispatch_worker DB API_BASE_URL TOKEN [LEASE_SECONDS]`.

It sends until nothing is pending, then exits 0. The crash-safety test kills it with SIGKILL
at random moments and starts it again; leases that a killed worker held expire after
LEASE_SECONDS, and the next worker sends those rows."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from telegram import Bot

from bot.domain.clock import SystemClock
from bot.domain.models import Platform
from bot.outbox import OutboxDispatcher
from conversations._aiohttp_request import AiohttpRequest
from conversations.app import TelegramSender
from storage.database import Database
from storage.repos import SqliteUnitOfWork


async def main(path: str, base_url: str, token: str, lease: float) -> int:
    bot = Bot(token, base_url=base_url, request=AiohttpRequest(pool_size=4))
    async with await Database.open(path) as db:
        dispatcher = OutboxDispatcher(
            lambda: SqliteUnitOfWork(db), SystemClock(), {Platform.TELEGRAM: TelegramSender(bot)},
            lease=timedelta(seconds=lease), batch=20, chat_gap={},
        )  # fmt: skip
        await bot.initialize()
        try:
            while True:
                await dispatcher.run_once()
                async with SqliteUnitOfWork(db) as uow:
                    pending = await uow.outbox.pending_count()
                if not pending:
                    return 0
                await asyncio.sleep(0.1)  # rows leased by a killed worker: wait for the lease
        finally:
            await bot.shutdown()


if __name__ == "__main__":
    lease_seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], lease_seconds)))

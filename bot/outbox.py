"""Delivering the outbox: claim due rows with a lease, send them, mark them sent or retry."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.messages import params_to_json
from bot.models import Button, Destination, NewOutbound, OutboundMessage, Platform
from bot.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


async def tell_coordinators(
    uow: UnitOfWork,
    coordinators: Sequence[Destination],
    key: str,
    params: Mapping[str, object],
    buttons: tuple[Button, ...],
    now: datetime,
) -> None:
    """Write one outbox row per coordinator destination, in the caller's transaction."""
    for where in coordinators:
        await uow.outbox.add(
            NewOutbound(where.platform, where.target_kind, where.target_id, key,
                        params_to_json(params), buttons=buttons),
            due_at=now, now=now,
        )  # fmt: skip


class Sender(Protocol):
    """Sends one outbound message on one platform; raises on failure."""

    async def send(self, message: OutboundMessage) -> None: ...


class PermanentSendError(Exception):
    """The platform refused the message for good (blocked bot, unknown chat): do not retry."""


@dataclass
class OutboxDispatcher:
    """Sends what the outbox says is due. Run by a timed job and woken at once by new rows."""

    uow: UnitOfWorkFactory
    clock: Clock
    senders: Mapping[Platform, Sender]
    lease: timedelta = timedelta(minutes=5)
    batch: int = 50
    max_attempts: int = 8
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _again: bool = False
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def wake(self) -> None:
        """Deliver soon, without waiting for the next tick (safe to call from any service)."""
        if self._lock.locked():
            self._again = True
            return
        task = asyncio.get_running_loop().create_task(self._drain())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self) -> None:
        await self.run_once()

    async def run_once(self) -> int:
        """Send every due message; return how many were sent."""
        sent = 0
        async with self._lock:
            while True:
                self._again = False
                batch = await self._claim()
                for message in batch:
                    sent += await self._deliver(message)
                if len(batch) < self.batch and not self._again:
                    return sent

    async def close(self) -> None:
        """Wait for deliveries started by `wake` to finish."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _claim(self) -> list[OutboundMessage]:
        now = self.clock.now()
        self._token = secrets.token_hex(8)
        async with self.uow() as uow:
            claimed = await uow.outbox.claim(
                list(self.senders), now, now + self.lease, self._token, self.batch
            )
            await uow.commit()
        return claimed

    async def _deliver(self, message: OutboundMessage) -> int:
        sender = self.senders[message.platform]
        try:
            await sender.send(message)
        except Exception as exc:
            give_up = (
                isinstance(exc, PermanentSendError) or message.attempts + 1 >= self.max_attempts
            )
            log.warning(
                "outbox message %s (%s) failed on attempt %s: %s",
                message.id, message.message_key, message.attempts + 1, type(exc).__name__,
            )  # fmt: skip
            retry_at = self.clock.now() + timedelta(seconds=min(3600, 15 * 2**message.attempts))
            async with self.uow() as uow:
                await uow.outbox.mark_retry(
                    message.id, self._token, type(exc).__name__, retry_at, give_up
                )
                await uow.commit()
            return 0
        async with self.uow() as uow:
            await uow.outbox.mark_sent(message.id, self._token, self.clock.now())
            await uow.commit()
        return 1

"""Delivering the outbox: claim due rows with a lease, send them, mark them sent or retry."""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from bot.domain.clock import Clock
from bot.domain.models import (
    AccountRef,
    Destination,
    OutboundMessage,
    Platform,
    SentPart,
    TargetKind,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import LANGUAGE
from bot.messages.translations import SOURCE
from bot.notices import queue_erased_edits, tell_coordinators

log = logging.getLogger(__name__)

_SENDING: ContextVar[bool] = ContextVar("outbox_sending", default=False)
"""Set while the dispatcher sends: its own messages are already counted in its pacing."""


class Sender(Protocol):
    """Sends one outbound message on one platform (or, for a row with `edit`, edits those
    messages); returns the platform messages it sent; raises on failure."""

    async def send(self, message: OutboundMessage) -> tuple[SentPart, ...]: ...


class PermanentSendError(Exception):
    """The platform refused the message for good (blocked bot, unknown chat): do not retry."""


class RateLimited(Exception):
    """The platform said "too many requests": wait `retry_after` seconds before sending more."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


def _jitter() -> float:
    """A little random delay after a platform's wait, so a restart of many things is spread."""
    return random.uniform(0.05, 0.25)


@dataclass
class DeliveryCounts:
    """What was sent, failed or refused for a while (429) since the process started, per
    platform (the metrics page shows them)."""

    sent: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    rate_limited: Counter[str] = field(default_factory=Counter)


@dataclass
class OutboxDispatcher:
    """Sends what the outbox says is due. Run by a timed job and woken at once by new rows.

    Rows more than `catch_up` late (the bot was down) are marked missed instead of sent, and
    the coordinators get one summary. A 429 pauses that platform for `retry_after` and the
    dispatcher wakes itself when the wait is over (whatever the timed job's interval); other
    errors retry with backoff up to `max_attempts`; a permanent refusal fails the row at once
    and is reported to the coordinators once per person. Sending is paced centrally: at most
    `per_second` a second per platform, evenly spaced, and at least `chat_gap` (`group_gap` in
    groups) between two messages to one chat, also across a restart (see `recover`)."""

    uow: UnitOfWorkFactory
    clock: Clock
    senders: Mapping[Platform, Sender]
    coordinators: Sequence[Destination] = ()
    catch_up: timedelta = timedelta(hours=24)
    lease: timedelta = timedelta(minutes=5)
    batch: int = 50
    max_attempts: int = 8
    chat_gap: Mapping[Platform, float] = field(
        default_factory=lambda: {Platform.TELEGRAM: 1.0, Platform.DISCORD: 0.0}
    )
    group_gap: Mapping[Platform, float] = field(default_factory=lambda: {Platform.TELEGRAM: 3.0})
    per_second: Mapping[Platform, float] = field(default_factory=dict)
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = _jitter
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _again: bool = False
    _stopping: bool = False
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _timers: set[asyncio.Task[None]] = field(default_factory=set)
    counts: DeliveryCounts = field(default_factory=lambda: DeliveryCounts())
    default_language: str = SOURCE
    """What a message is written in when its receiver has no language (channels included)."""
    _paused: dict[Platform, float] = field(default_factory=dict)  # until, on `monotonic`
    _last: dict[tuple[Platform, str], float] = field(default_factory=dict)
    _next_slot: dict[Platform, float] = field(default_factory=dict)

    def wake(self) -> None:
        """Deliver soon, without waiting for the next tick (safe to call from any service)."""
        if self._stopping:
            return
        if self._lock.locked():
            self._again = True
            return
        task = asyncio.get_running_loop().create_task(self._drain())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def recover(self) -> int:
        """At start-up, before anything is sent: the rows a killed process had claimed are
        due again at once (not when its leases run out). Returns how many.

        The pacing goes on across the restart: a claimed row may have reached its chat just
        before the kill, and the rows marked sent a moment ago did; the chats and the platform's
        rate count them as sent now and then, so the first sends keep their gaps."""
        now = self.clock.now()
        window = max([1.0, *self.chat_gap.values(), *self.group_gap.values()])
        async with self.uow() as uow:
            released = await uow.outbox.release_all()
            recent = await uow.outbox.sent_since(now - timedelta(seconds=window))
            await uow.commit()
        mono = self.monotonic()
        for platform, target, at in sorted(recent, key=lambda r: r[2]):
            self._note_sent(platform, target, mono - max(0.0, (now - at).total_seconds()))
        for platform, target in released:  # any of them may be the one in flight at the kill
            key = (platform, target)
            self._last[key] = max(self._last.get(key, mono), mono)
        for platform in {platform for platform, _ in released}:  # but only one was
            self._take_slot(platform, mono)
        if released:
            log.warning(
                "%d outbox message(s) claimed by a stopped process are due again", len(released)
            )
        return len(released)

    def note_sent(self, platform: Platform, target: str) -> None:
        """A message went out to `target` outside the outbox (a reply to what someone typed):
        it takes a place in the platform's rate and in that chat's gap."""
        if not _SENDING.get():
            self._note_sent(platform, target, self.monotonic())

    def _note_sent(self, platform: Platform, target: str, at: float) -> None:
        key = (platform, target)
        self._last[key] = max(self._last.get(key, at), at)
        self._take_slot(platform, at)

    def _take_slot(self, platform: Platform, at: float) -> None:
        """A send at `at` uses one of the platform's evenly spaced slots."""
        rate = self.per_second.get(platform, 0.0)
        if rate:
            self._next_slot[platform] = max(self._next_slot.get(platform, at), at) + 1.0 / rate

    async def _drain(self) -> None:
        await self.run_once()

    async def run_once(self) -> int:
        """Send every due message; return how many were sent."""
        sent = 0
        async with self._lock:
            await self._expire()
            while not self._stopped():
                self._again = False
                batch = await self._claim()
                for index, message in enumerate(batch):
                    if self._stopped():  # a clean stop: give the rest back as they were
                        await self._release(batch[index:])
                        break
                    sent += await self._deliver(message)
                if len(batch) < self.batch and not self._again:
                    break
        return sent

    def _stopped(self) -> bool:
        return self._stopping  # read through a call: `stop` sets it while a run awaits

    async def stop(self, grace: float = 10.0) -> None:
        """A clean stop: no new run starts, the one under way ends after its current message
        (waiting at most `grace` seconds), and the timers for paused platforms are dropped."""
        self._stopping = True
        for timer in list(self._timers):
            timer.cancel()
        try:
            async with asyncio.timeout(grace):
                async with self._lock:
                    pass
        except TimeoutError:
            log.warning("the outbox was still sending after %.0f s; stopping anyway", grace)
        await self.close()

    async def close(self) -> None:
        """Wait for deliveries started by `wake` to finish."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def settled(self) -> None:
        """Wait until every wake-up, including those planned after a platform's wait, has run
        (for tests and the benchmarks)."""
        while self._tasks or self._timers:
            await asyncio.gather(*self._tasks, *self._timers, return_exceptions=True)

    async def _expire(self) -> None:
        """After downtime: what is more than `catch_up` late is not sent, and coordinators get
        one summary of it (kinds and counts only)."""
        now = self.clock.now()
        async with self.uow() as uow:
            missed = await uow.outbox.expire(now - self.catch_up, now)
            if missed:
                kinds = Counter(m.message_key for m in missed)
                summary = ", ".join(f"{key} x{n}" for key, n in sorted(kinds.items()))
                params = {"count": len(missed), "kinds": summary}
                await tell_coordinators(
                    uow, self.coordinators, "coord.missed_summary", params, (), now
                )
            await uow.commit()
        if missed:
            log.warning(
                "%d outbox message(s) were too late to send and were marked missed", len(missed)
            )

    def _is_paused(self, platform: Platform) -> bool:
        until = self._paused.get(platform)
        if until is None:
            return False
        if until > self.monotonic():
            return True
        del self._paused[platform]
        return False

    async def _claim(self) -> list[OutboundMessage]:
        now = self.clock.now()
        platforms = [p for p in self.senders if not self._is_paused(p)]
        self._token = secrets.token_hex(8)
        async with self.uow() as uow:
            claimed = await uow.outbox.claim(
                platforms, now, now + self.lease, self._token, self.batch
            )
            await uow.commit()
        return claimed

    async def _release(self, messages: Sequence[OutboundMessage]) -> None:
        """Give claimed rows back unsent, due as they were (they keep their place in line)."""
        async with self.uow() as uow:
            for message in messages:
                await uow.outbox.release(message.id, self._token, message.due_at)
            await uow.commit()

    async def _pace(self, message: OutboundMessage) -> None:
        """Smoothly under the platform's overall rate, and at least a gap apart per chat (a
        longer one for groups: Telegram allows 20 a minute in a group)."""
        platform, target = message.platform, message.target_id
        group = target.startswith("-")
        gap = (self.group_gap if group else self.chat_gap).get(platform, 0.0)
        now = self.monotonic()
        last = self._last.get((platform, target))
        wait = max(0.0, last + gap - now) if gap and last is not None else 0.0
        rate = self.per_second.get(platform, 0.0)
        if rate:
            wait = max(wait, self._next_slot.get(platform, now) - now)
        if wait:
            await self.sleep(wait)
        sent_at = now + wait
        self._last[(platform, target)] = sent_at
        if rate:
            self._next_slot[platform] = sent_at + 1.0 / rate

    def _resume_later(self, platform: Platform, wait: float) -> None:
        """Wake the dispatcher once `platform`'s wait is over (and a little later)."""
        if self._stopping:  # a clean stop: the next start sends what waits
            return

        async def resume() -> None:
            await self.sleep(wait + self.jitter())
            self.wake()

        task = asyncio.get_running_loop().create_task(resume())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def _deliver(self, message: OutboundMessage) -> int:
        if self._paused and self._is_paused(message.platform):
            await self._release([message])
            return 0
        await self._pace(message)
        sending = _SENDING.set(True)
        speaking = LANGUAGE.set(message.language or self.default_language)
        try:
            parts = await self.senders[message.platform].send(message)
        except RateLimited as exc:
            self.counts.rate_limited[message.platform.value] += 1
            wait = max(exc.retry_after, 0.0)
            until = self.monotonic() + wait
            self._paused[message.platform] = max(self._paused.get(message.platform, until), until)
            log.warning(
                "%s asked to wait %.1f s before sending more; sending there resumes then",
                message.platform.value,
                wait,
            )
            await self._release([message])
            self._resume_later(message.platform, wait)
            return 0
        except PermanentSendError as exc:
            if not message.edit:
                await self._failed(message, exc)
                return 0
            # The message is gone, or too old to edit: nothing more can be done about it.
            log.info(
                "outbox message %s: %s could not edit it (%s)",
                message.id,
                message.platform.value,
                exc,
            )
            async with self.uow() as uow:
                await uow.outbox.mark_retry(
                    message.id, self._token, str(exc), self.clock.now(), give_up=True
                )
                await uow.commit()
            return 0
        except Exception as exc:
            await self._failed(message, exc)
            return 0
        finally:
            LANGUAGE.reset(speaking)
            _SENDING.reset(sending)
        now = self.clock.now()
        async with self.uow() as uow:
            recorded = await uow.outbox.mark_sent(message.id, self._token, now)
            if message.about is not None and parts and recorded:
                await uow.outbox.remember(message.platform, parts, message.about, now)
            elif message.about is not None and parts:  # she erased her data meanwhile
                await queue_erased_edits(uow, [(message.platform, p) for p in parts], now)
                self._again = True
            await uow.outbox.reachable(message.platform, message.target_id)
            await uow.commit()
        self.counts.sent[message.platform.value] += 1
        return 1

    async def _failed(self, message: OutboundMessage, exc: Exception) -> None:
        self.counts.failed[message.platform.value] += 1
        permanent = isinstance(exc, PermanentSendError)
        give_up = permanent or message.attempts + 1 >= self.max_attempts
        log.warning(
            "outbox message %s (%s) failed on attempt %s: %s",
            message.id,
            message.message_key,
            message.attempts + 1,
            type(exc).__name__,
        )
        now = self.clock.now()
        retry_at = now + timedelta(seconds=min(3600, 15 * 2**message.attempts))
        async with self.uow() as uow:
            await uow.outbox.mark_retry(
                message.id, self._token, type(exc).__name__, retry_at, give_up
            )
            to_coordinators = any(
                (d.platform, d.target_id) == (message.platform, message.target_id)
                for d in self.coordinators
            )
            if give_up and message.target_kind is TargetKind.USER and not to_coordinators:
                reason = str(exc) if permanent else type(exc).__name__
                if await uow.outbox.mark_unreachable(
                    message.platform, message.target_id, reason, now
                ):
                    volunteer = await uow.volunteers.by_account(
                        AccountRef(message.platform, message.target_id)
                    )
                    self._again = True  # send the report in this run too
                    await tell_coordinators(
                        uow,
                        self.coordinators,
                        "coord.delivery_failed",
                        {
                            "who": volunteer.display_name if volunteer else message.target_id,
                            "platform": message.platform.value,
                            "reason": reason[:120],
                        },
                        (),
                        now,
                        about=volunteer.id if volunteer else None,
                    )
            await uow.commit()

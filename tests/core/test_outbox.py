"""The outbox dispatcher: leases, retries, and nothing sent twice."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.models import NewOutbound, OutboundMessage, OutboxStatus, Platform, TargetKind
from bot.outbox import OutboxDispatcher, PermanentSendError
from bot.ports import UnitOfWorkFactory


class RecordingSender:
    def __init__(self, fail: int = 0, error: Exception | None = None) -> None:
        self.sent: list[OutboundMessage] = []
        self.fail = fail
        self.error = error or ConnectionError("down")

    async def send(self, message: OutboundMessage) -> None:
        if self.fail:
            self.fail -= 1
            raise self.error
        self.sent.append(message)


async def add(
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    n: int,
    platform: Platform = Platform.TELEGRAM,
    due_in: timedelta = timedelta(0),
) -> None:
    async with uow_factory() as uow:
        for i in range(n):
            await uow.outbox.add(
                NewOutbound(platform, TargetKind.USER, str(i), "literal", {"text": f"m{i}"}),
                due_at=clock.now() + due_in, now=clock.now(),
            )  # fmt: skip
        await uow.commit()


async def test_due_messages_are_sent_once_in_order(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    sender = RecordingSender()
    dispatcher = OutboxDispatcher(uow_factory, clock, {Platform.TELEGRAM: sender}, batch=2)
    await add(uow_factory, clock, 5)
    assert await dispatcher.run_once() == 5
    assert await dispatcher.run_once() == 0
    assert [m.params["text"] for m in sender.sent] == ["m0", "m1", "m2", "m3", "m4"]


async def test_future_and_other_platform_messages_wait(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    sender = RecordingSender()
    dispatcher = OutboxDispatcher(uow_factory, clock, {Platform.TELEGRAM: sender})
    await add(uow_factory, clock, 1, due_in=timedelta(hours=1))
    await add(uow_factory, clock, 1, platform=Platform.DISCORD)
    assert await dispatcher.run_once() == 0
    clock.advance(timedelta(hours=1))
    assert await dispatcher.run_once() == 1
    async with uow_factory() as uow:
        assert await uow.outbox.pending_count() == 1  # the Discord one waits for its platform


async def test_failures_retry_with_backoff_then_succeed(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    sender = RecordingSender(fail=1)
    dispatcher = OutboxDispatcher(uow_factory, clock, {Platform.TELEGRAM: sender})
    await add(uow_factory, clock, 1)
    assert await dispatcher.run_once() == 0
    assert await dispatcher.run_once() == 0  # backing off
    clock.advance(timedelta(seconds=15))
    assert await dispatcher.run_once() == 1
    assert len(sender.sent) == 1


async def test_permanent_errors_are_not_retried(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    sender = RecordingSender(fail=1, error=PermanentSendError("blocked"))
    dispatcher = OutboxDispatcher(uow_factory, clock, {Platform.TELEGRAM: sender})
    await add(uow_factory, clock, 1)
    await dispatcher.run_once()
    clock.advance(timedelta(days=1))
    assert await dispatcher.run_once() == 0
    async with uow_factory() as uow:
        assert await uow.outbox.pending_count() == 0


async def test_a_leased_row_is_not_claimed_twice(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await add(uow_factory, clock, 1)
    now = clock.now()
    async with uow_factory() as uow:
        first = await uow.outbox.claim(
            [Platform.TELEGRAM], now, now + timedelta(minutes=5), "a", 10
        )
        second = await uow.outbox.claim(
            [Platform.TELEGRAM], now, now + timedelta(minutes=5), "b", 10
        )
        await uow.outbox.mark_sent(first[0].id, "b", now)  # the wrong token changes nothing
        await uow.commit()
    assert len(first) == 1 and second == []
    async with uow_factory() as uow:
        expired = await uow.outbox.claim(
            [Platform.TELEGRAM], now + timedelta(minutes=6), now + timedelta(minutes=11), "c", 10
        )
        await uow.outbox.mark_sent(expired[0].id, "c", now)
        await uow.commit()
        assert await uow.outbox.pending_count() == 0
    assert expired[0].status is OutboxStatus.PENDING

"""The outbox dispatcher: leases, retries, and nothing sent twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain.clock import FakeClock
from bot.domain.models import (
    Destination,
    NewOutbound,
    OutboundMessage,
    OutboxStatus,
    Platform,
    SentPart,
    TargetKind,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.outbox import OutboxDispatcher, PermanentSendError, RateLimited
from storage.database import Database
from storage.repos import SqliteUnitOfWork


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


COORDINATORS = (Destination(Platform.TELEGRAM, TargetKind.USER, "900"),)


async def keys_to_coordinators(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> list[str]:
    async with uow_factory() as uow:
        claimed = await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "k", 99)
    return [m.message_key for m in claimed if m.target_id == "900"]


async def test_after_downtime_what_is_a_day_late_is_missed_and_summarised_once(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await add(uow_factory, clock, 2)  # due now: will be 25 hours late
    clock.advance(timedelta(hours=2))
    await add(uow_factory, clock, 1)  # will be 23 hours late
    clock.advance(timedelta(hours=23))
    sender = RecordingSender()
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: sender}, coordinators=COORDINATORS
    )
    assert await dispatcher.run_once() == 2  # the late-but-recent one, and the summary
    assert [m.message_key for m in sender.sent] == ["literal", "coord.missed_summary"]
    summary = sender.sent[1]
    assert summary.params["count"] == 2 and "literal x2" in summary.params["kinds"]
    assert await dispatcher.run_once() == 0  # summarised once
    async with uow_factory() as uow:
        assert await uow.outbox.pending_count() == 0


class FakeTimer:
    """Monotonic time that only moves when the dispatcher sleeps (as if the sleep ended)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self.held = asyncio.Event()  # clear: a sleep waits until the test sets it
        self.held.set()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        await self.held.wait()
        self.slept.append(seconds)
        self.now += seconds


class TimedSender(RecordingSender):
    """Records when (on the fake timer) each message went out."""

    def __init__(self, timer: FakeTimer, fail: int = 0, error: Exception | None = None) -> None:
        super().__init__(fail, error)
        self.timer = timer
        self.at: list[float] = []
        self.refused_at: list[float] = []

    async def send(self, message: OutboundMessage) -> None:
        if self.fail:
            self.refused_at.append(self.timer.now)
        await super().send(message)
        self.at.append(self.timer.now)


async def test_a_429_pauses_the_platform_and_resumes_by_itself_when_the_wait_is_over(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    timer = FakeTimer()
    sender = TimedSender(timer, fail=1, error=RateLimited(30))
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: sender}, max_attempts=1,
        monotonic=timer.monotonic, sleep=timer.sleep, jitter=lambda: 0.1,
    )  # fmt: skip
    await add(uow_factory, clock, 3)
    await dispatcher.run_once()
    # Nobody calls run_once again (the timed job may be 30 s or more away): the dispatcher
    # wakes itself once the wait is over, a little later than asked.
    await dispatcher.settled()
    assert sorted(m.params["text"] for m in sender.sent) == ["m0", "m1", "m2"]
    assert [at - sender.refused_at[0] for at in sender.at] == [pytest.approx(30.1)] * 3
    assert timer.slept == [pytest.approx(30.1)]
    async with uow_factory() as uow:  # nothing dropped, the 429 not counted as a failure
        assert await uow.outbox.pending_count() == 0


async def test_while_a_platform_waits_the_others_go_on(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    timer = FakeTimer()
    telegram = TimedSender(timer, fail=1, error=RateLimited(5))
    discord = TimedSender(timer)
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: telegram, Platform.DISCORD: discord},
        monotonic=timer.monotonic, sleep=timer.sleep, jitter=lambda: 0.0,
    )  # fmt: skip
    await add(uow_factory, clock, 2)
    await add(uow_factory, clock, 2, platform=Platform.DISCORD)
    timer.held.clear()  # the 5 s have not passed yet
    assert await dispatcher.run_once() == 2
    assert discord.at == [1000.0, 1000.0] and telegram.sent == []
    timer.held.set()
    await dispatcher.settled()
    assert telegram.at == [1005.0, 1005.0]


async def test_after_a_restart_a_chat_that_may_just_have_had_a_message_waits_its_gap(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    async with uow_factory() as uow:  # a moment before the kill, "2" had a message
        await uow.outbox.add(
            NewOutbound(Platform.TELEGRAM, TargetKind.USER, "2", "literal", {"text": "x"}),
            due_at=clock.now(), now=clock.now(),
        )  # fmt: skip
        [earlier] = await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "x", 9)
        await uow.outbox.mark_sent(earlier.id, "x", clock.now() - timedelta(seconds=0.25))
        await uow.commit()
    await add(uow_factory, clock, 3)  # chats "0", "1", "2"
    async with uow_factory() as uow:  # a process claims "0" and "1", sends, and is killed
        await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now() + timedelta(minutes=5),
                               "dead", 2)  # fmt: skip
        await uow.commit()
    timer = FakeTimer()
    sender = TimedSender(timer)
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: sender}, monotonic=timer.monotonic,
        sleep=timer.sleep, chat_gap={Platform.TELEGRAM: 1.0},
    )  # fmt: skip
    assert await dispatcher.recover() == 2
    assert await dispatcher.run_once() == 3
    sent = {m.target_id: at - 1000.0 for m, at in zip(sender.sent, sender.at, strict=True)}
    assert sent["0"] >= 1.0 and sent["1"] >= 1.0  # the in-flight one may have arrived at 0
    assert sent["2"] >= 0.75  # a second after the send the dead process recorded


async def test_after_a_restart_the_platform_rate_goes_on_from_the_last_sends(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    async with uow_factory() as uow:
        await uow.outbox.add(
            NewOutbound(Platform.TELEGRAM, TargetKind.USER, "9", "literal", {"text": "x"}),
            due_at=clock.now(), now=clock.now(),
        )  # fmt: skip
        [earlier] = await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "x", 9)
        await uow.outbox.mark_sent(earlier.id, "x", clock.now())
        await uow.commit()
    await add(uow_factory, clock, 1)
    timer = FakeTimer()
    sender = TimedSender(timer)
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: sender}, monotonic=timer.monotonic,
        sleep=timer.sleep, chat_gap={}, per_second={Platform.TELEGRAM: 20.0},
    )  # fmt: skip
    assert await dispatcher.recover() == 0
    assert await dispatcher.run_once() == 1
    assert timer.slept == [pytest.approx(0.05)]  # one slot after the previous process's last send


async def test_a_clean_stop_ends_the_run_after_the_current_message(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    stopping: list[asyncio.Task[None]] = []

    class StoppingSender(RecordingSender):
        async def send(self, message: OutboundMessage) -> None:
            await super().send(message)
            if len(self.sent) == 2:  # SIGTERM arrives while the second message is sent
                stopping.append(asyncio.get_running_loop().create_task(dispatcher.stop()))
                await asyncio.sleep(0)

    sender = StoppingSender()
    dispatcher = OutboxDispatcher(uow_factory, clock, {Platform.TELEGRAM: sender})
    await add(uow_factory, clock, 5)
    assert await dispatcher.run_once() == 2
    await stopping[0]  # it waited for the run to end
    async with uow_factory() as uow:  # the rest wait, unclaimed, for the next start
        assert await uow.outbox.pending_count() == 3
        again = await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "n", 9)
    assert len(again) == 3
    dispatcher.wake()  # a stopped dispatcher starts nothing new
    assert await dispatcher.run_once() == 0 and len(sender.sent) == 2


async def test_a_person_who_blocked_the_bot_is_reported_once(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    sender = RecordingSender(fail=2, error=PermanentSendError("the user blocked the bot"))
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: sender}, coordinators=COORDINATORS,
        sleep=no_sleep,
    )  # fmt: skip
    for _ in range(2):
        await add(uow_factory, clock, 1)  # both to the same person
    assert await dispatcher.run_once() == 1  # only the report to the coordinators went out
    assert [m.message_key for m in sender.sent] == ["coord.delivery_failed"]
    assert "blocked" in sender.sent[0].params["reason"]
    clock.advance(timedelta(days=1))
    assert await dispatcher.run_once() == 0  # never retried
    # She unblocks: a message gets through, so a later refusal is reported again.
    await add(uow_factory, clock, 1)
    assert await dispatcher.run_once() == 1
    sender.fail = 1
    await add(uow_factory, clock, 1)
    assert await dispatcher.run_once() == 1
    assert [m.message_key for m in sender.sent].count("coord.delivery_failed") == 2


async def no_sleep(seconds: float) -> None:
    SLEPT.append(seconds)


SLEPT: list[float] = []


async def test_messages_to_one_chat_are_a_second_apart(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    ticks = iter([100.0, 100.2, 102.5])
    SLEPT.clear()
    sender = RecordingSender()
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: sender}, monotonic=lambda: next(ticks),
        sleep=no_sleep,
    )  # fmt: skip
    for _ in range(3):
        await add(uow_factory, clock, 1)  # the same chat each time
    assert await dispatcher.run_once() == 3
    assert [round(s, 3) for s in SLEPT] == [0.8]  # the second waited; the third came late enough


async def test_a_platform_rate_spaces_messages_evenly(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    SLEPT.clear()
    sender = RecordingSender()
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: sender}, monotonic=lambda: 100.0,
        sleep=no_sleep, per_second={Platform.TELEGRAM: 20.0},
    )  # fmt: skip
    await add(uow_factory, clock, 3)  # three different chats
    assert await dispatcher.run_once() == 3
    assert [round(s, 3) for s in SLEPT] == [0.05, 0.1]


async def test_recover_gives_back_a_killed_process_leases_at_once(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await add(uow_factory, clock, 3)
    async with uow_factory() as uow:  # a process claims the rows, then dies without a word
        await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now() + timedelta(minutes=5),
                               "dead", 2)  # fmt: skip
        await uow.commit()
    sender = RecordingSender()
    dispatcher = OutboxDispatcher(uow_factory, clock, {Platform.TELEGRAM: sender})
    assert await dispatcher.run_once() == 1  # without recovery the two leased rows wait
    assert await dispatcher.recover() == 2
    assert await dispatcher.run_once() == 2
    assert sorted(m.params["text"] for m in sender.sent) == ["m0", "m1", "m2"]
    assert await dispatcher.recover() == 0


async def test_a_reply_sent_outside_the_outbox_takes_a_place_in_its_pacing(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    timer = FakeTimer()

    class ReplyingSender(TimedSender):
        async def send(self, message: OutboundMessage) -> tuple[SentPart, ...]:
            dispatcher.note_sent(Platform.TELEGRAM, message.target_id)  # its own: not counted
            return await super().send(message)

    sender = ReplyingSender(timer)
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: sender}, monotonic=timer.monotonic,
        sleep=timer.sleep, chat_gap={Platform.TELEGRAM: 1.0}, per_second={Platform.TELEGRAM: 20.0},
    )  # fmt: skip
    dispatcher.note_sent(Platform.TELEGRAM, "0")  # the bot answered "0", who had typed
    dispatcher.note_sent(Platform.TELEGRAM, "5")  # and "5"
    await add(uow_factory, clock, 2)  # to "0" and "1"
    assert await dispatcher.run_once() == 2
    assert timer.slept == [pytest.approx(1.0), pytest.approx(0.05)]


async def test_a_notice_delivered_while_she_erased_her_data_is_edited_at_once(
    sqlite_db: Database, clock: FakeClock
) -> None:
    def uow() -> SqliteUnitOfWork:
        return SqliteUnitOfWork(sqlite_db)

    class ErasedMeanwhile(RecordingSender):
        async def send(self, message: OutboundMessage) -> tuple[SentPart, ...]:
            await super().send(message)
            if message.message_key == "coord.pending_signup":  # /forgetme, during the send
                await sqlite_db.conn.execute("DELETE FROM outbox WHERE about_volunteer = 7")
                return (SentPart("900", "55"),)
            return message.edit

    sender = ErasedMeanwhile()
    dispatcher = OutboxDispatcher(uow, clock, {Platform.TELEGRAM: sender}, chat_gap={})
    async with uow() as u:
        await u.outbox.add(NewOutbound(Platform.TELEGRAM, TargetKind.USER, "900",
                                       "coord.pending_signup", {"name": "x"}, about=7),
                           due_at=clock.now(), now=clock.now())  # fmt: skip
        await u.commit()
    await dispatcher.run_once()
    assert [(m.message_key, m.edit) for m in sender.sent] == [
        ("coord.pending_signup", ()),
        ("notice.erased", (SentPart("900", "55"),)),
    ]
    async with uow() as u:
        assert await u.outbox.delivered_about(7) == []  # her id is not kept with it


async def test_after_a_restart_only_one_claimed_row_counts_against_the_rate(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await add(uow_factory, clock, 6)  # six chats
    async with uow_factory() as uow:  # a killed process had claimed five of them
        await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now() + timedelta(minutes=5),
                               "dead", 5)  # fmt: skip
        await uow.commit()
    timer = FakeTimer()
    dispatcher = OutboxDispatcher(
        uow_factory, clock, {Platform.TELEGRAM: TimedSender(timer)}, monotonic=timer.monotonic,
        sleep=timer.sleep, chat_gap={}, per_second={Platform.TELEGRAM: 20.0},
    )  # fmt: skip
    assert await dispatcher.recover() == 5
    assert await dispatcher.run_once() == 6
    assert timer.slept[0] == pytest.approx(0.05)  # one slot after a send at the kill, not five

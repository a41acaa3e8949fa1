"""Forwarding programs: both legs of a letter with their dates, reminders that follow the leg
that reached the volunteer, and the coordinators' review queue (forward or post, keep with a
note, give back for a rewrite), with the volunteer told each time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.addresses import AddressService
from bot.custody import CustodyService
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import AccountRef, Actor, LetterDirection, LetterState, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.forwarding import ForwardingService
from bot.letters import LetterService
from bot.messages import plain
from bot.reminders.policy import ReminderPolicy
from bot.reminders.sweep import ReminderService
from tests.core.helpers import BOSS, COORDINATORS, drain, matched, move_to

HER = AccountRef(Platform.TELEGRAM, "1")
NOT_COORDINATOR = Actor(Platform.TELEGRAM, "1")
POLICY = ReminderPolicy()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


def build(
    uow: UnitOfWorkFactory, clock: FakeClock, review: bool, zone: str = "UTC"
) -> tuple[ForwardingService, LetterService, ReminderService]:
    forwarding = ForwardingService(
        uow, clock, POLICY, COORDINATORS, enabled=True, review=review, zone=zone
    )
    letters = LetterService(uow, clock, POLICY, forwarding=forwarding)
    return forwarding, letters, ReminderService(uow, clock, POLICY, COORDINATORS)


async def test_without_forwarding_or_rights_nothing_is_logged(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow, clock)
    off = ForwardingService(uow, clock, POLICY, COORDINATORS)
    with pytest.raises(BotError) as refused:
        await off.arrived(BOSS, match_id, None)
    assert refused.value.message.key == "letter.forwarding_off"
    on, _, _ = build(uow, clock, review=False)
    with pytest.raises(NotAllowed):
        await on.arrived(NOT_COORDINATOR, match_id, None)
    for wrong, key in ((date(2026, 11, 29), "letter.future"),  # tomorrow, in the program's zone
                       (date(2026, 11, 1), "letter.before_match_coord")):  # fmt: skip
        with pytest.raises(BotError) as refused:
            await on.arrived(BOSS, match_id, wrong)
        assert refused.value.message.key == key
    # In the program's own zone: in Auckland it is already the 29th, and the 30th is still ahead.
    auckland, _, _ = build(uow, clock, review=False, zone="Pacific/Auckland")
    with pytest.raises(BotError):
        await auckland.arrived(BOSS, match_id, date(2026, 11, 30))
    for call in (on.queue, on.first):
        with pytest.raises(NotAllowed):
            await call(NOT_COORDINATOR)
    for act in (on.forward(NOT_COORDINATOR, 1), on.hold(NOT_COORDINATOR, 1, "x"),
                on.give_back(NOT_COORDINATOR, 1, "x")):  # fmt: skip
        with pytest.raises(NotAllowed):
            await act
    async with uow() as u:
        assert await u.letters.for_match(match_id) == []  # refused: nothing written


async def test_without_review_a_letter_is_forwarded_at_once_and_the_reply_counts_from_then(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow, clock)
    await drain(uow, clock)
    forwarding, letters, reminders = build(uow, clock, review=False)
    move_to(clock, datetime(2026, 12, 2, 12, tzinfo=UTC))
    answer = await forwarding.arrived(BOSS, match_id, date(2026, 11, 29))
    assert answer.key == "letter.forwarded"
    (told,) = await drain(uow, clock)
    assert told.private and told.target_id == "1" and told.message_key == "letter.waiting"
    # reached the mailbox on the 29th, forwarded today (the 2nd): due 14 days after the 2nd
    assert told.params["dated"] == {"$day": "2026-11-29"}
    assert told.params["due"] == {"$day": "2026-12-16"}
    async with uow() as u:
        (letter,) = await u.letters.for_match(match_id)
    assert letter.direction is LetterDirection.FROM_PENPAL and letter.logged_by == BOSS.label
    assert (letter.program_on, letter.dated, letter.state) == (
        date(2026, 11, 29),
        date(2026, 12, 2),
        LetterState.DONE,
    )
    # Her reply is due on the 16th: the nudge four days before, not before that.
    move_to(clock, datetime(2026, 12, 12, 8, 59, tzinfo=UTC))
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == []
    clock.advance(timedelta(minutes=1))
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == ["reminder.reply_soon"]
    # The volunteer does not log letters from her herself here: she is told why.
    with pytest.raises(BotError) as refused:
        await letters.log(HER, True, None, None)
    assert refused.value.message.key == "letter.received_forwarding"
    history = await letters.history(HER, None)
    assert not isinstance(history, list)
    assert "Wednesday 2 December – from Deb (reached the program on Sunday 29 November)" in plain(
        history
    )


async def test_with_review_letters_wait_until_forwarded_and_count_from_then(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow, clock)
    await drain(uow, clock)
    forwarding, letters, reminders = build(uow, clock, review=True)
    answer = await forwarding.arrived(BOSS, match_id, None)
    assert answer.key == "review.arrived"
    (ask,) = await drain(uow, clock)
    assert ask.target_id == "900" and ask.message_key == "review.new_in"
    assert [b.action for b in ask.buttons] == ["rf", "rh"]  # no giving back a letter from her
    letter_id = int(ask.buttons[0].arg)
    # While it waits at the program it does not count for her volunteer: no reply is due,
    # and (she has written) no silence alert, however long it waits.
    move_to(clock, datetime(2027, 2, 1, 12, tzinfo=UTC))
    await reminders.sweep()
    sent = [m.message_key for m in await drain(uow, clock)]
    assert "reminder.reply_due" not in sent and "coord.alert.silence" not in sent
    assert "coord.alert.overdue" not in sent
    listed, buttons = await forwarding.first(BOSS)
    assert listed.key == "review.with_first" and [b.arg for b in buttons] == [str(letter_id)] * 2
    assert "#1 – from Deb for Writer 1 (match 1), here since Saturday 28 November (65 days)" in (
        plain(listed)
    )
    # Kept with a note: still waiting, her volunteer is told why.
    with pytest.raises(BotError) as refused:
        await forwarding.hold(BOSS, letter_id, "  ")
    assert refused.value.message.key == "review.need_note"
    assert (await forwarding.hold(BOSS, letter_id, "A page is missing")).key == "review.held"
    (kept,) = await drain(uow, clock)
    assert kept.target_id == "1" and kept.message_key == "review.held_in_volunteer"
    assert kept.params["note"] == "A page is missing"
    assert "held: A page is missing" in plain(await forwarding.queue(BOSS))
    mine = await letters.history(HER, None)
    assert not isinstance(mine, list)
    assert "from Deb (held at the program: A page is missing)" in plain(mine)
    with pytest.raises(BotError) as refused:
        await forwarding.give_back(BOSS, letter_id, "No")
    assert refused.value.message.key == "review.not_hers"
    with pytest.raises(BotError):
        await forwarding.forward(BOSS, letter_id, date(2026, 11, 1))  # before it arrived
    # Forwarded: the reply counts from today.
    done = await forwarding.forward(BOSS, letter_id)
    assert done.key == "review.forwarded"
    (told,) = await drain(uow, clock)
    assert told.message_key == "letter.waiting" and told.params["due"] == {"$day": "2027-02-15"}
    with pytest.raises(BotError) as refused:
        await forwarding.forward(BOSS, letter_id)
    assert refused.value.message.key == "review.already"
    with pytest.raises(NotFound):
        await forwarding.forward(BOSS, 999)
    assert (await forwarding.queue(BOSS)).key == "review.empty"
    move_to(clock, datetime(2027, 2, 15, 9, tzinfo=UTC))
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == ["reminder.reply_due"]


async def test_with_review_her_letter_is_read_then_posted_kept_or_given_back(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow, clock)
    await drain(uow, clock)
    forwarding, letters, reminders = build(uow, clock, review=True)
    handed = await letters.log(HER, False, None, None)
    assert not isinstance(handed, list) and handed.key == "letter.handed_in"
    (ask,) = await drain(uow, clock)
    assert ask.target_id == "900" and ask.message_key == "review.new_out"
    assert [b.action for b in ask.buttons] == ["rf", "rh", "rr"]
    first = int(ask.buttons[0].arg)
    # Given back: it no longer counts as written, so the first-letter reminder still comes.
    with pytest.raises(BotError) as refused:
        await forwarding.give_back(BOSS, first, "")
    assert refused.value.message.key == "review.need_reason"
    assert (await forwarding.give_back(BOSS, first, "Leave out your town")).key == "review.returned"
    (back,) = await drain(uow, clock)
    assert back.target_id == "1" and back.message_key == "review.returned_volunteer"
    assert back.params["reason"] == "Leave out your town"
    move_to(clock, datetime(2026, 12, 5, 9, tzinfo=UTC))
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == ["reminder.first_letter"]
    # Written again and posted two days after she handed it in: both legs are kept.
    await letters.log(HER, False, None, "2026-12-05")
    (ask,) = await drain(uow, clock)
    second = int(ask.buttons[0].arg)
    move_to(clock, datetime(2026, 12, 7, 12, tzinfo=UTC))
    assert (await forwarding.forward(BOSS, second)).key == "review.posted"
    (posted,) = await drain(uow, clock)
    assert posted.message_key == "review.posted_volunteer"
    assert posted.params["dated"] == {"$day": "2026-12-07"}
    async with uow() as u:
        history = await u.letters.for_match(match_id)
    assert [(x.dated, x.program_on, x.state) for x in history] == [
        (date(2026, 11, 28), None, LetterState.RETURNED),
        (date(2026, 12, 5), date(2026, 12, 7), LetterState.DONE),
    ]
    lines = plain(await letters.history(HER, None))  # type: ignore[arg-type]
    assert "given back to you to rewrite: Leave out your town" in lines
    assert "Saturday 5 December – to Deb (posted by the program on Monday 7 December)" in lines
    # Her part was done on the 5th: keep-writing counts from it (30 days), not from the post.
    move_to(clock, datetime(2027, 1, 4, 8, 59, tzinfo=UTC))
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == []
    clock.advance(timedelta(minutes=1))
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == ["reminder.keep_writing"]


async def test_without_review_her_letter_is_posted_by_herself(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched(uow, clock)
    await drain(uow, clock)
    _, letters, _ = build(uow, clock, review=False)
    logged = await letters.log(HER, False, None, None)
    assert not isinstance(logged, list) and logged.key == "letter.logged_out"
    assert await drain(uow, clock) == []  # nothing for the coordinators to read


async def test_after_an_address_in_doubt_is_settled_reminders_count_from_that_day(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow, clock)
    letters = LetterService(uow, clock, POLICY)
    reminders = ReminderService(uow, clock, POLICY, COORDINATORS)
    addresses = AddressService(uow, clock, COORDINATORS)
    await letters.log(HER, True, None, "2026-11-28")  # due 12 December
    await letters.log(HER, False, None, "2026-11-28")
    await letters.log(HER, True, None, "2026-11-28")
    await drain(uow, clock)
    await addresses.returned_by_coordinator(BOSS, match_id, "moved", None)
    await drain(uow, clock)
    move_to(clock, datetime(2026, 12, 20, 12, tzinfo=UTC))
    await reminders.sweep()  # in doubt: nothing, although her reply is past due
    assert [m.message_key for m in await drain(uow, clock)] == []
    await CustodyService(uow, clock).transfer(
        penpal_id, "B-777", "Sample County Detention Center", BOSS
    )
    await drain(uow, clock)
    await reminders.sweep()  # not at once: the due day counts from the transfer
    assert [m.message_key for m in await drain(uow, clock)] == []
    move_to(clock, datetime(2026, 12, 30, 8, 59, tzinfo=UTC))  # due on 3 January: nudged 4 before
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == []
    clock.advance(timedelta(minutes=1))
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == ["reminder.reply_soon"]
    move_to(clock, datetime(2027, 1, 3, 9, tzinfo=UTC))
    await reminders.sweep()
    assert [m.message_key for m in await drain(uow, clock)] == ["reminder.reply_due"]

"""Letters and the reminder sweep on SQLite, with a fake clock: logging, the buttons under a
reminder, escalation to coordinators, re-offering after missed replies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.addresses import AddressService
from bot.custody import CustodyService
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    AccountRef,
    Actor,
    MatchStatus,
    PenPalStatus,
    Platform,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.letters import LetterService, PenPalChoice
from bot.messages import plain
from bot.reminders.policy import ReminderPolicy
from bot.reminders.sweep import ReminderService
from tests.core.helpers import BOSS, COORDINATORS, drain, matched, move_to

HER = AccountRef(Platform.TELEGRAM, "1")
NOT_COORDINATOR = Actor(Platform.TELEGRAM, "1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


def services(uow: UnitOfWorkFactory, clock: FakeClock) -> tuple[LetterService, ReminderService]:
    policy = ReminderPolicy()
    return LetterService(uow, clock, policy), ReminderService(uow, clock, policy, COORDINATORS)


async def test_a_received_letter_brings_a_nudge_a_snooze_and_i_have_replied(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow, clock)
    letters, reminders = services(uow, clock)
    await drain(uow, clock)
    logged = await letters.log(HER, True, None, "2026-11-28")
    assert not isinstance(logged, list) and logged.key == "letter.logged_in"
    assert logged.params["due"] == date(2026, 12, 12)
    move_to(clock, datetime(2026, 12, 8, 8, 59, tzinfo=UTC))
    assert await reminders.sweep() == 0
    clock.advance(timedelta(minutes=1))
    assert await reminders.sweep() == 1
    assert await reminders.sweep() == 0  # once
    (nudge,) = await drain(uow, clock)
    assert nudge.private and nudge.target_id == "1" and nudge.message_key == "reminder.reply_soon"
    assert [b.action for b in nudge.buttons] == ["rp", "sn"]
    reminder_id = int(nudge.buttons[1].arg)

    snoozed = await letters.snooze(HER, reminder_id)
    assert snoozed.key == "reminder.snoozed" and snoozed.params["when"] == date(2026, 12, 11)
    clock.advance(timedelta(days=3) - timedelta(minutes=1))
    assert await reminders.sweep() == 0
    clock.advance(timedelta(minutes=1))
    assert await reminders.sweep() == 1
    (again,) = await drain(uow, clock)
    assert again.message_key == "reminder.reply_soon"
    assert (await letters.snooze(HER, reminder_id)).key == "reminder.snoozed"
    assert (await letters.snooze(HER, reminder_id)).key == "reminder.snooze_limit"

    replied = await letters.replied(HER, int(again.buttons[0].arg))
    assert replied.key == "reminder.replied"
    assert (await letters.replied(HER, reminder_id)).key == "reminder.already"
    async with uow() as u:
        history = await u.letters.for_match(match_id)
    assert [x.direction.value for x in history] == ["from_penpal", "to_penpal"]
    clock.advance(timedelta(days=20))
    assert await reminders.sweep() == 0  # answered: no overdue, and keep-writing waits 30 days


async def test_an_unanswered_letter_reaches_the_coordinators_and_coord_overdue(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched(uow, clock)
    letters, reminders = services(uow, clock)
    await drain(uow, clock)
    await letters.log(HER, True, None, "2026-11-27")
    move_to(clock, datetime(2026, 12, 18, 9, tzinfo=UTC))
    assert await reminders.sweep() == 2  # her reminder that it is due, and the coordinators
    sent = await drain(uow, clock)
    alert = next(m for m in sent if m.message_key == "coord.alert.overdue")
    assert alert.target_id == "900" and alert.params["days"] == {
        "$msg": "count.days",
        "params": {"n": 7},
    }
    assert [b.action for b in alert.buttons] == ["rm", "po"]  # remind her now; re-offer
    assert next(m for m in sent if m.message_key == "reminder.reply_due").target_id == "1"
    listing = await letters.overdue(BOSS)
    assert listing.key == "coord.overdue" and listing.params["count"] == 1
    with pytest.raises(NotAllowed):
        await letters.overdue(NOT_COORDINATOR)


async def test_late_again_and_again_proposes_to_re_offer_her(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow, clock)
    letters, reminders = services(uow, clock)
    for _ in range(3):
        arrived = clock.now().date()
        await letters.log(HER, True, None, arrived.isoformat())
        clock.advance(timedelta(days=22))
        await reminders.sweep()
        await letters.log(HER, False, None, None)
        clock.advance(timedelta(days=1))
    sent = await drain(uow, clock)
    proposal = [m for m in sent if m.message_key == "coord.alert.missed_cycles"]
    assert len(proposal) == 1
    assert [(b.action, b.arg) for b in proposal[0].buttons] == [("rm", "1"), ("po", str(match_id))]
    assert proposal[0].params["count"] == 3
    custody = CustodyService(uow, clock)
    with pytest.raises(NotAllowed):
        await custody.reoffer(match_id, NOT_COORDINATOR)
    assert (await custody.reoffer(match_id, BOSS)).key == "match.reoffered"
    async with uow() as u:
        match = await u.matches.get(match_id)
        penpal = await u.penpals.get(penpal_id)
        volunteer = await u.volunteers.by_account(HER)
    assert match is not None and match.status is MatchStatus.ENDED
    assert penpal is not None and penpal.status is PenPalStatus.WAITING
    assert volunteer is not None and volunteer.status is VolunteerStatus.PAUSED


async def test_a_silence_from_inside_puts_her_address_in_doubt_until_it_is_checked(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow, clock)
    letters, reminders = services(uow, clock)
    await letters.log(HER, False, None, None)  # she wrote; nothing comes back
    clock.advance(timedelta(days=43))
    await reminders.sweep()
    sent = await drain(uow, clock)
    (alert,) = [m for m in sent if m.message_key == "coord.alert.silence"]
    assert [(b.action, b.arg) for b in alert.buttons] == [
        (action, str(penpal_id)) for action in ("aw", "ao", "am", "ar", "al")
    ]
    (told,) = [m for m in sent if m.message_key == "address.doubt_volunteer"]
    assert told.target_id == HER.user_id and told.private
    async with uow() as u:
        penpal = await u.penpals.get(penpal_id)
    assert penpal is not None and penpal.address_unconfirmed_at == clock.now().date()
    clock.advance(timedelta(days=30))  # in doubt: no reminder to write to her, however long
    assert await reminders.sweep() == 0
    addresses = AddressService(uow, clock)
    with pytest.raises(NotAllowed):
        await addresses.still_there(NOT_COORDINATOR, penpal_id)
    with pytest.raises(NotFound):
        await addresses.still_there(BOSS, penpal_id + 99)
    checked = await addresses.still_there(BOSS, penpal_id)
    assert checked.key == "address.confirmed"
    (good,) = await drain(uow, clock)
    assert good.message_key == "address.confirmed_volunteer" and good.target_id == HER.user_id
    async with uow() as u:
        penpal = await u.penpals.get(penpal_id)
        audit = await u.audit.recent(1)
    assert penpal is not None and penpal.address_verified_at == clock.now().date()
    assert penpal.address_unconfirmed_at is None
    assert audit[0].action == "penpal.address_confirmed"
    await letters.log(HER, True, None, None)  # reminders go on: a reply is due in time
    clock.advance(timedelta(days=12))
    assert await reminders.sweep() == 1
    async with uow() as u:
        assert [m.id for m in await u.matches.for_penpal(penpal_id)] == [match_id]


async def test_forged_and_foreign_buttons_change_nothing(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched(uow, clock)
    letters, reminders = services(uow, clock)
    clock.advance(timedelta(days=8))
    assert await reminders.sweep() == 1
    reminder_id = next(int(m.buttons[0].arg) for m in await drain(uow, clock) if m.buttons)
    for who, rid in ((AccountRef(Platform.TELEGRAM, "2"), reminder_id), (HER, 999_999)):
        with pytest.raises(NotFound):
            await letters.replied(who, rid)
        with pytest.raises(NotFound):
            await letters.snooze(who, rid)
    async with uow() as u:
        assert await u.letters.for_match(1) == []


async def test_bad_dates_are_refused_and_nothing_is_written(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow, clock)
    letters, _ = services(uow, clock)
    for day, key in (("yesterday-ish", "letter.bad_date"), ("2026-12-25", "letter.future"),
                     ("2020-01-01", "letter.before_match")):  # fmt: skip
        with pytest.raises(BotError) as error:
            await letters.log(HER, True, None, day)
        assert error.value.message.key == key
    with pytest.raises(NotFound):
        await letters.log(HER, True, match_id + 50, None)
    assert (await letters.log(AccountRef(Platform.TELEGRAM, "77"), True, None, None)).key == (  # type: ignore[union-attr]
        "letter.no_matches"
    )
    async with uow() as u:
        assert await u.letters.for_match(match_id) == []
    history = await letters.history(HER, None)
    assert not isinstance(history, list) and history.key == "letters.none"
    assert await letters.choices(HER) == [PenPalChoice(match_id, history.params["penpal"])]


async def test_paused_volunteers_get_no_reminders(uow: UnitOfWorkFactory, clock: FakeClock) -> None:
    await matched(uow, clock)
    _, reminders = services(uow, clock)
    async with uow() as u:
        volunteer = await u.volunteers.by_account(HER)
        assert volunteer is not None
        await u.volunteers.set_status(volunteer.id, VolunteerStatus.PAUSED, clock.now())
        await u.commit()
    clock.advance(timedelta(days=60))
    assert await reminders.sweep() == 0


async def test_long_histories_and_overdue_lists_fit_one_message(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched(uow, clock)
    letters, _ = services(uow, clock)
    clock.advance(timedelta(days=100))
    for day in range(80):
        await letters.log(
            HER,
            day % 2 == 0,
            None,
            (datetime(2026, 11, 29) + timedelta(days=day)).date().isoformat(),
        )
    history = await letters.history(HER, None)
    assert not isinstance(history, list)
    text = plain(history)
    assert "(50 earlier ones not shown)" in text and len(text) < 2000
    assert text.count(" – ") == 30


async def test_a_pen_pal_named_by_typing_is_found_or_the_names_are_offered(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow, clock)
    letters, _ = services(uow, clock)
    (choice,) = await letters.choices(HER)
    assert await letters.match_named(HER, None) is None
    assert await letters.match_named(HER, str(match_id)) == match_id  # picked from the list
    assert await letters.match_named(HER, choice.name.upper()) == match_id
    assert await letters.match_named(HER, f" {choice.name[:2]} ") == match_id
    with pytest.raises(BotError) as nobody:
        await letters.match_named(HER, "Zed")
    assert nobody.value.message.key == "letter.which_penpal"
    assert choice.name in plain(nobody.value.message)
    with pytest.raises(BotError) as stranger:
        await letters.match_named(AccountRef(Platform.TELEGRAM, "77"), "Zed")
    assert stranger.value.message.key == "letter.no_matches"


async def test_a_returned_letter_stops_reminders_and_asks_the_coordinators_where_she_is(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow, clock)
    letters, reminders = services(uow, clock)
    await letters.log(HER, False, None, None)  # her first letter, to the address on record
    await drain(uow, clock)
    addresses = AddressService(uow, clock, COORDINATORS)
    with pytest.raises(BotError) as bad:
        await addresses.returned(HER, None, "lost in space", None)
    assert bad.value.message.key == "returned.bad_reason"
    told = await addresses.returned(HER, None, "Trasladada", None)  # her words, in Spanish too
    assert not isinstance(told, list) and told.key == "returned.logged"
    sent = await drain(uow, clock)
    (alert,) = [m for m in sent if m.message_key == "coord.alert.returned"]
    actions = [b.action for b in alert.buttons]
    assert alert.target_id == "900" and actions == ["aw", "ao", "am", "ar", "al"]
    assert "Placeholder" not in str(alert.params)  # no committed name in what a channel shows
    async with uow() as u:
        (back,) = await u.letters.returned_for(penpal_id)
        current = await u.penpals.custody(penpal_id)
    assert back.reason.value == "moved" and back.match_id == match_id
    assert current is not None and back.custody_id == current.id
    clock.advance(timedelta(days=31))  # a "keep writing" nudge would be due now
    assert await reminders.sweep() == 0
    where = plain(await addresses.where(BOSS, penpal_id))
    assert "Letters that came back: " in where and "not at this address (moved)" in where
    later = await addresses.later(BOSS, penpal_id)
    assert later.key == "address.later"
    clock.advance(timedelta(days=14))
    assert await addresses.ask_again() == 1
    assert [m.message_key for m in await drain(uow, clock)] == ["coord.alert.address_again"]
    assert await addresses.ask_again() == 0  # once
    listed = plain(await addresses.to_check(BOSS))
    assert listed.startswith("Addresses to check (") and "in doubt since" in listed
    with pytest.raises(NotAllowed):
        await addresses.to_check(NOT_COORDINATOR)
    # She moved: the transfer gives the new address and ends the doubt.
    await CustodyService(uow, clock).transfer(
        penpal_id, "NEW-1", "Sample County Detention Center", BOSS
    )
    async with uow() as u:
        moved = await u.penpals.get(penpal_id)
    assert moved is not None and moved.address_unconfirmed_at is None
    # A letter sent before the move that comes back now is no doubt about the new address.
    old = await addresses.returned(HER, None, None, None)
    assert not isinstance(old, list) and old.key == "returned.old_address"

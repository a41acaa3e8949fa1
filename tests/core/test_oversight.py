"""Coordinators' lists and numbers on SQLite: pending sign-ups, one volunteer with her
reliability, the waiting list with filters, the program's numbers, the audit trail; paging;
non-coordinators get nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.custody import CustodyService
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import AccountRef, Actor, EndReason, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.letters import LetterService
from bot.lifecycle import LifecycleService
from bot.messages import plain
from bot.oversight import OversightService, reliability
from bot.questions import Question
from bot.reminders.policy import LetterMark, ReminderPolicy
from bot.signup import SignupService
from tests.core.helpers import BOSS, CANARY_NAME, HER, matched_canary, setup, volunteer

STRANGER = Actor(Platform.TELEGRAM, "1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


def service(uow: UnitOfWorkFactory, clock: FakeClock) -> OversightService:
    return OversightService(uow, clock, ReminderPolicy())


def test_reliability_counts_replies_by_the_due_day_late_and_missing() -> None:
    day = datetime(2026, 1, 1).date()
    marks = [
        LetterMark(1, day, True), LetterMark(2, day.replace(day=10), False),  # on time
        LetterMark(3, day.replace(day=11), True), LetterMark(4, day.replace(month=2), False),  # late
        LetterMark(5, day.replace(month=3), True),  # not answered
    ]  # fmt: skip
    found = reliability(marks, ReminderPolicy(), day.replace(month=4))
    assert (found.on_time, found.late, found.unanswered) == (1, 1, 1)
    early = reliability(marks, ReminderPolicy(), day.replace(month=3, day=5))
    assert early.unanswered == 0  # not yet past due


async def test_everything_here_is_for_coordinators_only(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    found = service(uow, clock)
    for call in (found.pending(STRANGER), found.volunteer(STRANGER, "1"),
                 found.penpals(STRANGER), found.stats(STRANGER), found.audit(STRANGER),
                 found.page(STRANGER, "audit", 0)):  # fmt: skip
        with pytest.raises(NotAllowed):
            await call
    with pytest.raises(NotFound):
        await found.page(BOSS, "volunteers", 0)


async def test_pending_sign_ups_page_by_five(uow: UnitOfWorkFactory, clock: FakeClock) -> None:
    signup = SignupService(uow, clock, approval_required=True, coordinators=())
    for n in range(7):
        account = AccountRef(Platform.TELEGRAM, str(100 + n))
        await signup.start(account)
        for question, raw in ((Question.NAME, f"Pending {n}"), (Question.PRONOUNS, ""),
                              (Question.LANGUAGES, "English"), (Question.INTERESTS, "books"),
                              (Question.KINDS, ""), (Question.WOMAN, "no"),
                              (Question.CAPACITY, "1"), (Question.FREQUENCY, "monthly"),
                              (Question.TIMEZONE, "UTC")):  # fmt: skip
            await signup.answer(account, question, raw)
        await signup.agree(account)
    first = await service(uow, clock).pending(BOSS)
    assert (first.page, first.pages, first.has_next, first.has_previous) == (0, 2, True, False)
    assert len(first.ids) == 5 and "Pending 0" in plain(first.message)
    second = await service(uow, clock).page(BOSS, "pending", 9)  # past the end: the last page
    assert second.page == 1 and len(second.ids) == 2 and "Pending 6" in plain(second.message)


async def test_one_volunteer_in_full_with_her_reliability_and_an_audit_row(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched_canary(uow, clock)
    letters = LetterService(uow, clock, ReminderPolicy())
    await letters.log(HER, True, None, "2026-11-28")
    clock.advance(datetime(2026, 12, 20, 12, tzinfo=UTC) - clock.now())
    await letters.log(HER, False, None, "2026-12-19")  # 21 days: late
    found = service(uow, clock)
    with pytest.raises(BotError):
        await found.volunteer(BOSS, "  ")
    assert (await found.volunteer(BOSS, "nobody-like-this")).key == "oversight.volunteer_none"
    for number in ("9" * 30, "１２"):  # longer than any id; digits that are not ASCII
        assert (await found.volunteer(BOSS, number)).key == "oversight.volunteer_none"
    shown = await found.volunteer(BOSS, "quillfeather")
    text = plain(shown)
    assert CANARY_NAME in text and "Replies on time: 0 · late: 1" in text
    assert "1 letter received, 1 sent" in text
    by_number = await found.volunteer(BOSS, f"#{shown.params['id']}")
    assert plain(by_number) == text
    async with uow() as u:
        audit = await u.audit.recent(1)
    assert audit[0].action == "volunteer.view" and audit[0].actor == BOSS.label
    assert "active since Saturday 28 November" in text
    assert text.startswith("Volunteer #1: Zephyrine Quillfeather (she/her), active\n")
    clock.advance(timedelta(days=40))
    await CustodyService(uow, clock).end_match(
        shown.params["matches"][0].params["id"], EndReason.NO_REPLY, BOSS
    )
    ended = plain(await found.volunteer(BOSS, "quillfeather"))
    assert "ended on Friday 29 January: no reply (began Saturday 28 November)" in ended, ended


async def test_two_volunteers_with_the_same_name_part_are_listed_to_choose(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await setup(uow, clock)
    await volunteer(uow, clock, "1", "English", 1)
    await volunteer(uow, clock, "2", "English", 1)
    many = await service(uow, clock).volunteer(BOSS, "Writer")
    assert many.key == "oversight.volunteer_many" and "#2 Writer 2" in plain(many)


async def test_the_waiting_list_longest_wait_first_with_filters_and_no_private_data(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await setup(uow, clock)
    found = service(uow, clock)
    listing = await found.penpals(BOSS)
    text = plain(listing.message)
    assert listing.message.params["count"] == 8 and "Rosa" in text
    assert "Delgado" not in text and "W10001" not in text  # no committed name, no ID number
    lines = listing.message.params["lines"]
    days = [line.params["days"].params["n"] for line in lines]  # type: ignore[union-attr]
    assert days == sorted(days, reverse=True)
    spanish = await found.penpals(BOSS, "ES")
    assert {line.params["name"] for line in spanish.message.params["lines"]} == {"Rosa", "Ana"}  # type: ignore[union-attr]
    assert (await found.penpals(BOSS, "woman")).message.params["count"] == 3
    assert (await found.penpals(BOSS, "books")).message.params["count"] == 2
    assert (await found.penpals(BOSS, "klingon")).message.key == "oversight.penpals_none"


async def test_stats_and_the_audit_trail_in_pages(uow: UnitOfWorkFactory, clock: FakeClock) -> None:
    await matched_canary(uow, clock)
    letters = LetterService(uow, clock, ReminderPolicy())
    await letters.log(HER, True, None, "2026-11-28")
    clock.advance(datetime(2026, 12, 4, 12, tzinfo=UTC) - clock.now())
    await letters.log(HER, False, None, "2026-12-04")
    found = service(uow, clock)
    stats = plain(await found.stats(BOSS))
    assert "Volunteers: 1 active" in stats and "Waiting list: 7 pen pals" in stats
    assert "active matches: 1" in stats and "Letters logged in December 2026: 1" in stats
    assert "Median days to reply (last 90 days, 1 reply): 6" in stats
    await LifecycleService(uow, clock).pause(HER, None)
    paused = plain(await found.stats(BOSS))
    assert "Volunteers: 0 active, 1 on a break" in paused
    assert "active matches: 1" in paused  # her match goes on while she rests
    async with uow() as u:
        for n in range(20):
            await u.audit.add(BOSS.label, "test.action", f"thing:{n}", clock.now())
        await u.commit()
    first = await found.audit(BOSS)
    assert first.pages >= 2 and "thing:19" in plain(first.message)
    last = await found.page(BOSS, "audit", first.pages - 1)
    assert last.has_previous and not last.has_next

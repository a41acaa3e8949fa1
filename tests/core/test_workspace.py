"""The workspace's figures in the core, on known data: the charts count what happened, the
report for funders counts the period asked for, and login links and sessions behave."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed
from bot.domain.models import Actor, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.letters import LetterService
from bot.reminders.policy import ReminderPolicy
from bot.workspace import WorkspaceService
from tests.core.helpers import BOSS, matched

HER_ACCOUNT_LETTERS = ("2026-11-02", "2026-11-10", "2026-11-20")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 10, 1, 12, tzinfo=UTC))


def service(uow: UnitOfWorkFactory, clock: FakeClock, coordinators: set[str]) -> WorkspaceService:
    async def still(platform: Platform, user_id: str) -> bool:
        return user_id in coordinators

    return WorkspaceService(
        uow, clock, ReminderPolicy(), public_url="https://w.example", still_coordinator=still
    )


async def test_links_work_once_and_sessions_end_with_the_role(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    coordinators = {"900"}
    workspace = service(uow_factory, clock, coordinators)
    with pytest.raises(NotAllowed):
        await workspace.link(Actor(Platform.TELEGRAM, "5"))
    with pytest.raises(BotError):
        await WorkspaceService(uow_factory, clock, ReminderPolicy()).link(BOSS)  # switched off
    sent = await workspace.link(BOSS)
    url = str(sent.params["url"])
    assert url.startswith("https://w.example/login/")
    token = url.rsplit("/", 1)[1]
    cookie = await workspace.login(token)
    assert cookie is not None and await workspace.login(token) is None  # once
    assert await workspace.session(cookie) is not None
    assert await workspace.session(cookie + "x") is None  # a changed signature
    assert await workspace.session("nothing.here") is None
    coordinators.clear()  # her role is taken away: within a minute her sessions end
    assert await workspace.session(cookie) is not None
    clock.advance(timedelta(minutes=2))
    assert await workspace.session(cookie) is None
    coordinators.add("900")
    clock.advance(timedelta(minutes=2))
    assert await workspace.session(cookie) is None  # ended, not suspended
    late = str((await workspace.link(BOSS)).params["url"]).rsplit("/", 1)[1]
    clock.advance(timedelta(minutes=10, seconds=1))
    assert await workspace.login(late) is None
    fresh = await workspace.login(str((await workspace.link(BOSS)).params["url"]).rsplit("/", 1)[1])
    assert fresh is not None
    clock.advance(timedelta(hours=12, seconds=1))
    assert await workspace.session(fresh) is None  # the session's hours are over


async def test_the_charts_and_the_report_count_what_happened(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow_factory, clock)  # confirmed on 1 October 2026
    clock.advance(timedelta(days=60))  # 30 November 2026
    letters = LetterService(uow_factory, clock, ReminderPolicy())
    from tests.core.test_letters import HER

    await letters.log(HER, True, None, "2026-11-02")  # answered in 8 days: on time
    await letters.log(HER, False, None, "2026-11-10")
    await letters.log(HER, True, None, "2026-11-11")  # answered in 19 days: late
    await letters.log(HER, False, None, "2026-11-30")
    workspace = service(uow_factory, clock, {"900"})
    charts = {chart.name: chart for chart in await workspace.charts()}
    assert set(charts) == {"letters", "replies", "waiting", "volunteers", "first_letter"}
    weekly = charts["letters"]
    assert len(weekly.points) == 26 and weekly.points[-1] == "2026-11-30"
    by_week = dict(zip(weekly.points, zip(*(s.values for s in weekly.series), strict=True),
                       strict=True))  # fmt: skip
    assert by_week["2026-11-02"] == (1.0, 0.0) and by_week["2026-11-09"] == (1.0, 1.0)
    assert by_week["2026-11-30"] == (0.0, 1.0)
    replies = charts["replies"]
    assert replies.points[-1] == "2026-11" and replies.series[0].values[-1] == 13.5  # (8+19)/2
    first = charts["first_letter"]
    assert first.series[0].values[-2] == 40.0  # signed up on 1 October, wrote on 10 November
    report = await workspace.report(date(2026, 11, 1), date(2026, 11, 30))
    assert (report.women_served, report.volunteers_active) == (1, 1)
    assert (report.letters_in, report.letters_out) == (2, 2)
    assert (report.replies_on_time, report.replies_answered) == (1, 2)
    earlier = await workspace.report(date(2026, 9, 1), date(2026, 9, 30))  # before the match
    assert (earlier.women_served, earlier.letters_in, earlier.median_wait_days) == (0, 0, None)
    assert match_id


def test_the_waiting_list_over_time_counts_each_wait_until_its_match() -> None:
    from bot.workspace import _waiting_over_time

    spans = [
        (date(2026, 1, 5), date(2026, 3, 10), "matched"),  # waited January to March
        (date(2026, 2, 1), None, "waiting"),  # still waiting
        (date(2026, 2, 20), None, "released"),  # left unmatched: when is not known
        (date(2026, 4, 1), date(2026, 4, 2), "matched"),
    ]
    ends = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    sizes, longest = _waiting_over_time(spans, ends)
    assert sizes == [1.0, 2.0, 1.0, 1.0]
    assert longest == [26.0, 54.0, 58.0, 88.0]  # January's woman, then February's


async def test_the_matches_page_gives_the_next_reminder_and_how_late_a_reply_is(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, _ = await matched(uow_factory, clock)  # 1 October 2026, volunteer in UTC
    from tests.core.test_letters import HER

    letters = LetterService(uow_factory, clock, ReminderPolicy())
    workspace = service(uow_factory, clock, {"900"})
    (row,), total = await workspace.matches(0)
    assert (total, row.match_id, row.overdue_days) == (1, match_id, 0)
    assert row.next_reminder == date(2026, 10, 8)  # the first letter is due a week after
    clock.advance(timedelta(days=30))  # 31 October
    await letters.log(HER, True, None, "2026-10-10")  # due 24 October: 7 days late
    (row,), _ = await workspace.matches(0)
    assert row.overdue_days == 7 and row.last_in == date(2026, 10, 10)
    assert row.next_reminder == date(2026, 11, 21)  # what is due was sent: next, the silence

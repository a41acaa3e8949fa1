"""Release dates on SQLite with a fake clock: told before (once per date), carried out on the
day (matches end with no closing letter, she leaves the waiting list), the program's choice
afterwards, and a date changed or cleared by a coordinator."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed
from bot.domain.models import Actor, Match, MatchStatus, PenPalStatus, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import plain
from bot.releases import ReleaseService
from tests.core.helpers import BOSS, COORDINATORS, drain, matched


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


async def released_on(uow: UnitOfWorkFactory, penpal_id: int, day: date) -> None:
    async with uow() as u:
        penpal = await u.penpals.get(penpal_id)
        assert penpal is not None
        await u.penpals.update(replace(penpal, release_date=day))
        await u.commit()


async def test_a_release_is_told_before_and_carried_out_on_the_day(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow, clock)
    await drain(uow, clock)
    await released_on(uow, penpal_id, date(2026, 12, 10))
    releases = ReleaseService(uow, clock, COORDINATORS, notice_days=10)
    assert await releases.daily() == 0  # 12 days ahead: not yet
    clock.advance(timedelta(days=2))
    assert await releases.daily() == 1
    sent = {m.message_key: m for m in await drain(uow, clock)}
    assert set(sent) == {"release.soon_volunteer", "coord.alert.release_soon"}
    assert (
        sent["release.soon_volunteer"].private and sent["release.soon_volunteer"].target_id == "1"
    )
    assert await releases.daily() == 0  # once per date
    clock.advance(timedelta(days=10))
    assert await releases.daily() == 1
    keys = [m.message_key for m in await drain(uow, clock)]
    assert keys.count("match.ended_volunteer_released") == 1  # no closing letter asked for
    assert "release.after_volunteer" in keys and "coord.alert.released" in keys
    async with uow() as u:
        match = await u.matches.get(match_id)
        penpal = await u.penpals.get(penpal_id)
    assert match is not None and match.status is MatchStatus.ENDED
    assert match.end_reason == "released"
    assert penpal is not None and penpal.status is PenPalStatus.RELEASED
    assert await releases.daily() == 0


async def test_the_coordinators_decide_what_follows_when_the_program_says_so(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    _, penpal_id = await matched(uow, clock)
    await drain(uow, clock)
    await released_on(uow, penpal_id, clock.now().date())
    releases = ReleaseService(uow, clock, COORDINATORS, policy="coordinator decides")
    await releases.daily()
    (alert,) = [m for m in await drain(uow, clock) if m.message_key.startswith("coord.")]
    assert alert.message_key == "coord.alert.released_decide"
    assert [(b.action, b.arg) for b in alert.buttons] == [
        ("rc", str(penpal_id)),
        ("re", str(penpal_id)),
    ]
    with pytest.raises(NotAllowed):
        await releases.decide(Actor(Platform.TELEGRAM, "1"), penpal_id, True)
    assert (await releases.decide(BOSS, penpal_id, True)).key == "release.continued"
    (told,) = await drain(uow, clock)
    assert told.message_key == "release.continue_volunteer" and told.target_id == "1"
    assert (await releases.decide(BOSS, penpal_id, False)).key == "release.decided_already"
    assert await drain(uow, clock) == []


async def test_a_release_date_is_changed_or_cleared_and_a_waiting_woman_leaves_the_list(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    _, penpal_id = await matched(uow, clock)
    releases = ReleaseService(uow, clock, COORDINATORS)
    with pytest.raises(BotError):
        await releases.set_date(BOSS, penpal_id, "2020-01-01")
    with pytest.raises(BotError):
        await releases.set_date(BOSS, penpal_id, "soon")
    set_to = await releases.set_date(BOSS, penpal_id, "2027-02-01")
    assert "expected to be released on Monday 1 February" in plain(set_to)
    assert (await releases.set_date(BOSS, penpal_id, "none")).key == "release.date_cleared"
    async with uow() as u:
        penpal = await u.penpals.get(penpal_id)
        waiting = next(p for p in await u.penpals.all() if p.status is PenPalStatus.WAITING)
    assert penpal is not None and penpal.release_date is None
    async with uow() as u:  # a proposal for her is open when her release comes
        proposal = await u.matches.add(
            Match(0, 1, waiting.id, MatchStatus.PROPOSED, proposed_at=clock.now())
        )
        await u.commit()
    await released_on(uow, waiting.id, clock.now().date())
    await releases.daily()
    async with uow() as u:
        gone = await u.penpals.get(waiting.id)
        skipped = await u.matches.get(proposal.id)
    assert gone is not None and gone.status is PenPalStatus.RELEASED
    assert skipped is not None and skipped.status is MatchStatus.SKIPPED

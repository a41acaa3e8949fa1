"""Ending matches, transfers and releases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.custody import CustodyService
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed
from bot.domain.models import Actor, EndReason, MatchStatus, PenPalStatus, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.matching.service import MatchService
from bot.messages import plain
from tests.core.helpers import BOSS, matched


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


async def sent_keys(uow: UnitOfWorkFactory, clock: FakeClock) -> list[str]:
    async with uow() as u:
        claimed = await u.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "x", 50)
    assert all(m.private for m in claimed)
    return [m.message_key for m in claimed]


async def test_ending_a_match_requeues_her_with_her_original_date(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow_factory, clock)
    custody = CustodyService(uow_factory, clock)
    async with uow_factory() as uow:
        before = (await uow.penpals.get(penpal_id)).waiting_since  # type: ignore[union-attr]
    with pytest.raises(NotAllowed):
        await custody.end_match(match_id, EndReason.NO_REPLY, Actor(Platform.TELEGRAM, "1"))
    result = await custody.end_match(match_id, EndReason.NO_REPLY, BOSS)
    assert result.key == "match.ended"
    assert (await custody.end_match(match_id, EndReason.NO_REPLY, BOSS)).key == "match.not_active"
    async with uow_factory() as uow:
        match = await uow.matches.get(match_id)
        penpal = await uow.penpals.get(penpal_id)
    assert (
        match is not None and match.status is MatchStatus.ENDED and match.end_reason == "no reply"
    )
    assert (
        penpal is not None
        and penpal.status is PenPalStatus.WAITING
        and penpal.waiting_since == before
    )
    assert "match.ended_volunteer" in await sent_keys(uow_factory, clock)


async def test_a_transfer_closes_the_old_record_and_tells_her_volunteer_privately(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    _, penpal_id = await matched(uow_factory, clock)
    custody = CustodyService(uow_factory, clock)
    with pytest.raises(BotError) as unknown:
        await custody.transfer(penpal_id, "N-1", "Nowhere", BOSS)
    assert unknown.value.message.key == "penpal.unknown_facility"
    result = await custody.transfer(penpal_id, "NEW-77", "Sample County Detention Center", BOSS)
    assert result.key == "penpal.transferred"
    async with uow_factory() as uow:
        history = await uow.penpals.history(penpal_id)
        current = await uow.penpals.custody(penpal_id)
    assert len(history) == 2 and history[0].ended_on == date(2026, 11, 28)
    assert current is not None and current.id_number == "NEW-77"
    assert "penpal.transferred_volunteer" in await sent_keys(uow_factory, clock)


async def test_a_release_ends_her_matches_without_requeueing_her(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow_factory, clock)
    custody = CustodyService(uow_factory, clock)
    assert (await custody.release(penpal_id, date(2026, 11, 20), BOSS)).key == "penpal.released"
    async with uow_factory() as uow:
        match = await uow.matches.get(match_id)
        penpal = await uow.penpals.get(penpal_id)
        actions = [a.action for a in await uow.audit.recent(3)]
    assert match is not None and match.end_reason == "released"
    assert penpal is not None and penpal.status is PenPalStatus.RELEASED
    assert penpal.release_date == date(2026, 11, 20)
    assert actions[:2] == ["penpal.release", "match.end"]
    # No closing letter to a prison she has left: her volunteer is told not to write there.
    assert (await sent_keys(uow_factory, clock))[-1] == "match.ended_volunteer_released"


async def test_lost_after_a_transfer_she_waits_off_the_list_until_her_new_address(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow_factory, clock)
    custody = CustodyService(uow_factory, clock)
    ended = await custody.end_match(match_id, EndReason.TRANSFERRED_AND_LOST, BOSS)
    assert ended.key == "match.ended_lost"
    assert f"/coord transfer {penpal_id} ID_NUMBER FACILITY" in plain(ended)
    assert (await sent_keys(uow_factory, clock))[-1] == "match.ended_volunteer_lost"
    async with uow_factory() as uow:
        lost = await uow.penpals.get(penpal_id)
        before = lost.waiting_since  # type: ignore[union-attr]
        pool = await uow.matches.pool(clock.now().date())
    assert lost is not None and lost.status is PenPalStatus.PAUSED
    assert penpal_id not in {p.id for p, _ in pool.penpals}  # never proposed to an old address
    await custody.transfer(penpal_id, "NEW-1", "Sample County Detention Center", BOSS)
    async with uow_factory() as uow:
        found = await uow.penpals.get(penpal_id)
    assert found is not None and found.status is PenPalStatus.WAITING
    assert found.waiting_since == before


async def test_ending_a_match_because_she_was_released_records_her_release(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow_factory, clock)
    ended = await CustodyService(uow_factory, clock).end_match(match_id, EndReason.RELEASED, BOSS)
    assert ended.key == "match.ended_released" and "waiting list" in plain(ended)
    async with uow_factory() as uow:
        penpal = await uow.penpals.get(penpal_id)
    assert penpal is not None and penpal.status is PenPalStatus.RELEASED
    assert penpal.release_date == clock.now().date()


async def test_reassign_ends_then_proposes_again_in_one_call(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    match_id, penpal_id = await matched(uow_factory, clock)
    custody = CustodyService(uow_factory, clock, matching=MatchService(uow_factory, clock))
    with pytest.raises(NotAllowed):
        await custody.reassign(match_id, EndReason.NO_REPLY, Actor(Platform.TELEGRAM, "1"))
    answers = await custody.reassign(match_id, EndReason.NO_REPLY, BOSS)
    assert answers[0].message.key == "match.ended" and answers[0].proposal is None
    assert answers[1].message.key in ("match.run", "match.none")  # the run that follows
    async with uow_factory() as uow:
        ended = await uow.matches.get(match_id)
        proposed = await uow.matches.open_proposals()
    assert ended is not None and ended.status is MatchStatus.ENDED
    buttons = [a.proposal for a in answers[2:] if a.proposal is not None]
    assert sorted(buttons) == sorted(p.id for p in proposed)
    assert (ended.volunteer_id, penpal_id) not in {(p.volunteer_id, p.penpal_id) for p in proposed}
    # Her only volunteer was the one who stopped: the coordinator is told she waits.
    assert penpal_id not in {p.penpal_id for p in proposed}
    assert answers[-1].message.key == "reassign.nobody" and answers[-1].proposal is None
    again = await custody.reassign(match_id, EndReason.NO_REPLY, BOSS)
    assert [a.message.key for a in again] == ["match.not_active"]  # no run after a refusal

"""Matching runs, confirmation and volunteers' own details."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.clock import FakeClock
from bot.domain.errors import NotAllowed
from bot.domain.models import (
    Actor,
    MatchStatus,
    PenPalStatus,
    Platform,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.letters import LetterService
from bot.lifecycle import LifecycleService
from bot.matching.service import MatchService, ReturnAddress
from bot.matching.solver import Request, Solution, SolverFailed
from bot.matching.types import slot_of, waiting_of
from bot.messages import Message, params_from_json, plain
from bot.reminders.policy import ReminderPolicy
from tests.core.helpers import BOSS, setup, volunteer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


async def test_a_run_proposes_within_the_rules_and_confirming_sends_details_privately(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    matches = await setup(uow_factory, clock)
    ann = await volunteer(uow_factory, clock, "1", "English", 2, "poetry, books")
    await volunteer(uow_factory, clock, "2", "Spanish", 1, "faith")
    with pytest.raises(NotAllowed):
        await matches.run(Actor(Platform.TELEGRAM, "1"))
    found = await matches.run(BOSS, seed=7)
    # Both Spanish speakers asked for a woman writer, and this volunteer said she does not write as one.
    summary = found[0].message
    assert summary.key == "match.run" and summary.params["count"] == 2 and found[0].proposal is None
    async with uow_factory() as uow:
        proposals = await uow.matches.open_proposals()
        penpals = {p.id: p for p in await uow.penpals.all()}
        ann_id = (await uow.volunteers.by_account(ann)).id  # type: ignore[union-attr]
    assert len(proposals) == 2
    for proposal in proposals:  # nobody who asked for a woman writer is proposed to these two
        assert penpals[proposal.penpal_id].writer_preference != "woman"
    assert sum(p.volunteer_id == ann_id for p in proposals) == 2
    assert sorted(a.proposal for a in found[1:]) == sorted(p.id for p in proposals)  # buttons
    text = "\n".join(plain(a.message) for a in found)
    assert "Example Delgado" not in text and "W1000" not in text  # coordinators see first names

    first = proposals[0]
    assert (await matches.decide(first.id, True, BOSS)).key == "match.confirmed"
    assert (await matches.decide(first.id, True, BOSS)).key == "match.already"
    assert (await matches.decide(proposals[1].id, False, BOSS)).key == "match.skipped"
    async with uow_factory() as uow:
        assert (await uow.matches.get(first.id)).status is MatchStatus.ACTIVE  # type: ignore[union-attr]
        assert (await uow.penpals.get(first.penpal_id)).status is PenPalStatus.MATCHED  # type: ignore[union-attr]
        sent = await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "t", 10)
        audit = await uow.audit.recent(5)
    details = [m for m in sent if m.message_key == "match.details"]
    assert len(details) == 1 and details[0].private
    penpal = penpals[first.penpal_id]
    assert penpal.committed_name in str(details[0].params)
    assert all(penpal.committed_name not in a.subject for a in audit)
    assert {a.action for a in audit} >= {"match.confirm", "penpal.details_sent", "match.skip"}


async def test_confirming_rechecks_capacity(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    matches = await setup(uow_factory, clock)
    await volunteer(uow_factory, clock, "1", "English", 1)
    await matches.run(BOSS, seed=1)
    async with uow_factory() as uow:
        (proposal,) = await uow.matches.open_proposals()
    await matches.decide(proposal.id, True, BOSS)
    await matches.run(BOSS, seed=2)  # she is full now: nothing to propose
    async with uow_factory() as uow:
        assert await uow.matches.open_proposals() == []


async def test_a_volunteer_sees_her_own_pen_pals_details(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    matches = await setup(uow_factory, clock)
    ann = await volunteer(uow_factory, clock, "1", "English", 1)
    assert [m.key for m in await matches.mine(ann)] == ["match.mine_none"]
    await matches.run(BOSS, seed=3)
    async with uow_factory() as uow:
        (proposal,) = await uow.matches.open_proposals()
    await matches.decide(proposal.id, True, BOSS)
    (details,) = await matches.mine(ann)
    assert details.key == "match.mine" and "ID " in plain(details)
    async with uow_factory() as uow:
        assert (await uow.audit.recent(1))[0].action == "penpal.read"


async def test_my_pen_pals_say_what_is_due_next_as_the_match_goes_on(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    matches = await setup(uow_factory, clock)
    ann = await volunteer(uow_factory, clock, "1", "English", 1)
    await matches.run(BOSS, seed=3)
    async with uow_factory() as uow:
        (proposal,) = await uow.matches.open_proposals()
    await matches.decide(proposal.id, True, BOSS)
    letters = LetterService(uow_factory, clock, ReminderPolicy())

    async def standing() -> str:
        (mine,) = await matches.mine(ann)
        text = plain(mine)
        assert "new pen pal" not in text
        return text.rsplit("\n", 1)[-1]

    assert await standing() == "Your first letter is due by Saturday 5 December."
    clock.advance(timedelta(days=10))
    assert (await standing()).startswith("Your first letter was due on Saturday 5 December.")
    await letters.log(ann, False, None, None)
    assert await standing() == (
        "You last wrote to her on Tuesday 8 December. When her answer comes, log it with "
        "/letter received."
    )
    clock.advance(timedelta(days=30))
    await letters.log(ann, True, None, "2027-01-05")
    assert await standing() == (
        "Her letter reached you on Tuesday 5 January; your reply is due by Tuesday 19 January."
    )
    clock.advance(timedelta(days=20))
    assert (await standing()).startswith(
        "Her letter reached you on Tuesday 5 January; your reply was due"
    )
    await LifecycleService(uow_factory, clock).pause(ann, "2027-03-01")
    assert await standing() == (
        "You are taking a break until Monday 1 March; reminders start again then."
    )


async def test_a_woman_writer_can_be_matched_with_those_who_asked_for_one(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    matches = await setup(uow_factory, clock)
    await volunteer(uow_factory, clock, "3", "Spanish", 2, "faith", woman="yes")
    await matches.run(BOSS, seed=5)
    async with uow_factory() as uow:
        proposals = await uow.matches.open_proposals()
        penpals = {p.id: p for p in await uow.penpals.all()}
    assert sorted(penpals[p.penpal_id].preferred_name for p in proposals) == ["Ana", "Rosa"]
    assert all(penpals[p.penpal_id].writer_preference == "woman" for p in proposals)


async def test_someone_else_proposes_the_next_best_volunteer_then_runs_out(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    matches = await setup(uow_factory, clock)
    await volunteer(uow_factory, clock, "1", "English", 1, "history")
    await matches.run(BOSS, seed=4)
    await volunteer(uow_factory, clock, "2", "English", 1, "books")  # signed up after the run
    async with uow_factory() as uow:
        (first,) = await uow.matches.open_proposals()
    with pytest.raises(NotAllowed):
        await matches.swap(first.id, Actor(Platform.TELEGRAM, "1"))
    other = await matches.swap(first.id, BOSS)
    async with uow_factory() as uow:
        proposals = {p.id: p for p in await uow.matches.open_proposals()}
        skipped = await uow.matches.get(first.id)
    assert (
        other.message.key == "match.proposal"
        and skipped is not None
        and skipped.status is MatchStatus.SKIPPED
    )
    assert other.proposal is not None
    new = proposals[other.proposal]
    assert new.penpal_id == first.penpal_id and new.volunteer_id != first.volunteer_id
    # Nobody left: the first volunteer was already turned down for her.
    nobody = await matches.swap(new.id, BOSS)
    assert nobody.message.key == "match.no_swap" and nobody.proposal is None


async def test_the_pool_a_run_reads_is_the_registry_seen_through_the_rules(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    """`matches.pool` (one lean read) gives what the full records say: active volunteers with
    capacity minus active and paused matches, waiting pen pals only, their days waiting."""
    matches = await setup(uow_factory, clock)
    await volunteer(uow_factory, clock, "1", "English", 3, "Poetry, books", woman="yes")
    await volunteer(uow_factory, clock, "2", "Spanish, English", 1, "faith")
    await matches.run(BOSS, seed=3)
    async with uow_factory() as uow:
        first = (await uow.matches.open_proposals())[0]
    assert (await matches.decide(first.id, True, BOSS)).key == "match.confirmed"
    clock.advance(timedelta(days=9))
    today = clock.now().date()
    async with uow_factory() as uow:
        pool = await uow.matches.pool(today)
        taken = await uow.matches.active_counts()
        active = await uow.volunteers.with_status(VolunteerStatus.ACTIVE)
        penpals = [p for p in await uow.penpals.all() if p.status is PenPalStatus.WAITING]
        past = await uow.matches.past_pairs()
    assert pool.volunteers == [(slot_of(v, taken.get(v.id, 0)), v.display_name) for v in active]
    assert pool.penpals == [
        (waiting_of(p, (today - p.waiting_since).days), p.preferred_name) for p in penpals
    ]
    assert pool.past == past == {(first.volunteer_id, first.penpal_id)}
    assert first.penpal_id not in {p.id for p, _ in pool.penpals}
    assert sum(v.free for v, _ in pool.volunteers) == 3 + 1 - 1  # the confirmed match counts
    assert "poetry" in pool.volunteers[0][0].interests  # compared without case
    assert min(p.days_waiting for p, _ in pool.penpals) >= 9


async def test_a_new_run_replaces_the_open_proposals_and_keeps_the_rest(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    matches = await setup(uow_factory, clock)
    await volunteer(uow_factory, clock, "1", "English", 2, "books")
    await matches.run(BOSS, seed=1)
    async with uow_factory() as uow:
        confirmed, left_open = await uow.matches.open_proposals()
    assert (await matches.decide(confirmed.id, True, BOSS)).key == "match.confirmed"
    await matches.run(BOSS, seed=2)
    async with uow_factory() as uow:
        now_open = await uow.matches.open_proposals()
        old = await uow.matches.get(left_open.id)
        kept = await uow.matches.get(confirmed.id)
        assert await uow.matches.skip_open_proposals() == len(now_open) == 1
    assert old is not None and old.status is MatchStatus.SKIPPED
    assert kept is not None and kept.status is MatchStatus.ACTIVE
    assert now_open[0].id not in (confirmed.id, left_open.id)
    runs = {left_open.run_id, now_open[0].run_id}
    assert None not in runs and len(runs) == 2  # each proposal carries its own run


class Unreadable(Exception):
    pass


class BrokenSolver:
    """A solver whose engine fails (as a crashed or killed child does)."""

    async def solve(self, request: Request) -> Solution:
        raise SolverFailed("the engine stopped (exit -9)")

    async def prepare(self) -> None:
        pass


async def test_a_failed_engine_or_read_fails_the_run_and_writes_nothing(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The coordinator is told when the engine fails; the proposals already open stay open."""
    matches = await setup(uow_factory, clock)
    await volunteer(uow_factory, clock, "1", "English", 1)
    await matches.run(BOSS, seed=1)
    async with uow_factory() as uow:
        before = await uow.matches.open_proposals()
    assert before
    failing = replace(matches, solver=BrokenSolver())
    [answer] = await failing.run(BOSS, seed=2)
    assert answer.message.key == "match.failed" and answer.proposal is None
    assert "nothing changed" in plain(answer.message)
    async with uow_factory() as uow:
        assert await uow.matches.open_proposals() == before  # not withdrawn, nothing added
        assert [e.action for e in await uow.audit.recent(5)].count("matching.run") == 1

    async with uow_factory() as uow:
        repo = type(uow.matches)

    async def unreadable(self: object, today: object) -> None:
        raise Unreadable()

    monkeypatch.setattr(repo, "pool", unreadable)
    with pytest.raises(Unreadable):  # in-process, the read's own error
        await matches.run(BOSS, seed=3)


async def test_the_program_return_address_goes_with_every_pen_pals_details(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await setup(uow_factory, clock)
    sender = ReturnAddress("Letters Inside\nPO Box 123\nSpringfield ST 00001", forwarding=True)
    matches = MatchService(uow_factory, clock, sender=sender)
    ann = await volunteer(uow_factory, clock, "1", "English", 1)
    await matches.run(BOSS, seed=3)
    async with uow_factory() as uow:
        (proposal,) = await uow.matches.open_proposals()
    await matches.decide(proposal.id, True, BOSS)
    async with uow_factory() as uow:
        (sent,) = await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "t", 10)
    details = plain(Message(sent.message_key, params_from_json(sent.params)))
    assert (
        "Put this return address on every envelope, never your own:\nLetters Inside\nPO Box 123"
        in details
    )
    assert "Sign your letters as Writer 1: she writes back to that name" in details
    (mine,) = await matches.mine(ann)
    assert plain(mine).endswith("the program passes her letters on to you.")
    async with uow_factory() as uow:  # a pen name chosen at sign-up is the name she signs
        found = await uow.volunteers.by_account(ann)
        assert found is not None
        await uow.volunteers.update(replace(found, pen_name="Robin"))
        await uow.commit()
    (mine,) = await matches.mine(ann)
    assert "Sign your letters as Robin: she writes back" in plain(mine)
    plain_program = MatchService(uow_factory, clock)
    (without,) = await plain_program.mine(ann)
    assert "return address on every envelope" not in plain(without)  # none configured

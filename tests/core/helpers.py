"""Helpers shared by the core tests: people, services set up on a unit of work, common steps."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from hypothesis import strategies as st

from bot.domain.clock import FakeClock
from bot.domain.models import (
    AccountRef,
    Actor,
    Destination,
    OutboundMessage,
    Platform,
    TargetKind,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.matching.service import MatchService
from bot.matching.types import (
    VolunteerSlot,
    WaitingPenPal,
)
from bot.questions import Question
from bot.registry import RegistryService
from bot.signup import SignupService


async def queued(uow: UnitOfWorkFactory, clock: FakeClock) -> list[OutboundMessage]:
    async with uow() as u:
        found = await u.outbox.claim(list(Platform), clock.now(), clock.now(), "q", 999)
        for m in found:
            await u.outbox.mark_sent(m.id, "q", clock.now())
        await u.commit()
    return found


async def matched(uow: UnitOfWorkFactory, clock: FakeClock) -> tuple[int, int]:
    """One confirmed match; returns (match id, pen pal id)."""
    matches = await setup(uow, clock)
    await volunteer(uow, clock, "1", "English", 1)
    await matches.run(BOSS, seed=11)
    async with uow() as u:
        (proposal,) = await u.matches.open_proposals()
    await matches.decide(proposal.id, True, BOSS)
    return proposal.id, proposal.penpal_id


COORDINATORS = (Destination(Platform.TELEGRAM, TargetKind.USER, "900"),)


async def drain(uow: UnitOfWorkFactory, clock: FakeClock) -> list[OutboundMessage]:
    """Everything queued that is due now, marked sent."""
    async with uow() as u:
        claimed = await u.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "t", 500)
        for message in claimed:
            await u.outbox.mark_sent(message.id, "t", clock.now())
        await u.commit()
    return claimed


def move_to(clock: FakeClock, when: datetime) -> None:
    clock.advance(when - clock.now())


CANARY_NAME = "Zephyrine Quillfeather"


CANARY_HANDLE = "zq_canary_handle"


CANARY_ID = "7770001234"


HER = AccountRef(Platform.TELEGRAM, CANARY_ID, CANARY_HANDLE)


SOMEONE = AccountRef(Platform.TELEGRAM, "5550009999", "someone")


async def signed_up(
    uow: UnitOfWorkFactory, clock: FakeClock, approval: bool = False, capacity: int = 1
) -> None:
    signup = SignupService(uow, clock, approval_required=approval, coordinators=COORDINATORS)
    await signup.start(HER)
    for question, raw in ((Question.NAME, CANARY_NAME), (Question.PRONOUNS, "she/her"),
                          (Question.LANGUAGES, "English"), (Question.INTERESTS, "books"),
                          (Question.KINDS, ""), (Question.WOMAN, "no"),
                          (Question.CAPACITY, str(capacity)), (Question.FREQUENCY, "monthly"),
                          (Question.TIMEZONE, "America/Chicago")):  # fmt: skip
        await signup.answer(HER, question, raw)
    await signup.agree(HER)


async def matched_canary(uow: UnitOfWorkFactory, clock: FakeClock, capacity: int = 1) -> int:
    """Her confirmed matches (`capacity` of them); returns the first pen pal's id."""
    matches: MatchService = await setup(uow, clock)
    await signed_up(uow, clock, capacity=capacity)
    await matches.run(BOSS, seed=3)
    async with uow() as u:
        proposals = await u.matches.open_proposals()
    assert len(proposals) == capacity
    for proposal in proposals:
        await matches.decide(proposal.id, True, BOSS)
    return proposals[0].penpal_id


BOSS = Actor(Platform.TELEGRAM, "900", is_coordinator=True)


async def volunteer(
    uow: UnitOfWorkFactory,
    clock: FakeClock,
    user: str,
    languages: str,
    capacity: int,
    interests: str = "books",
    woman: str = "no",
) -> AccountRef:
    account = AccountRef(Platform.TELEGRAM, user)
    signup = SignupService(uow, clock, approval_required=False, coordinators=())
    await signup.start(account)
    for question, raw in ((Question.NAME, f"Writer {user}"), (Question.PRONOUNS, ""),
                          (Question.LANGUAGES, languages), (Question.INTERESTS, interests),
                          (Question.KINDS, ""), (Question.WOMAN, woman), (Question.CAPACITY, str(capacity)), (Question.FREQUENCY, "monthly"),
                          (Question.TIMEZONE, "UTC")):  # fmt: skip
        await signup.answer(account, question, raw)
    await signup.agree(account)
    return account


async def setup(uow: UnitOfWorkFactory, clock: FakeClock) -> MatchService:
    registry = RegistryService(uow, clock)
    assert (await registry.import_facilities(*read("facilities.csv"), "test")).ok
    assert (await registry.import_penpals(*read("penpals.csv"), "test")).ok
    return MatchService(uow, clock)


LANGS = ["en", "es", "fr"]


INTERESTS = ["books", "music", "faith", "art", "sports"]


KINDS = ["friendship", "spiritual", "creative"]


def subsets(items: list[str], min_size: int = 0) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(items), min_size=min_size, max_size=len(items))


@st.composite
def instances(
    draw: st.DrawFn, max_v: int = 4, max_p: int = 6
) -> tuple[list[VolunteerSlot], list[WaitingPenPal], set[tuple[int, int]], int]:
    volunteers = [
        VolunteerSlot(100 + i, draw(subsets(LANGS, 1)), draw(subsets(INTERESTS)), draw(subsets(KINDS)),
                      draw(st.sampled_from([True, False, None])), draw(st.integers(0, 3)))
        for i in range(draw(st.integers(0, max_v)))
    ]  # fmt: skip
    penpals = [
        WaitingPenPal(500 + j, draw(subsets(LANGS, 1)), draw(subsets(INTERESTS)), draw(subsets(KINDS)),
                      draw(st.booleans()), draw(st.integers(0, 400)))
        for j in range(draw(st.integers(0, max_p)))
    ]  # fmt: skip
    past = set()
    if volunteers and penpals:
        pairs = [(v.id, p.id) for v in volunteers for p in penpals]
        past = set(draw(st.lists(st.sampled_from(pairs), max_size=3)))
    return volunteers, penpals, past, draw(st.integers(0, 2**63 - 1))


SAMPLES = Path(__file__).resolve().parents[2] / "sandbox" / "samples"


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (SAMPLES / name).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


ANN = AccountRef(Platform.TELEGRAM, "111", "ann")


COORDS = (
    Destination(Platform.TELEGRAM, TargetKind.USER, "900"),
    Destination(Platform.DISCORD, TargetKind.CHANNEL, "555"),
)


ANSWERS = [
    (Question.NAME, "Ann Writer"),
    (Question.PRONOUNS, "she/her"),
    (Question.LANGUAGES, "English, español"),
    (Question.INTERESTS, "books, gardening"),
    (Question.KINDS, "friendship, creative"),
    (Question.WOMAN, "yes"),
    (Question.CAPACITY, "2"),
    (Question.FREQUENCY, "monthly"),
    (Question.TIMEZONE, "Chicago"),
]


def service(uow: UnitOfWorkFactory, clock: FakeClock, approval: bool = True) -> SignupService:
    return SignupService(uow, clock, approval_required=approval, coordinators=COORDS)


async def fill(svc: SignupService, account: AccountRef = ANN) -> None:
    await svc.start(account)
    for question, raw in ANSWERS:
        await svc.answer(account, question, raw)

"""Property tests of the matching engine: hard rules, capacities, reproducibility, optimality."""

from __future__ import annotations

from collections import Counter
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching._encoding import _unit
from bot.matching.engine import propose, solve
from bot.matching.types import VolunteerSlot, WaitingPenPal, eligible, pair_score, unit_priority
from tests.core.helpers import instances
from tests.matching_baselines import exact_dense, greedy


def brute_force(
    volunteers: list[VolunteerSlot],
    penpals: list[WaitingPenPal],
    past: set[tuple[int, int]],
    seed: int,
) -> float:
    """Try every assignment: each pen pal unmatched or with an eligible volunteer who has room."""

    @cache
    def best(j: int, free: tuple[int, ...]) -> float:
        if j == len(penpals):
            return 0.0
        result = best(j + 1, free)
        for i, v in enumerate(volunteers):
            if free[i] and eligible(v, penpals[j], past):
                rest = (*free[:i], free[i] - 1, *free[i + 1 :])
                result = max(result, pair_score(v, penpals[j], seed) + best(j + 1, rest))
        return result

    return best(0, tuple(v.free for v in volunteers))


@settings(max_examples=300, deadline=None)
@given(instances())
def test_rules_capacities_and_brute_force_optimum(
    case: tuple[list[VolunteerSlot], list[WaitingPenPal], set[tuple[int, int]], int],
) -> None:
    volunteers, penpals, past, seed = case
    proposals = propose(volunteers, penpals, past, seed)
    by_id = {v.id: v for v in volunteers}
    pp_by_id = {p.id: p for p in penpals}
    for proposal in proposals:
        v, p = by_id[proposal.volunteer_id], pp_by_id[proposal.penpal_id]
        assert eligible(v, p, past)
        assert proposal.score == pytest.approx(pair_score(v, p, seed))
        assert set(proposal.shared_languages) == v.languages & p.languages
    per_volunteer = Counter(p.volunteer_id for p in proposals)
    assert all(n <= by_id[vid].free for vid, n in per_volunteer.items())
    assert len({p.penpal_id for p in proposals}) == len(proposals)
    total = sum(p.score for p in proposals)
    assert total == pytest.approx(brute_force(volunteers, penpals, past, seed))
    assert total == pytest.approx(exact_dense(volunteers, penpals, past, seed))
    assert greedy(volunteers, penpals, past, seed) <= total + 1e-9
    assert propose(volunteers, penpals, past, seed) == proposals  # same seed, same result


@settings(max_examples=150, deadline=None)
@given(instances(max_v=8, max_p=12))
def test_the_smallest_search_still_proves_the_optimum(
    case: tuple[list[VolunteerSlot], list[WaitingPenPal], set[tuple[int, int]], int],
) -> None:
    """No first guess at the prices and one pair per volunteer and per pen pal per round: the
    loop must go on until the prices prove the optimum, whatever the first pairs were."""
    volunteers, penpals, past, seed = case
    proposals, proof = solve(
        volunteers, penpals, past, seed, margin=0.0, guess=False, per_row=1, per_column=1
    )
    by_id = {v.id: v for v in volunteers}
    pp_by_id = {p.id: p for p in penpals}
    assert all(eligible(by_id[x.volunteer_id], pp_by_id[x.penpal_id], past) for x in proposals)
    per_volunteer = Counter(p.volunteer_id for p in proposals)
    assert all(n <= by_id[vid].free for vid, n in per_volunteer.items())
    assert len({p.penpal_id for p in proposals}) == len(proposals)
    assert proof.proven and proof.total == proof.bound
    total = sum(p.score for p in proposals)
    assert total == pytest.approx(proof.total / 1_000_000)
    assert total == pytest.approx(exact_dense(volunteers, penpals, past, seed))


def test_a_wide_instance_is_proven_optimal_over_every_pair() -> None:
    """Women outnumber free slots four to one, as on real waiting lists."""
    rng = np.random.default_rng(5)
    interests = [f"i{n}" for n in range(12)]
    volunteers = [
        VolunteerSlot(1 + i, frozenset({"en"} | ({"es"} if rng.random() < 0.2 else set())),
                      frozenset(rng.choice(interests, 3, replace=False)), frozenset({"friendship"}),
                      bool(rng.random() < 0.7), int(rng.integers(1, 4)))
        for i in range(60)
    ]  # fmt: skip
    penpals = [
        WaitingPenPal(1000 + j, frozenset({"es"} if rng.random() < 0.15 else {"en"}),
                      frozenset(rng.choice(interests, 3, replace=False)), frozenset({"friendship"}),
                      bool(rng.random() < 0.3), int(rng.exponential(120)))
        for j in range(500)
    ]  # fmt: skip
    proposals, proof = solve(volunteers, penpals, set(), 3, per_row=2, per_column=1)
    assert proof.proven and proof.rounds >= 1 and proof.pairs == 60 * 500
    assert sum(p.score for p in proposals) == pytest.approx(
        exact_dense(volunteers, penpals, set(), 3)
    )


def test_more_than_a_byte_of_shared_interests() -> None:
    """More interests than one 64-bit word holds: the kernels take the slower path."""
    many = frozenset(f"i{n}" for n in range(130))
    volunteers = [VolunteerSlot(1, frozenset({"en"}), many, frozenset(), None, 1)]
    penpals = [
        WaitingPenPal(10, frozenset({"en"}), many, frozenset(), False, 0),
        WaitingPenPal(11, frozenset({"en"}), frozenset(), frozenset(), False, 100),
    ]
    proposals, proof = solve(volunteers, penpals, set(), 1)
    assert [p.penpal_id for p in proposals] == [10] and proof.proven
    assert proposals[0].score == pytest.approx(pair_score(volunteers[0], penpals[0], 1))


def test_different_seeds_break_ties_differently() -> None:
    volunteers = [VolunteerSlot(1, frozenset({"en"}), frozenset(), frozenset(), None, 1)]
    penpals = [
        WaitingPenPal(j, frozenset({"en"}), frozenset(), frozenset(), False, 30)
        for j in range(10, 20)
    ]
    chosen = {propose(volunteers, penpals, set(), seed)[0].penpal_id for seed in range(20)}
    assert len(chosen) > 3  # equal waiting time: nobody is always first


def test_waiting_time_gives_priority() -> None:
    volunteers = [VolunteerSlot(1, frozenset({"en"}), frozenset({"books"}), frozenset(), None, 1)]
    penpals = [
        WaitingPenPal(10, frozenset({"en"}), frozenset({"books"}), frozenset(), False, 10),
        WaitingPenPal(11, frozenset({"en"}), frozenset(), frozenset(), False, 200),
    ]
    assert [p.penpal_id for p in propose(volunteers, penpals, set(), 7)] == [11]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**40), min_size=1, max_size=20), st.integers(0, 2**63 - 1))
def test_the_vectorised_priority_equals_the_scalar_one(ids: list[int], seed: int) -> None:
    assert _unit(np.array(ids, np.uint64), seed).tolist() == [unit_priority(i, seed) for i in ids]

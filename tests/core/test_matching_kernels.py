"""The compiled passes over every pair against a plain computation of every pair.

The optimality proof rests on `count` (no pair scores more than its two prices), so each kernel
is checked exactly, in integers, on random instances and random prices."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching import kernels
from bot.matching.engine import _assign, _problem
from bot.matching.types import DEFAULT_WEIGHTS, VolunteerSlot, WaitingPenPal, eligible
from tests.core.helpers import instances
from tests.matching_baselines import exact_dense

Case = tuple[list[VolunteerSlot], list[WaitingPenPal], set[tuple[int, int]], int]


def empty(case: Case) -> bool:
    """No volunteer with room, or no pen pal: nothing to solve."""
    volunteers, penpals, _, _ = case
    return not any(v.free > 0 for v in volunteers) or not penpals


def reference(case: Case, pool: ThreadPoolExecutor) -> tuple[object, np.ndarray, np.ndarray]:
    """The problem, and every pair's integer score with the rules checked pair by pair in
    Python (allowed[i, j])."""
    volunteers, penpals, past, seed = case
    volunteers = [v for v in volunteers if v.free > 0]
    problem = _problem(volunteers, penpals, past, seed, DEFAULT_WEIGHTS, pool)
    nv, npn = len(volunteers), len(penpals)
    vi, pj = np.divmod(np.arange(nv * npn), npn)
    scores = problem.scores(vi, pj).reshape(nv, npn)
    allowed = np.array([[eligible(v, p, past) for p in penpals] for v in volunteers], bool).reshape(
        nv, npn
    )
    return problem, scores, allowed


@settings(max_examples=200, deadline=None)
@given(instances(max_v=9, max_p=14), st.data())
def test_every_pass_agrees_with_every_pair_computed_plainly(
    case: Case, data: st.DataObject
) -> None:
    if empty(case):
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        problem, scores, allowed = reference(case, pool)
        nv, npn = scores.shape
        prices = st.integers(0, 60_000_000)
        pi = np.array(data.draw(st.lists(prices, min_size=npn, max_size=npn)), np.int64)
        u = np.array(data.draw(st.lists(prices, min_size=nv, max_size=nv)), np.int64)
        if data.draw(st.booleans()):  # prices that make pairs exactly tight, as optimal ones do
            rows = data.draw(st.lists(st.integers(0, nv - 1), min_size=npn, max_size=npn))
            tight = scores[rows, np.arange(npn)] - u[rows]
            pi = np.where(allowed[rows, np.arange(npn)] & (tight >= 0), tight, pi)
        floor = data.draw(st.sampled_from([0, -1, -500_001, -(1 << 61)]))
        red = np.where(allowed, scores - u[:, None] - pi[None, :], -(1 << 62))

        best = np.where(allowed, scores - pi[None, :], -(1 << 62)).max(axis=1)
        assert np.array_equal(problem.best(pi), np.maximum(best, 0))
        column = np.where(allowed, scores - u[:, None], -(1 << 62)).max(axis=0)
        assert np.array_equal(problem.column_best(u), np.maximum(column, 0))
        assert np.array_equal(problem.count(u, pi, floor), (red > floor).sum(axis=1))

        per_row, per_column = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3))
        got_v, got_p = problem.promising(u, pi, floor, per_row, per_column)
        assert (red[got_v, got_p] > floor).all()  # only allowed pairs above the floor
        chosen = np.zeros((nv, npn), bool)
        chosen[got_v, got_p] = True
        for axis, per in ((1, per_row), (0, per_column)):
            # Along each row (column), the pairs chosen include its `per` best above the floor.
            above = red > floor
            wanted = np.minimum(above.sum(axis=axis), per)
            ranked = np.sort(np.where(chosen, red, -(1 << 62)), axis=axis)
            ranked = np.flip(ranked, axis=axis)
            left_out = np.where(above & ~chosen, red, -(1 << 62)).max(axis=axis)
            for k in range(len(wanted)):
                line = ranked[k] if axis == 1 else ranked[:, k]
                if wanted[k]:
                    assert line[wanted[k] - 1] >= left_out[k]


@settings(max_examples=150, deadline=None)
@given(instances(max_v=6, max_p=9), st.sampled_from([1, 1_000, 100_000]))
def test_the_auction_prices_are_within_a_step_per_place_of_the_optimum(
    case: Case, step: int
) -> None:
    """The auction only guesses, but a guess with a proof of quality: its prices are a feasible
    dual (never below the optimum) within step x places above it (epsilon-optimality)."""
    volunteers, penpals, past, seed = case
    if empty(case):
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        problem, scores, allowed = reference(case, pool)
        vi, pj = np.nonzero(allowed)
        pi, arc = kernels.sparse_auction(
            np.searchsorted(vi, np.arange(scores.shape[0] + 1)).astype(np.int64),
            pj.astype(np.int64), scores[vi, pj], problem.capacity, scores.shape[1], step,
        )  # fmt: skip
        u = problem.best(pi)
    bound = int((problem.capacity * u).sum() + pi.sum())
    best = round(exact_dense(volunteers, penpals, past, seed) * 1_000_000)
    slots = int(problem.capacity.sum())
    assert best - slots <= bound <= best + slots * step + slots  # (+ slots: rounding of floats)
    assert (pi[~allowed.any(axis=0)] == 0).all()  # nobody could bid: price 0
    taken = arc[arc >= 0]  # the pairs taken: each woman's own, within every capacity
    assert (pj[taken] == np.flatnonzero(arc >= 0)).all()
    assert (np.bincount(vi[taken], minlength=len(u)) <= problem.capacity).all()


def optimum(starts: np.ndarray, women: np.ndarray, values: np.ndarray, capacity: np.ndarray,
            n_women: int) -> int:  # fmt: skip
    """The best total of a small sparse instance by scipy's dense solver: one row per place,
    one column per woman and one "stay empty" column per place (worth 0)."""
    from scipy.optimize import linear_sum_assignment

    rows = np.repeat(np.arange(len(capacity)), capacity)
    if not len(rows):
        return 0
    table = np.full((len(rows), n_women + len(rows)), -(10**15), np.int64)
    table[np.arange(len(rows)), n_women + np.arange(len(rows))] = 0
    for r, i in enumerate(rows):
        table[r, women[starts[i] : starts[i + 1]]] = values[starts[i] : starts[i + 1]]
    r, c = linear_sum_assignment(table, maximize=True)
    return int(table[r, c].sum())


@st.composite
def sparse_instances(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    """Kept pairs as the engine passes them: by volunteer, each woman at most once, values
    with many ties (the hard case for exact methods), and a starting guess that may be poor."""
    nv, n_women = draw(st.integers(1, 7)), draw(st.integers(1, 9))
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=nv, max_size=nv)), np.int64)
    rows = [sorted(draw(st.sets(st.integers(0, n_women - 1), max_size=n_women))) for _ in range(nv)]
    women = np.array([j for row in rows for j in row], np.int64)
    starts = np.cumsum([0] + [len(row) for row in rows]).astype(np.int64)
    scale = draw(st.sampled_from([1, 1_000_000]))
    values = np.array(draw(st.lists(st.integers(0, 6), min_size=len(women), max_size=len(women))),
                      np.int64) * scale  # fmt: skip
    pi = np.array(draw(st.lists(st.integers(-3, 9), min_size=n_women, max_size=n_women)),
                  np.int64) * scale  # fmt: skip
    arc = np.full(n_women, -1, np.int64)
    for j in range(n_women):  # any of her pairs, or none; capacities may be overrun
        mine = np.flatnonzero(women == j)
        if len(mine) and draw(st.booleans()):
            arc[j] = mine[draw(st.integers(0, len(mine) - 1))]
    return starts, women, values, capacity, pi, arc


@settings(max_examples=1500, deadline=None)
@given(sparse_instances(), st.booleans())
def test_the_exact_assignment_is_optimal_with_prices_that_prove_it(
    case: tuple[np.ndarray, ...], from_auction: bool
) -> None:
    starts, women, values, capacity, pi, arc = case
    n_women = len(pi)
    if from_auction:  # the engine's start; otherwise an arbitrary, possibly bad, one
        pi, arc = kernels.sparse_auction(starts, women, values, capacity, n_women, 1_000)
    u, _ = kernels.exact_assignment(starts, women, values, capacity, pi, arc)
    owner = np.repeat(np.arange(len(capacity)), np.diff(starts))
    taken = arc[arc >= 0]
    assert (women[taken] == np.flatnonzero(arc >= 0)).all()  # each woman's own pair
    counts = np.bincount(owner[taken], minlength=len(capacity))
    assert (counts <= capacity).all()
    assert int(values[taken].sum()) == optimum(starts, women, values, capacity, n_women)
    # The prices: feasible, tight on the pairs taken, positive only where the side is full.
    assert (u >= 0).all() and (pi >= 0).all()
    assert (u[owner] + pi[women] >= values).all()
    assert (u[owner[taken]] + pi[women[taken]] == values[taken]).all()
    assert ((u == 0) | (counts == capacity)).all()
    assert ((pi == 0) | (arc >= 0)).all()


def test_without_a_writable_cache_the_passes_still_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bot installed read-only, with no writable home: numba cannot cache, matching works."""
    import importlib

    import numba.core.caching

    monkeypatch.setattr(numba.core.caching.CacheImpl, "_locator_classes", [])
    try:
        fresh = importlib.reload(kernels)
        assert fresh.count_above._cache.__class__.__name__ == "NullCache"
        counts = np.zeros(1, np.int64)
        one = np.ones((1, 1), np.uint64)
        zero = np.zeros(1, np.int64)
        fresh.count_above(0, 1, one, one, zero, np.full((1, 1), 2, np.uint8), zero, 3, 2,
                          np.zeros(2, np.int64), zero[:0], zero, zero, 0, counts)  # fmt: skip
        assert counts.tolist() == [1]  # 3 x 1 shared interest + 2 for the kind: above 0
    finally:
        monkeypatch.undo()
        importlib.reload(kernels)


@settings(max_examples=150, deadline=None)
@given(instances(max_v=6, max_p=9), st.data())
def test_a_start_from_pairs_no_longer_kept_is_ignored(case: Case, data: st.DataObject) -> None:
    """The engine starts each exact solution from the last one; a starting volunteer whose pair
    with the woman is not among the kept pairs must not be taken for one."""
    if empty(case):
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        problem, scores, allowed = reference(case, pool)
    nv, npn = scores.shape
    vi, pj = np.nonzero(allowed & data.draw(st.sampled_from([True, False])))
    keep = np.array(data.draw(st.lists(st.booleans(), min_size=len(vi), max_size=len(vi))), bool)
    vi, pj = vi[keep].astype(np.int64), pj[keep].astype(np.int64)
    mate = np.array(data.draw(st.lists(st.integers(-1, nv - 1), min_size=npn, max_size=npn)))
    values = scores[vi, pj]
    used = _assign(problem, vi, pj, values, (np.zeros(npn, np.int64), mate.astype(np.int64)))
    starts = np.searchsorted(vi, np.arange(nv + 1)).astype(np.int64)
    assert int(values[used].sum()) == optimum(starts, pj, values, problem.capacity, npn)
    assert (np.bincount(vi[used], minlength=nv) <= problem.capacity).all()
    assert (np.bincount(pj[used], minlength=npn) <= 1).all()

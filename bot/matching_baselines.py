"""Baselines that check the matching engine: an exact dense solver over all pairs, and greedy.

Small instances only (a dense grid of every pair); used by tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np
import numpy.typing as npt

from bot.matching import F64, _column_terms, _encode, _past_by_row, fit_block
from bot.matching_types import DEFAULT_WEIGHTS, VolunteerSlot, WaitingPenPal, Weights


def _all_scores(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    weights: Weights,
) -> tuple[list[VolunteerSlot], F64]:
    """Every pair's score at once (small instances only), past pairs excluded; the volunteers
    with room, in the rows' order."""
    volunteers = [v for v in volunteers if v.free > 0]
    if not volunteers or not penpals:
        return volunteers, np.zeros((len(volunteers), len(penpals)))
    f = _encode(volunteers, penpals, weights.kind)
    full = fit_block(f, slice(0, len(volunteers)), weights).astype(np.float64)
    full += _column_terms(f, seed, weights)[None, :]
    for i, cols in _past_by_row(volunteers, penpals, past).items():
        full[i, cols] = -np.inf
    return volunteers, full


def exact_dense(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> float:
    """The optimal total score by a dense solver over ALL pairs (for benchmarks and tests)."""
    volunteers, full = _all_scores(volunteers, penpals, past, seed, weights)
    if full.size == 0:
        return 0.0
    slots = np.repeat(np.arange(len(volunteers)), [v.free for v in volunteers])
    grid = full[slots]
    forbidden = ~np.isfinite(grid)
    gains = np.where(forbidden, 0.0, grid)
    cost = np.hstack([-gains, np.zeros((len(slots), len(slots)))])  # a "no match" column each
    cost[:, : len(penpals)][forbidden] = 1e12
    from scipy.optimize import linear_sum_assignment  # only for checking the engine

    row_ind, col_ind = linear_sum_assignment(cost)
    real = col_ind < len(penpals)
    return float(gains[row_ind[real], col_ind[real]].sum())


def greedy(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> float:
    """The baseline most bots use: take the best remaining pair until nothing fits."""
    volunteers, full = _all_scores(volunteers, penpals, past, seed, weights)
    if full.size == 0:
        return 0.0
    order = np.argsort(-full, axis=None)
    free = [v.free for v in volunteers]
    taken = np.zeros(len(penpals), bool)
    total = 0.0
    for flat in order.tolist():
        i, j = divmod(flat, len(penpals))
        s = full[i, j]
        if not np.isfinite(s):
            break
        if free[i] and not taken[j]:
            free[i] -= 1
            taken[j] = True
            total += float(s)
    return total


def upper_bound(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    matched: Collection[tuple[int, int, float]],
    weights: Weights = DEFAULT_WEIGHTS,
    chunk: int = 256,
    iterations: int = 0,
) -> float:
    """A proven upper bound on the optimal total score, for instances too large for an exact
    solver (Lagrangian relaxation of "each pen pal at most once"): for ANY y >= 0,
    OPT <= sum(y) + sum over volunteers of her b best positive (score - y_p).

    y comes from a solution (`matched`: volunteer id, pen pal id, score): a matched pen pal is
    priced at what her volunteer would lose by taking the best unmatched woman instead."""
    volunteers = [v for v in volunteers if v.free > 0]
    if not volunteers or not penpals:
        return 0.0
    f = _encode(volunteers, penpals, weights.kind)
    column = _column_terms(f, seed, weights)
    p_index = {p.id: j for j, p in enumerate(penpals)}
    v_index = {v.id: i for i, v in enumerate(volunteers)}
    past_rows = _past_by_row(volunteers, penpals, past)
    taken = np.zeros(len(penpals), bool)
    for _, pid, _ in matched:
        taken[p_index[pid]] = True

    def scores(rows: slice) -> F64:
        block = fit_block(f, rows, weights).astype(np.float64) + column[None, :]
        for i, cols in past_rows.items():
            if rows.start <= i < rows.stop:
                block[i - rows.start, cols] = -np.inf
        return block

    # Pass 1: each volunteer's best unmatched woman (what she could take instead).
    best_free = np.zeros(len(volunteers))
    for start in range(0, len(volunteers), chunk):
        rows = slice(start, min(start + chunk, len(volunteers)))
        block = scores(rows)
        block[:, taken] = -np.inf
        best_free[rows] = np.maximum(block.max(axis=1), 0.0)
    y = np.zeros(len(penpals))
    for vid, pid, score in matched:
        y[p_index[pid]] = max(0.0, score - best_free[v_index[vid]])
    # Then tighten: each pass computes the bound for y and how many volunteers would want each
    # woman; over-wanted women get dearer, unwanted ones cheaper (a subgradient step, with the
    # solution's own total as the target). Every y >= 0 gives a valid bound; keep the best.
    capacity = np.array([v.free for v in volunteers])
    target = sum(score for _, _, score in matched)
    best = np.inf
    for _ in range(iterations + 1):
        bound, wanted = _lagrangian(scores, y, capacity, len(volunteers), chunk)
        best = min(best, bound)
        step_direction = 1.0 - wanted  # the subgradient of L at y
        norm = float((step_direction**2).sum())
        if norm == 0 or bound <= target:
            break
        y = np.maximum(0.0, y - (bound - target) / norm * step_direction)
    return float(best)


def _lagrangian(
    scores: Callable[[slice], F64], y: F64, capacity: npt.NDArray[np.int64], n: int, chunk: int
) -> tuple[float, F64]:
    """L(y), and for each woman how many volunteers' best choices under y include her."""
    bound = float(y.sum())
    wanted = np.zeros(len(y))
    for start in range(0, n, chunk):
        rows = slice(start, min(start + chunk, n))
        gains = np.maximum(scores(rows) - y[None, :], 0.0)
        k = min(int(capacity[rows].max()), gains.shape[1])
        top = np.argpartition(gains, gains.shape[1] - k, axis=1)[:, -k:]
        top_gains = np.take_along_axis(gains, top, axis=1)
        order = np.argsort(-top_gains, axis=1)
        top, top_gains = (
            np.take_along_axis(top, order, axis=1),
            np.take_along_axis(top_gains, order, axis=1),
        )
        keep = (np.arange(k)[None, :] < capacity[rows][:, None]) & (top_gains > 0)
        bound += float(top_gains[keep].sum())
        np.add.at(wanted, top[keep], 1.0)
    return bound, wanted

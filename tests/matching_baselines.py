"""Baselines that check the matching engine: an exact dense solver over all pairs, and greedy.

Small instances only (a dense grid of every pair); used by tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from bot.matching._encoding import F64, _column_terms, _encode, _past_by_row, fit_block
from bot.matching.types import DEFAULT_WEIGHTS, VolunteerSlot, WaitingPenPal, Weights


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
    f = _encode(volunteers, penpals)
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

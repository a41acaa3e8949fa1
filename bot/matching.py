"""The matching engine: hard rules, scores, and an optimal assignment under capacities.

A pair's score is its fit (shared interests, kind of correspondence) plus a term that belongs
to the pen pal alone: her days on the waiting list and a random priority drawn from the run's
seed, so that equal waits are ordered differently on each run and nobody is always last.

Eligibility and fit are computed with numpy over chunks of volunteers (never a Python loop over
volunteer-pen pal pairs). Each pen pal keeps her best-fitting volunteers and each volunteer her
best-fitting pen pals. KNOWN LIMIT: this pruning is a heuristic. When pen pals outnumber free
slots, the measured total still rises with more kept pairs (benchmarks/matching.py --sweep), so
the result is optimal for the kept pairs, not yet proven optimal over all pairs. The kept pairs
are solved EXACTLY as a min-cost flow (OR-tools):
source -> volunteer (capacity = free slots) -> pen pal (1) -> sink, plus a free bypass for slots
left empty, so the result maximises the total score under every volunteer's capacity. (scipy's
sparse assignment solver was tried first: it takes 13 s here, because every row prefers the same
long-waiting columns; the flow solver takes a fraction of a second.)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from bot.matching_types import (
    DEFAULT_WEIGHTS,
    Proposal,
    VolunteerSlot,
    WaitingPenPal,
    Weights,
)

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


def _unit(ids: U64, seed: int) -> F64:
    """A reproducible pseudo-random number in [0, 1) per id: splitmix64 of the id and seed."""
    with np.errstate(over="ignore"):
        x = ids * np.uint64(0x9E3779B97F4A7C15)
        x ^= np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    unit: F64 = (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)
    return unit


def _masks(sets: Sequence[frozenset[str]], vocabulary: dict[str, int], words: int) -> U64:
    out = np.zeros((len(sets), max(words, 1)), np.uint64)
    for row, items in enumerate(sets):
        for item in items:
            bit = vocabulary.get(item)
            if bit is not None:
                out[row, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
    return out


def _vocabulary(*sides: Sequence[frozenset[str]]) -> tuple[dict[str, int], int]:
    """Bits for the values that occur on every side (only those can ever be shared)."""
    common = set.intersection(*(set().union(*side) if side else set() for side in sides))
    vocabulary = {item: bit for bit, item in enumerate(sorted(common))}
    return vocabulary, (len(vocabulary) + 63) // 64


@dataclass
class _Features:
    """Both sides encoded as bit masks, one row per person."""

    v_lang: U64
    v_int: U64
    v_kind: U64
    v_woman: npt.NDArray[np.bool_]
    p_lang: U64
    p_int: U64
    p_kind: U64
    p_wants: npt.NDArray[np.bool_]
    p_wait: F64
    v_ids: U64
    p_ids: U64
    v_group: I64
    group_rows: npt.NDArray[np.float32]


def _group_rows(
    v_lang: U64,
    v_kind: U64,
    v_woman: npt.NDArray[np.bool_],
    p_lang: U64,
    p_kind: U64,
    p_wants: npt.NDArray[np.bool_],
    kind_weight: float,
) -> tuple[I64, npt.NDArray[np.float32]]:
    """Volunteers with the same languages, kinds and woman-writer answer see every pen pal the
    same way except for interests: one row per such group holds the kind bonus, or -inf where a
    hard rule fails, so a chunk's fit is a row gather plus the interest count."""
    keys = np.concatenate([v_lang, v_kind, v_woman[:, None].astype(np.uint64)], axis=1)
    unique, v_group = np.unique(keys, axis=0, return_inverse=True)
    words = v_lang.shape[1]
    g_lang, g_kind, g_woman = unique[:, :words], unique[:, words:-1], unique[:, -1].astype(bool)
    ok = _any_shared(g_lang, p_lang) & ~(p_wants[None, :] & ~g_woman[:, None])
    rows = (_any_shared(g_kind, p_kind) * np.float32(kind_weight)).astype(np.float32)
    rows[~ok] = -np.inf
    return v_group.reshape(-1).astype(np.int64), rows


def _encode(
    volunteers: Sequence[VolunteerSlot], penpals: Sequence[WaitingPenPal], kind_weight: float
) -> _Features:
    masks = {}
    for name in ("languages", "interests", "kinds"):
        vsets = [getattr(v, name) for v in volunteers]
        psets = [getattr(p, name) for p in penpals]
        vocabulary, words = _vocabulary(vsets, psets)
        masks[name] = (_masks(vsets, vocabulary, words), _masks(psets, vocabulary, words))
    v_woman = np.array([v.woman is True for v in volunteers], bool)
    p_wants = np.array([p.wants_woman for p in penpals], bool)
    v_group, group_rows = _group_rows(
        masks["languages"][0], masks["kinds"][0], v_woman,
        masks["languages"][1], masks["kinds"][1], p_wants, kind_weight,
    )  # fmt: skip
    return _Features(
        v_lang=masks["languages"][0],
        v_int=masks["interests"][0],
        v_kind=masks["kinds"][0],
        v_woman=v_woman,
        p_lang=masks["languages"][1],
        p_int=masks["interests"][1],
        p_kind=masks["kinds"][1],
        p_wants=p_wants,
        p_wait=np.array([p.days_waiting for p in penpals], np.float64),
        v_ids=np.array([v.id for v in volunteers], np.uint64),
        p_ids=np.array([p.id for p in penpals], np.uint64),
        v_group=v_group,
        group_rows=group_rows,
    )


def _any_shared(a: U64, b: U64) -> npt.NDArray[np.bool_]:
    shared = np.zeros((a.shape[0], b.shape[0]), bool)
    for word in range(a.shape[1]):
        shared |= (a[:, word, None] & b[None, :, word]) != 0
    return shared


def _count_shared(a: U64, b: U64) -> npt.NDArray[np.uint8]:
    count = np.zeros((a.shape[0], b.shape[0]), np.uint8)
    for word in range(a.shape[1]):
        count += np.bitwise_count(a[:, word, None] & b[None, :, word])
    return count


def fit_block(f: _Features, rows: slice, w: Weights) -> npt.NDArray[np.float32]:
    """Fit of a chunk of volunteers with every pen pal; -inf where a hard rule fails."""
    fit = f.group_rows[f.v_group[rows]]
    for word in range(f.v_int.shape[1]):
        fit += np.bitwise_count(f.v_int[rows, word, None] & f.p_int[None, :, word]) * np.float32(
            w.interest
        )
    return fit


def _column_terms(f: _Features, seed: int, w: Weights) -> F64:
    """What each pen pal adds to any pair: base, days waiting, and her random priority."""
    terms: F64 = w.base + w.per_day_waiting * f.p_wait + w.tiebreak * _unit(f.p_ids, seed)
    return terms


def _jitter(
    v_keys: npt.NDArray[np.uint32], p_keys: npt.NDArray[np.uint32]
) -> npt.NDArray[np.float32]:
    """A cheap pseudo-random number in [0, 0.5) per pair, only to spread candidate choices
    among equally good pairs (it is not part of any score)."""
    with np.errstate(over="ignore"):
        h = (v_keys[:, None] ^ p_keys[None, :]) * np.uint32(0x9E3779B1)
    return (h >> np.uint32(8)).astype(np.float32) * np.float32(0.5 / (1 << 24))


def propose(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    weights: Weights = DEFAULT_WEIGHTS,
    per_penpal: int = 32,
    per_volunteer: int = 32,
    chunk: int = 256,
) -> list[Proposal]:
    """The optimal proposals for the whole waiting list (see the module docstring)."""
    volunteers = [v for v in volunteers if v.free > 0]
    if not volunteers or not penpals:
        return []
    f = _encode(volunteers, penpals, weights.kind)
    rng = np.random.default_rng(seed)
    v_keys = rng.integers(0, 2**32, len(volunteers), dtype=np.uint32)
    p_keys = rng.integers(0, 2**32, len(penpals), dtype=np.uint32)
    past_cols = _past_by_row(volunteers, penpals, past)

    def candidates(start: int) -> tuple[I64, I64, I64, npt.NDArray[np.float32]]:
        rows = slice(start, min(start + chunk, len(volunteers)))
        fit = fit_block(f, rows, weights)
        for i in range(rows.start, rows.stop):
            if i in past_cols:
                fit[i - rows.start, past_cols[i]] = -np.inf
        fit += _jitter(v_keys[rows], p_keys)
        # Each volunteer's best-fitting pen pals (waiting time left out here: it would send
        # every volunteer to the same few longest-waiting women).
        k = min(per_volunteer, fit.shape[1])
        top = np.argpartition(fit, fit.shape[1] - k, axis=1)[:, -k:]
        keep = np.isfinite(np.take_along_axis(fit, top, axis=1))
        v_rows = np.broadcast_to(np.arange(rows.start, rows.stop)[:, None], top.shape)[keep]
        # Each pen pal's best-fitting volunteers in this chunk (on a contiguous transpose).
        by_penpal = np.ascontiguousarray(fit.T)
        k = min(per_penpal, by_penpal.shape[1])
        top_v = np.argpartition(by_penpal, by_penpal.shape[1] - k, axis=1)[:, -k:]
        return v_rows, top[keep], top_v + rows.start, np.take_along_axis(by_penpal, top_v, axis=1)

    # numpy releases the GIL in these kernels: two threads use both cores.
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(candidates, range(0, len(volunteers), chunk)))
    merged_rows = np.concatenate([part[2] for part in parts], axis=1)
    merged_fit = np.concatenate([part[3] for part in parts], axis=1)
    k = min(per_penpal, merged_fit.shape[1])
    best = np.argpartition(merged_fit, merged_fit.shape[1] - k, axis=1)[:, -k:]
    best_fit = np.take_along_axis(merged_fit, best, axis=1)
    best_rows = np.take_along_axis(merged_rows, best, axis=1)
    keep = np.isfinite(best_fit)
    all_rows = [*(part[0] for part in parts), best_rows[keep]]
    all_cols = [
        *(part[1] for part in parts),
        np.broadcast_to(np.arange(len(penpals))[:, None], best_rows.shape)[keep],
    ]
    keys = np.unique(np.concatenate(all_rows) * len(penpals) + np.concatenate(all_cols))
    if keys.size == 0:
        return []
    vi, pj = np.divmod(keys, len(penpals))
    scores = _pair_fit(f, vi, pj, weights) + _column_terms(f, seed, weights)[pj]
    return _solve(volunteers, penpals, vi, pj, scores)


def _past_by_row(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
) -> dict[int, list[int]]:
    v_index = {v.id: i for i, v in enumerate(volunteers)}
    p_index = {p.id: j for j, p in enumerate(penpals)}
    found: dict[int, list[int]] = {}
    for vid, pid in past:
        if vid in v_index and pid in p_index:
            found.setdefault(v_index[vid], []).append(p_index[pid])
    return found


def _pair_fit(f: _Features, vi: I64, pj: I64, w: Weights) -> F64:
    """The fit of aligned pairs, in float64 (the kept pairs only)."""
    shared = np.zeros(len(vi), np.float64)
    for word in range(f.v_int.shape[1]):
        shared += np.bitwise_count(f.v_int[vi, word] & f.p_int[pj, word])
    kind = np.zeros(len(vi), bool)
    for word in range(f.v_kind.shape[1]):
        kind |= (f.v_kind[vi, word] & f.p_kind[pj, word]) != 0
    fit: F64 = w.interest * shared + w.kind * kind
    return fit


SCALE = 1_000_000
"""Scores become integer costs for the flow solver in millionths."""


def _solve(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    vi: I64,
    pj: I64,
    scores: F64,
) -> list[Proposal]:
    """Exact maximum-score assignment of the kept pairs under capacities (min-cost flow)."""
    nv, npp = len(volunteers), len(penpals)
    free = np.array([v.free for v in volunteers], np.int64)
    slots = int(free.sum())
    source, sink = nv + npp, nv + npp + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(nv, source), vi, nv + np.arange(npp), [source]]),
        np.concatenate([np.arange(nv), nv + pj, np.full(npp, sink), [sink]]),
        np.concatenate([free, np.ones(len(vi) + npp, np.int64), [slots]]),
        np.concatenate([np.zeros(nv, np.int64), -np.round(scores * SCALE).astype(np.int64),
                        np.zeros(npp + 1, np.int64)]),
    )  # fmt: skip
    supplies = np.zeros(nv + npp + 2, np.int64)
    supplies[source], supplies[sink] = slots, -slots
    flow.set_nodes_supplies(np.arange(nv + npp + 2), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the assignment solver failed: {status}")
    used = flow.flows(nv + np.arange(len(vi))) > 0
    out = []
    for i, j, score in zip(
        vi[used].tolist(), pj[used].tolist(), scores[used].tolist(), strict=True
    ):
        v, p = volunteers[i], penpals[j]
        out.append(
            Proposal(
                v.id,
                p.id,
                score,
                tuple(sorted(v.languages & p.languages)),
                tuple(sorted(v.interests & p.interests)),
                p.days_waiting,
            )
        )
    return sorted(out, key=lambda x: (-x.days_waiting, x.penpal_id))

"""The matching engine: hard rules, scores, and a PROVEN optimal assignment under capacities.

A pair's score is its fit (shared interests, kind of correspondence) plus a term that belongs
to the pen pal alone: her days on the waiting list and a random priority drawn from the run's
seed, so that equal waits are ordered differently on each run and nobody is always last.

How the optimum is found without a solver over all 100 million pairs (column generation):

1. Every pair's fit is computed once with numpy, in chunks of volunteers on two threads (never
   a Python loop over pairs), as one byte: 2 x shared interests + shared kind, or INELIGIBLE
   where a hard rule fails.
2. A small set of promising pairs is solved EXACTLY as a min-cost flow (OR-tools):
   source -> volunteer (capacity = free slots) -> pen pal (1) -> sink, plus a free bypass for
   slots left empty.
3. From that solution come LP dual prices: u for each volunteer, pi for each pen pal, with
   u + pi = score on every chosen pair and u + pi >= score on every kept pair.
4. One pass over ALL pairs looks for a pair with score > u + pi. If there is none, the prices
   prove that no assignment of any pairs scores more (LP duality; the bipartite assignment LP
   has integral optima), so the result is optimal over the whole waiting list. Otherwise the
   most promising such pairs join the kept set and the loop goes on. Each round adds a pair
   that was missing, so it ends.

Scores are compared as integers in millionths, so the proof is exact, not up to rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from bot.matching_types import (
    DEFAULT_WEIGHTS,
    Proposal,
    VolunteerSlot,
    WaitingPenPal,
    Weights,
    pair_score,
)

_T = TypeVar("_T")
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
Bools = npt.NDArray[np.bool_]

SCALE = 1_000_000
"""Scores become integers in millionths for the flow solver and for the optimality proof."""


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
    """Both sides encoded as bit masks, one row per person. Volunteers with the same languages,
    kinds and woman-writer answer form a group: they see every pen pal the same way except for
    interests, so the hard rules and the kind bonus are kept once per group (`ok`, `kind`)."""

    v_int: U64
    p_int: U64
    p_wait: F64
    p_ids: U64
    v_group: I64
    ok: Bools
    kind: Bools


def _groups(
    v_lang: U64, v_kind: U64, v_woman: Bools, p_lang: U64, p_kind: U64, p_wants: Bools
) -> tuple[I64, Bools, Bools]:
    keys = np.concatenate([v_lang, v_kind, v_woman[:, None].astype(np.uint64)], axis=1)
    unique, v_group = np.unique(keys, axis=0, return_inverse=True)
    words = v_lang.shape[1]
    g_lang, g_kind, g_woman = unique[:, :words], unique[:, words:-1], unique[:, -1].astype(bool)
    ok = _any_shared(g_lang, p_lang) & ~(p_wants[None, :] & ~g_woman[:, None])
    return v_group.reshape(-1).astype(np.int64), ok, _any_shared(g_kind, p_kind)


def _encode(volunteers: Sequence[VolunteerSlot], penpals: Sequence[WaitingPenPal]) -> _Features:
    masks = {}
    for name in ("languages", "interests", "kinds"):
        vsets = [getattr(v, name) for v in volunteers]
        psets = [getattr(p, name) for p in penpals]
        vocabulary, words = _vocabulary(vsets, psets)
        masks[name] = (_masks(vsets, vocabulary, words), _masks(psets, vocabulary, words))
    v_group, ok, kind = _groups(
        masks["languages"][0], masks["kinds"][0], np.array([v.woman is True for v in volunteers]),
        masks["languages"][1], masks["kinds"][1], np.array([p.wants_woman for p in penpals]),
    )  # fmt: skip
    return _Features(
        v_int=masks["interests"][0],
        p_int=masks["interests"][1],
        p_wait=np.array([p.days_waiting for p in penpals], np.float64),
        p_ids=np.array([p.id for p in penpals], np.uint64),
        v_group=v_group,
        ok=ok,
        kind=kind,
    )


def _any_shared(a: U64, b: U64) -> Bools:
    shared = np.zeros((a.shape[0], b.shape[0]), bool)
    for word in range(a.shape[1]):
        shared |= (a[:, word, None] & b[None, :, word]) != 0
    return shared


def fit_block(f: _Features, rows: slice, w: Weights) -> F32:
    """Fit of a chunk of volunteers with every pen pal; -inf where a hard rule fails (for the
    checking baselines; the engine keeps the same numbers as codes)."""
    group = np.where(f.kind, np.float32(w.kind), np.float32(0))
    group[~f.ok] = -np.inf
    fit: F32 = group[f.v_group[rows]]
    for word in range(f.v_int.shape[1]):
        fit += np.bitwise_count(f.v_int[rows, word, None] & f.p_int[None, :, word]) * np.float32(
            w.interest
        )
    return fit


def _column_terms(f: _Features, seed: int, w: Weights) -> F64:
    """What each pen pal adds to any pair: base, days waiting, and her random priority."""
    terms: F64 = w.base + w.per_day_waiting * f.p_wait + w.tiebreak * _unit(f.p_ids, seed)
    return terms


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


@dataclass
class Certificate:
    """How a run proved its result optimal: the prices' bound equals the total (in millionths),
    and the last pass over all `pairs` found none scoring above its two prices."""

    rounds: int = 0
    pairs: int = 0
    kept: int = 0
    total: int = 0
    bound: int = 0
    proven: bool = False


@dataclass
class _Problem:
    """Every pair's fit as a code, and the integer scores of codes and of pen pals."""

    codes: npt.NDArray[np.unsignedinteger]
    fit: I64  # integer fit of each code, -1 for INELIGIBLE
    fit32: F32  # the same in float32 for the fast passes, very low for INELIGIBLE
    column: I64  # integer base + waiting + priority of each pen pal
    capacity: I64
    chunk: int
    pool: ThreadPoolExecutor
    certificate: Certificate = field(default_factory=Certificate)

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.codes.shape
        return int(rows), int(cols)

    def chunks(self) -> Iterator[slice]:
        rows = self.shape[0]
        return (slice(s, min(s + self.chunk, rows)) for s in range(0, rows, self.chunk))

    def each_chunk(self, work: Callable[[slice], _T]) -> list[_T]:
        """numpy releases the GIL in these kernels: two threads use both cores."""
        return list(self.pool.map(work, self.chunks()))

    def reduced(self, vi: I64, pj: I64, u: I64, pi: I64) -> I64:
        """score - u - pi of each pair, exactly; very negative where a hard rule fails."""
        fit = self.fit[self.codes[vi, pj]]
        red: I64 = np.where(fit < 0, -(1 << 62), fit + self.column[pj] - u[vi] - pi[pj])
        return red


def _problem(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    w: Weights,
    chunk: int,
    pool: ThreadPoolExecutor,
) -> _Problem:
    f = _encode(volunteers, penpals)
    most = min(max(len(v.interests) for v in volunteers), max(len(p.interests) for p in penpals))
    dtype = np.uint8 if 2 * most + 1 < 255 else np.uint16
    ineligible = np.iinfo(dtype).max
    group = np.where(f.ok, f.kind.astype(dtype), dtype(ineligible)).astype(dtype)
    codes = np.empty((len(volunteers), len(penpals)), dtype)

    def fill(rows: slice) -> None:
        shared = np.zeros((rows.stop - rows.start, len(penpals)), dtype)
        for word in range(f.v_int.shape[1]):
            shared += np.bitwise_count(f.v_int[rows, word, None] & f.p_int[None, :, word])
        shared <<= 1
        shared |= group[f.v_group[rows]]  # OR with all ones keeps INELIGIBLE
        codes[rows] = shared

    problem = _Problem(codes, np.empty(0, np.int64), np.empty(0, np.float32),
                       np.empty(0, np.int64), np.empty(0, np.int64), chunk, pool)  # fmt: skip
    problem.each_chunk(fill)
    for i, cols in _past_by_row(volunteers, penpals, past).items():
        codes[i, cols] = ineligible
    levels = np.arange(ineligible + 1)
    fit = round(w.interest * SCALE) * (levels >> 1) + round(w.kind * SCALE) * (levels & 1)
    fit[ineligible] = -1
    problem.fit = fit.astype(np.int64)
    problem.fit32 = np.where(fit < 0, -1e9, fit / SCALE).astype(np.float32)
    problem.column = np.round(_column_terms(f, seed, w) * SCALE).astype(np.int64)
    problem.capacity = np.array([v.free for v in volunteers], np.int64)
    return problem


def _first_prices(problem: _Problem) -> tuple[I64, I64]:
    """A guess at the prices, only to choose the first pairs: about as many women as there are
    free slots will be matched, so a volunteer is worth what she would get from the best woman
    below that line, and each woman what she adds above it. (float32: a guess needs no more.)"""
    npn = problem.shape[1]
    slots = int(problem.capacity.sum())
    column = (problem.column / SCALE).astype(np.float32)
    masked = np.full(npn, -1e9, np.float32)
    if slots < npn:
        below = problem.column < np.partition(problem.column, npn - slots)[npn - slots]
        masked[below] = column[below]

    def row_best(rows: slice) -> F32:
        value = problem.fit32[problem.codes[rows]]
        value += masked
        best: F32 = np.maximum(value.max(axis=1), 0)
        return best

    u = np.concatenate(problem.each_chunk(row_best))

    def column_best(rows: slice) -> F32:
        value = problem.fit32[problem.codes[rows]]
        value -= u[rows, None]
        best: F32 = value.max(axis=0)
        return best

    best = np.max(np.stack(problem.each_chunk(column_best)), axis=0)
    pi = np.maximum(best + column, 0)
    return np.round(u * SCALE).astype(np.int64), np.round(pi * SCALE).astype(np.int64)


TOLERANCE = 0.01
"""Above the float32 passes' rounding error (scores are at most a few hundred)."""


def _promising(problem: _Problem, u: I64, pi: I64, blocks: int, per_penpal: int) -> tuple[I64, I64]:
    """One float32 pass over all pairs for the highest score - u - pi: for each volunteer the
    best pair in each of `blocks` slices of the pen pals, and for each pen pal her best
    `per_penpal` volunteers."""
    npn = problem.shape[1]
    q = ((pi - problem.column) / SCALE).astype(np.float32)
    uf = (u / SCALE).astype(np.float32)
    width = -(-npn // blocks)
    padded = width * blocks

    def scan(rows: slice) -> tuple[I64, I64, I64, F32]:
        value = problem.fit32[problem.codes[rows]]
        value -= q
        value -= uf[rows, None]
        n = rows.stop - rows.start
        best_row = value.argmax(axis=0)
        best_value = value[best_row, np.arange(npn)]
        if padded != npn:
            value = np.concatenate([value, np.full((n, padded - npn), -1e9, np.float32)], axis=1)
        pos = value.reshape(n, blocks, width).argmax(axis=2)
        cols = np.minimum(pos + np.arange(blocks) * width, npn - 1).reshape(-1)
        row_ids = np.repeat(np.arange(rows.start, rows.stop), blocks)
        return row_ids, cols, best_row + rows.start, best_value

    parts = problem.each_chunk(scan)
    rows = np.stack([part[2] for part in parts])
    values = np.stack([part[3] for part in parts])
    k = min(per_penpal, rows.shape[0])
    best = np.argpartition(-values, k - 1, axis=0)[:k]
    vi = np.concatenate([*(part[0] for part in parts), np.take_along_axis(rows, best, 0).ravel()])
    pj = np.concatenate([*(part[1] for part in parts), np.tile(np.arange(npn), k)])
    return vi, pj


def _every_violation(problem: _Problem, u: I64, pi: I64) -> tuple[I64, I64]:
    """Every pair within TOLERANCE of its prices or above: a superset of the pairs above."""
    q = ((pi - problem.column) / SCALE).astype(np.float32)
    uf = (u / SCALE).astype(np.float32)

    def scan(rows: slice) -> tuple[I64, I64]:
        value = problem.fit32[problem.codes[rows]] - q - uf[rows, None]
        i, j = np.nonzero(value > -TOLERANCE)
        return i + rows.start, j

    parts = problem.each_chunk(scan)
    vi = np.concatenate([p[0] for p in parts]).astype(np.int64)
    pj = np.concatenate([p[1] for p in parts]).astype(np.int64)
    return vi, pj


def _flow(problem: _Problem, vi: I64, pj: I64, scores: I64) -> Bools:
    """Exact maximum-score assignment of the kept pairs under capacities (min-cost flow)."""
    nv, npn = problem.shape
    slots = int(problem.capacity.sum())
    source, sink = nv + npn, nv + npn + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(nv, source), vi, nv + np.arange(npn), [source]]),
        np.concatenate([np.arange(nv), nv + pj, np.full(npn, sink), [sink]]),
        np.concatenate([problem.capacity, np.ones(len(vi) + npn, np.int64), [slots]]),
        np.concatenate([np.zeros(nv, np.int64), -scores, np.zeros(npn + 1, np.int64)]),
    )  # fmt: skip
    supplies = np.zeros(nv + npn + 2, np.int64)
    supplies[source], supplies[sink] = slots, -slots
    flow.set_nodes_supplies(np.arange(nv + npn + 2), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the assignment solver failed: {status}")
    used: Bools = flow.flows(nv + np.arange(len(vi))) > 0
    return used


def _prices(problem: _Problem, vi: I64, pj: I64, scores: I64, used: Bools) -> tuple[I64, I64]:
    """The least dual prices of an optimal solution of the kept pairs: a volunteer's u is the
    most any kept pair would give her at the pen pals' prices (0 if she has room); a matched
    woman's pi is her pair's score minus her volunteer's u, an unmatched woman's is 0.
    Bellman-Ford from below, vectorised; it settles because the solution is optimal."""
    nv, npn = problem.shape
    order = np.argsort(vi, kind="stable")
    vi, pj, scores, used = vi[order], pj[order], scores[order], used[order]
    starts = np.flatnonzero(np.r_[True, vi[1:] != vi[:-1]]) if len(vi) else np.zeros(0, int)
    heads = vi[starts]
    mate = np.full(npn, -1)
    mate[pj[used]] = vi[used]
    mate_score = np.zeros(npn, np.int64)
    mate_score[pj[used]] = scores[used]
    matched = mate >= 0
    u = np.zeros(nv, np.int64)
    for _ in range(nv + npn + 2):
        pi = np.where(matched, mate_score - u[np.maximum(mate, 0)], 0)
        if not len(vi):
            return u, pi
        best = np.maximum.reduceat(scores - pi[pj], starts)
        new = u.copy()
        new[heads] = np.maximum(u[heads], best)
        if np.array_equal(new, u):
            return u, pi
        u = new
    raise RuntimeError("the prices did not settle: the assignment was not optimal")


def _pairs(vi: I64, pj: I64, npn: int) -> tuple[I64, I64]:
    keys = np.unique(vi * npn + pj)
    rows, cols = np.divmod(keys, npn)
    return rows.astype(np.int64), cols.astype(np.int64)


PRUNED_ROUNDS = 3
"""In the first rounds, kept pairs more than KEEP_MARGIN below their prices are dropped."""
KEEP_MARGIN = 1.0
ADD_MARGIN = 0.5
"""Promising pairs up to this far below their prices join the kept set (they may soon pay)."""


def _optimum(problem: _Problem, blocks: int, per_penpal: int) -> tuple[I64, I64]:
    """Column generation (see the module docstring): the chosen pairs, proven optimal."""
    nv, npn = problem.shape
    cert = problem.certificate
    cert.pairs = nv * npn
    u, pi = _first_prices(problem)
    vi, pj = np.zeros(0, np.int64), np.zeros(0, np.int64)
    while True:
        cand_v, cand_p = _promising(problem, u, pi, blocks, per_penpal)
        red = problem.reduced(cand_v, cand_p, u, pi)
        if cert.rounds and not (red > 0).any():
            # No promising pair is above its prices; the proof needs every pair checked.
            near_v, near_p = _every_violation(problem, u, pi)
            above = problem.reduced(near_v, near_p, u, pi) > 0
            if not above.any():
                break
            cand_v, cand_p = near_v[above], near_p[above]
            red = problem.reduced(cand_v, cand_p, u, pi)
        if 0 < cert.rounds <= PRUNED_ROUNDS:  # then the kept set only grows, so the loop ends
            kept = problem.reduced(vi, pj, u, pi) >= -KEEP_MARGIN * SCALE
            vi, pj = vi[kept], pj[kept]
        fresh = red > (-(1 << 61) if not cert.rounds else -ADD_MARGIN * SCALE)
        vi, pj = _pairs(
            np.concatenate([vi, cand_v[fresh]]), np.concatenate([pj, cand_p[fresh]]), npn
        )
        scores = problem.fit[problem.codes[vi, pj]] + problem.column[pj]
        used = _flow(problem, vi, pj, scores)
        u, pi = _prices(problem, vi, pj, scores, used)
        cert.rounds += 1
        cert.kept = len(vi)
        cert.total = int(scores[used].sum())
        cert.bound = int((problem.capacity * u).sum() + pi.sum())
        chosen = vi[used], pj[used]
    cert.proven = cert.total == cert.bound
    return chosen


def solve(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    weights: Weights = DEFAULT_WEIGHTS,
    blocks: int = 16,
    per_penpal: int = 4,
    chunk: int = 128,
) -> tuple[list[Proposal], Certificate]:
    """The optimal proposals for the whole waiting list, with the proof (module docstring).
    `blocks`, `per_penpal` and `chunk` change the speed, never the result."""
    volunteers = [v for v in volunteers if v.free > 0]
    if not volunteers or not penpals:
        return [], Certificate(proven=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        problem = _problem(volunteers, penpals, past, seed, weights, chunk, pool)
        vi, pj = _optimum(problem, max(1, min(blocks, len(penpals))), max(1, per_penpal))
    out = []
    for i, j in zip(vi.tolist(), pj.tolist(), strict=True):
        v, p = volunteers[i], penpals[j]
        out.append(
            Proposal(v.id, p.id, pair_score(v, p, seed, weights),
                     tuple(sorted(v.languages & p.languages)),
                     tuple(sorted(v.interests & p.interests)), p.days_waiting)
        )  # fmt: skip
    return sorted(out, key=lambda x: (-x.days_waiting, x.penpal_id)), problem.certificate


def propose(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Proposal]:
    """The optimal proposals for the whole waiting list (`solve` without the proof)."""
    return solve(volunteers, penpals, past, seed, weights)[0]

"""The matching engine: hard rules, scores, and a PROVEN optimal assignment under capacities.

A pair's score is its fit (shared interests, kind of correspondence) plus a term that belongs
to the pen pal alone: her days on the waiting list and a random priority drawn from the run's
seed, so that equal waits are ordered differently on each run and nobody is always last.

How the optimum is found without a solver over all 100 million pairs (column generation):

1. Both sides become bit masks (languages, interests, kinds), and the hard rules that depend on
   languages and the woman-writer answer a small table per group of alike volunteers. A pass
   over ALL pairs is a compiled loop (bot/matching/kernels.py, numba) that computes each pair's
   score from the masks as it goes, on two threads; no table of all pairs is ever stored.
2. A first guess at the prices (about as many women as free slots will be matched: a volunteer
   is worth the best woman below that line) picks a few promising pairs per volunteer and per
   woman. Those pairs are solved EXACTLY: an auction over them (Bertsekas; compiled) gives
   near-optimal pairs and prices, which the Hungarian method's shortest-path searches, one per
   defect left, make exact (bot/matching/kernels.py `exact_assignment`; it replaced OR-tools'
   min-cost flow, which took 0.3-0.5 s per round against 0.04-0.2 s here, because it starts
   from near-optimal prices: the auction's, then each round's own). (The guesses only choose
   pairs and a starting point; nothing below trusts them.)
3. From that solution come LP dual prices: u for each volunteer, pi for each pen pal, with
   u + pi = score on every chosen pair and u + pi >= score on every kept pair.
4. One pass over ALL pairs counts the pairs with score > u + pi. If there are none, the prices
   prove that no assignment of any pairs scores more (LP duality; the bipartite assignment LP
   has integral optima), so the result is optimal over the whole waiting list. Otherwise the
   most promising pairs at the new prices join the kept set and the loop goes on. Each round
   adds a pair that was missing (or raises the total), so it ends.

Scores are compared as integers in millionths, so the proof is exact, not up to rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from bot.matching import kernels
from bot.matching._encoding import (
    I64,
    U8,
    U64,
    Bools,
    _column_terms,
    _encode,
    _past_by_row,
)
from bot.matching.types import (
    DEFAULT_WEIGHTS,
    Proposal,
    VolunteerSlot,
    WaitingPenPal,
    Weights,
    pair_score,
)

Start = tuple[I64, I64]
"""A starting point for the exact solver: each woman's price, and her volunteer or -1."""

SCALE = 1_000_000
"""Scores become integers in millionths for the exact solver and for the optimality proof."""


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
    """Both sides as the compiled kernels take them (bot/matching/kernels.py), scores as
    integers in millionths. No table of all pairs is ever built: each pass computes them."""

    v_int: U64
    p_int: U64
    v_group: I64
    table: U8  # per volunteer group and pen pal: 0 not allowed, 1, 2 (kind)
    column: I64  # base + waiting + priority of each pen pal
    interest: int
    kind: int
    past_at: I64
    past_j: I64
    capacity: I64
    pool: ThreadPoolExecutor
    certificate: Certificate = field(default_factory=Certificate)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.capacity), len(self.column)

    def _pairs_args(self) -> tuple[U64, U64, I64, U8, I64, int, int, I64, I64]:
        """What every kernel takes to compute a pair's score, in its order."""
        return (
            self.v_int,
            self.p_int,
            self.v_group,
            self.table,
            self.column,
            self.interest,
            self.kind,
            self.past_at,
            self.past_j,
        )

    def _each_range(self, work: Callable[[int, int], object], ranges: int = 0) -> None:
        """A kernel over ranges of volunteers on the threads (the kernels release the GIL)."""
        rows = self.shape[0]
        step = max(1, -(-rows // (ranges or RANGES)))
        done = self.pool.map(lambda s: work(s, min(s + step, rows)), range(0, rows, step))
        for _ in done:  # re-raises a kernel's error
            pass

    def best(self, pi: I64) -> I64:
        """Each volunteer's u: the most any woman gives her at the prices pi, or 0."""
        u = np.zeros(self.shape[0], np.int64)
        self._each_range(lambda a, b: kernels.row_best(a, b, *self._pairs_args(), pi, u))
        return u

    def column_best(self, u: I64) -> I64:
        """Each woman's pi: the most any volunteer gets from her above her u, or 0."""
        parts = []

        def work(a: int, b: int) -> None:
            out = np.zeros(self.shape[1], np.int64)
            kernels.column_best(a, b, *self._pairs_args(), u, out)
            parts.append(out)

        self._each_range(work)
        pi: I64 = np.max(parts, axis=0)
        return pi

    def count(self, u: I64, pi: I64, floor: int) -> I64:
        """Per volunteer, how many allowed pairs score more than u + pi + floor."""
        counts = np.zeros(self.shape[0], np.int64)
        self._each_range(
            lambda a, b: kernels.count_above(a, b, *self._pairs_args(), u, pi, floor, counts)
        )
        return counts

    def promising(
        self, u: I64, pi: I64, floor: int, per_row: int, per_column: int
    ) -> tuple[I64, I64]:
        """The pairs furthest above u + pi + floor: each volunteer's best `per_row` and each
        woman's best `per_column` (a bounded set, however far off the prices are)."""
        nv, npn = self.shape
        row_red = np.full((nv, per_row), kernels.NEG, np.int64)
        row_j = np.full((nv, per_row), -1, np.int64)
        parts: dict[int, tuple[I64, I64]] = {}  # by range, so that ties break the same way

        def work(a: int, b: int) -> None:
            col_red = np.full((npn, per_column), kernels.NEG, np.int64)
            col_i = np.full((npn, per_column), -1, np.int64)
            kernels.top_pairs(
                a, b, *self._pairs_args(), u, pi, floor, row_red, row_j, col_red, col_i
            )
            parts[a] = (col_red, col_i)

        self._each_range(work, THREADS)  # each range starts its women's lists afresh
        reds = np.concatenate([parts[a][0] for a in sorted(parts)], axis=1)
        rows = np.concatenate([parts[a][1] for a in sorted(parts)], axis=1)
        best = np.argsort(-reds, axis=1, kind="stable")[:, :per_column]
        col_i = np.take_along_axis(rows, best, 1)
        vi = np.concatenate([np.repeat(np.arange(nv), per_row), col_i.reshape(-1)])
        pj = np.concatenate([row_j.reshape(-1), np.repeat(np.arange(npn), per_column)])
        found = (vi >= 0) & (pj >= 0)
        return vi[found], pj[found]

    def scores(self, vi: I64, pj: I64) -> I64:
        """The exact scores of allowed pairs."""
        shared = np.zeros(len(vi), np.int64)
        for word in range(self.v_int.shape[1]):
            shared += np.bitwise_count(self.v_int[vi, word] & self.p_int[pj, word])
        kind = self.table[self.v_group[vi], pj] == 2
        out: I64 = self.interest * shared + self.kind * kind + self.column[pj]
        return out

    def auction(self, vi: I64, pj: I64) -> Start:
        """Women's prices and volunteers from an auction over the pairs (vi, pj), sorted by
        volunteer as `_pairs` gives them (bot/matching/kernels.py)."""
        starts = np.searchsorted(vi, np.arange(self.shape[0] + 1)).astype(np.int64)
        price, arc = kernels.sparse_auction(
            starts, pj, self.scores(vi, pj), self.capacity, self.shape[1], AUCTION_STEP
        )
        mate = np.full(self.shape[1], -1, np.int64)
        mate[arc >= 0] = vi[arc[arc >= 0]]
        return price, mate

    def threshold_guess(self) -> I64:
        """About as many women as there are free slots will be matched: a volunteer is worth
        what she would get from the best woman below that line, each woman what she adds."""
        npn = self.shape[1]
        slots = int(self.capacity.sum())
        big = np.zeros(npn, np.int64)
        if slots < npn:
            line = np.partition(self.column, npn - slots)[npn - slots]
            big[self.column >= line] = 1 << 50
        u = self.best(big)
        return self.column_best(u)


THREADS = 2
RANGES = 8
"""Threads of a matching run, and ranges of volunteers per pass shared by them (more ranges
than threads: a thread slowed by the machine takes fewer; but the search for promising pairs
takes one range per thread, as each range fills its women's best lists from nothing: 0.26 s
instead of 0.38-0.43 with 8, measured)."""


def _problem(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    w: Weights,
    pool: ThreadPoolExecutor,
) -> _Problem:
    f = _encode(volunteers, penpals)
    by_row = _past_by_row(volunteers, penpals, past)
    per_row = [sorted(set(by_row.get(i, ()))) for i in range(len(volunteers))]
    past_j = np.array([j for row in per_row for j in row], np.int64)
    return _Problem(
        v_int=np.ascontiguousarray(f.v_int),
        p_int=np.ascontiguousarray(f.p_int),
        v_group=f.v_group,
        table=np.where(f.ok, 1 + f.kind.astype(np.uint8), 0).astype(np.uint8),
        column=np.round(_column_terms(f, seed, w) * SCALE).astype(np.int64),
        interest=round(w.interest * SCALE),
        kind=round(w.kind * SCALE),
        past_at=np.concatenate([[0], np.cumsum([len(row) for row in per_row])]).astype(np.int64),
        past_j=past_j,
        capacity=np.array([v.free for v in volunteers], np.int64),
        pool=pool,
    )


def _assign(problem: _Problem, vi: I64, pj: I64, scores: I64, start: Start) -> Bools:
    """Exact maximum-score assignment of the kept pairs (sorted by volunteer, as `_pairs` gives
    them) under capacities, by shortest-path searches from `start` (an auction's, or the last
    round's solution: only the pairs added since then make work) (bot/matching/kernels.py).
    Which kept pairs are taken."""
    nv, npn = problem.shape
    starts = np.searchsorted(vi, np.arange(nv + 1)).astype(np.int64)
    pi, mate = start[0].copy(), start[1]
    keys = vi * npn + pj
    arc = np.full(npn, -1, np.int64)
    if len(keys):  # each woman's pair with her starting volunteer, where it is still kept
        wanted = mate * npn + np.arange(npn)
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        arc = np.where((mate >= 0) & (keys[at] == wanted), at, -1)
    kernels.exact_assignment(starts, pj, scores, problem.capacity, pi, arc)
    used = np.zeros(len(vi), bool)
    used[arc[arc >= 0]] = True
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
    """The distinct pairs, sorted by volunteer then woman (np.unique hashes: 30x slower)."""
    keys = np.sort(vi * npn + pj)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    rows, cols = np.divmod(keys, npn)
    return rows.astype(np.int64), cols.astype(np.int64)


NEG_FLOOR = -(1 << 61)
"""A floor below every allowed pair: the first search takes the best pairs however far off."""
FIRST_ROUND = 3
"""The first search, whose prices are only a guess, takes 3 times as many pairs per person
(measured on benchmark instances 1-4: the proof then takes 2, 2, 2 and 3 rounds; with 2 times,
3, 3, 4 and 3)."""
AUCTION_STEP = 100_000
"""The step of the auction's prices (0.1 point, in millionths; 0.05 to 0.4 measured alike).
Its pairs and prices only start the first exact solution: searching more pairs at its prices
before that, as the engine did, took 0.3 s more and saved no round (measured)."""
MARGIN = 1.0
"""Pairs up to this many points below their prices are kept for the exact solver (they may
pay)."""


def _optimum(
    problem: _Problem, margin: float, guess: bool, per_row: int, per_column: int
) -> tuple[I64, I64]:
    """Column generation (see the module docstring): the chosen pairs, proven optimal."""
    nv, npn = problem.shape
    cert = problem.certificate
    cert.pairs = nv * npn
    pi = problem.threshold_guess() if guess else np.zeros(npn, np.int64)
    u = problem.best(pi)
    floor = -round(margin * SCALE) - 1
    first = round(FIRST_ROUND * per_row), round(FIRST_ROUND * per_column)
    vi, pj = _pairs(*problem.promising(u, pi, NEG_FLOOR, *first), npn)
    # The first exact solution starts from an auction's (without a guess: from nothing).
    start: Start = problem.auction(vi, pj) if guess else (pi, np.full(npn, -1, np.int64))
    before = -1
    while True:
        scores = problem.scores(vi, pj)
        used = _assign(problem, vi, pj, scores, start)
        u, pi = _prices(problem, vi, pj, scores, used)
        mate = np.full(npn, -1, np.int64)
        mate[pj[used]] = vi[used]
        start = pi, mate
        cert.rounds += 1
        cert.kept = len(vi)
        cert.total = int(scores[used].sum())
        cert.bound = int((problem.capacity * u).sum() + pi.sum())
        if not problem.count(u, pi, 0).any():
            break  # no pair anywhere scores more than its two prices: the proof
        # Every kept pair is within its prices, so each volunteer's best pair above them is
        # new: the set grows.
        more_v, more_p = problem.promising(u, pi, floor, per_row, per_column)
        if cert.total > before:
            # Pairs far below their prices are dropped (the chosen ones are kept, so the total
            # never falls); only after a round that raised the total, so the loop ends.
            red = scores - u[vi] - pi[pj]
            keep = used | (red > floor)
            vi, pj = vi[keep], pj[keep]
        before = cert.total
        vi, pj = _pairs(np.concatenate([vi, more_v]), np.concatenate([pj, more_p]), npn)
    # The proof needs prices that are a dual solution: never negative (the pass above checked
    # every pair), and a bound equal to the total.
    cert.proven = cert.total == cert.bound and bool((u >= 0).all() and (pi >= 0).all())
    return vi[used], pj[used]


def solve(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    weights: Weights = DEFAULT_WEIGHTS,
    margin: float = MARGIN,
    guess: bool = True,
    per_row: int = 16,
    per_column: int = 4,
) -> tuple[list[Proposal], Certificate]:
    """The optimal proposals for the whole waiting list, with the proof (module docstring).
    `margin` (how far below their prices pairs are kept), `guess` (start from guessed and
    auctioned prices, or from nothing), `per_row` and `per_column` (pairs added per volunteer
    and per woman each round) change the speed, never the result."""
    volunteers = [v for v in volunteers if v.free > 0]
    if not volunteers or not penpals:
        return [], Certificate(proven=True)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        problem = _problem(volunteers, penpals, past, seed, weights, pool)
        vi, pj = _optimum(problem, margin, guess, max(1, per_row), max(1, per_column))
    out = []
    for i, j in zip(vi.tolist(), pj.tolist(), strict=True):
        v, p = volunteers[i], penpals[j]
        out.append(
            Proposal(
                v.id,
                p.id,
                pair_score(v, p, seed, weights),
                tuple(sorted(v.languages & p.languages)),
                tuple(sorted(v.interests & p.interests)),
                p.days_waiting,
            )
        )
    return sorted(out, key=lambda x: (-x.days_waiting, x.penpal_id)), problem.certificate


def warm_up() -> None:
    """Load every compiled pass's machine code (numba's disk cache, or a compile on a new
    machine) by solving a tiny instance, so that a run's own time goes to its work."""
    v = VolunteerSlot(1, frozenset({"en"}), frozenset({"art"}), frozenset({"letters"}), True, 2)
    p = WaitingPenPal(2, frozenset({"en"}), frozenset({"art"}), frozenset(), False, 1)
    solve([v], [p, replace(p, id=3)], set(), seed=0)


def propose(
    volunteers: Sequence[VolunteerSlot],
    penpals: Sequence[WaitingPenPal],
    past: Collection[tuple[int, int]],
    seed: int,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[Proposal]:
    """The optimal proposals for the whole waiting list (`solve` without the proof)."""
    return solve(volunteers, penpals, past, seed, weights)[0]

"""The matching engine's loops over pairs, compiled with numba (bot/matching.py has the method).

Every score here is an integer in millionths (int64), so comparisons are exact. A pair's value
is -1 where a hard rule fails, else

    interest x shared interests + kind (when a kind of correspondence is shared) + column[j]

where `table[group of the volunteer, j]` holds the hard rules that depend on languages and the
woman-writer answer (0: not allowed, 1: allowed, 2: allowed and a kind is shared), and
`past_j[past_at[i]:past_at[i + 1]]` lists the women volunteer i was matched with before.

The kernels release the GIL (`nogil`) and work on a range of volunteers, so the engine runs two
of them on two threads without a threading layer of numba's own (a matching run in one thread
of the bot never collides with another). `cache=True` keeps the machine code on disk: only the
first run on a machine compiles.

Nothing here decides the result on its own: the auction only guesses prices, the min-cost flow
chooses the pairs, and the pass over every pair (`count_above` with floor 0) proves them optimal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

NEG = -(1 << 62)
"""Stands for "not allowed" (and "none yet" in top lists): below any real reduced score."""

_F = TypeVar("_F", bound=Callable[..., Any])


def _compiled(inline: Literal["never", "always"] = "never") -> Callable[[_F], _F]:
    """numba's njit, machine code cached on disk, releasing the GIL; for mypy the function
    keeps its Python signature. Where numba finds no writable place for its cache (beside this
    file, NUMBA_CACHE_DIR or the user's cache folder), the code is compiled at each start
    instead of failing the import."""

    def decorate(function: _F) -> _F:
        try:
            return cast(_F, njit(inline=inline, nogil=True, cache=True)(function))
        except RuntimeError:  # "cannot cache function ...: no locator available"
            return cast(_F, njit(inline=inline, nogil=True)(function))

    return decorate


def _popcount_intrinsic(typingctx: Any, x: Any) -> Any:
    """The processor's popcount instruction on a uint64, as an int64 (numba would turn a mix of
    int64 and uint64 into floats)."""
    sig = types.int64(types.uint64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return sig, codegen


_popcount = cast(Callable[[Any], int], intrinsic(_popcount_intrinsic))


@_compiled(inline="always")
def _shared(i: int, j: int, v_int: Any, p_int: Any) -> int:
    if v_int.shape[1] == 1:  # up to 64 interests: one word (a loop here would stop vectorising)
        one: int = _popcount(v_int[i, 0] & p_int[j, 0])
        return one
    shared = 0
    for w in range(v_int.shape[1]):
        shared += _popcount(v_int[i, w] & p_int[j, w])
    return shared


@_compiled(inline="always")
def _reduced_row(
    i: int, v_int: Any, p_int: Any, v_group: Any, table: Any, col: Any, interest: int,
    kind: int, past_at: Any, past_j: Any, ui: int, pi: Any, out: Any,
) -> None:  # fmt: skip
    """out[j] = value of pair (i, j) - ui - pi[j], or NEG where a hard rule fails. One plain
    loop without calls or early exits, so that it vectorises; the few past pairs after it."""
    row = table[v_group[i]]
    kind_of = np.int64(kind)
    if v_int.shape[1] == 1:  # up to 64 interests: one word
        mine = v_int[i, 0]
        for j in range(col.shape[0]):
            value = interest * _popcount(mine & p_int[j, 0]) + col[j] - pi[j] - ui
            rule = row[j]
            value += kind_of if rule == 2 else 0
            out[j] = value if rule != 0 else NEG
    else:
        for j in range(col.shape[0]):
            shared = 0
            for w in range(v_int.shape[1]):
                shared += _popcount(v_int[i, w] & p_int[j, w])
            value = interest * shared + col[j] - pi[j] - ui
            rule = row[j]
            value += kind_of if rule == 2 else 0
            out[j] = value if rule != 0 else NEG
    for k in range(past_at[i], past_at[i + 1]):
        out[past_j[k]] = NEG


@_compiled()
def row_best(
    start: int, stop: int, v_int: Any, p_int: Any, v_group: Any, table: Any, col: Any,
    interest: int, kind: int, past_at: Any, past_j: Any, pi: Any, out: Any,
) -> None:  # fmt: skip
    """out[i] = max(0, the most any woman gives volunteer i at the women's prices pi)."""
    reds = np.empty(col.shape[0], np.int64)
    for i in range(start, stop):
        _reduced_row(i, v_int, p_int, v_group, table, col, interest, kind, past_at, past_j,
                     0, pi, reds)  # fmt: skip
        out[i] = max(0, reds.max()) if reds.shape[0] else 0


@_compiled()
def column_best(
    start: int, stop: int, v_int: Any, p_int: Any, v_group: Any, table: Any, col: Any,
    interest: int, kind: int, past_at: Any, past_j: Any, u: Any, out: Any,
) -> None:  # fmt: skip
    """out[j] = max(out[j], the most woman j gives any of these volunteers above their u)."""
    reds = np.empty(col.shape[0], np.int64)
    zero = np.zeros(col.shape[0], np.int64)
    for i in range(start, stop):
        _reduced_row(i, v_int, p_int, v_group, table, col, interest, kind, past_at, past_j,
                     u[i], zero, reds)  # fmt: skip
        for j in range(col.shape[0]):
            out[j] = max(out[j], reds[j])


@_compiled()
def count_above(
    start: int, stop: int, v_int: Any, p_int: Any, v_group: Any, table: Any, col: Any,
    interest: int, kind: int, past_at: Any, past_j: Any, u: Any, pi: Any, floor: int, out: Any,
) -> None:  # fmt: skip
    """out[i] = how many allowed pairs of volunteer i have value - u[i] - pi[j] > floor."""
    reds = np.empty(col.shape[0], np.int64)
    for i in range(start, stop):
        _reduced_row(i, v_int, p_int, v_group, table, col, interest, kind, past_at, past_j,
                     u[i], pi, reds)  # fmt: skip
        n = 0
        for j in range(col.shape[0]):
            n += reds[j] > floor
        out[i] = n


@_compiled(inline="always")
def _keep_top(values: Any, keys: Any, at: int, width: int, value: int, key: int) -> None:
    """Insert (value, key) into values[at:at + width], kept in decreasing order."""
    k = width - 1
    while k > 0 and values[at + k - 1] < value:
        values[at + k] = values[at + k - 1]
        keys[at + k] = keys[at + k - 1]
        k -= 1
    values[at + k] = value
    keys[at + k] = key


@_compiled()
def top_pairs(
    start: int, stop: int, v_int: Any, p_int: Any, v_group: Any, table: Any, col: Any,
    interest: int, kind: int, past_at: Any, past_j: Any, u: Any, pi: Any, floor: int,
    row_red: Any, row_j: Any, col_red: Any, col_i: Any,
) -> None:  # fmt: skip
    """The most promising allowed pairs above the floor (value - u[i] - pi[j] > floor): each
    volunteer's best row_red.shape[1] in row_j, and each woman's best col_red.shape[1] among
    these volunteers in col_i. Every array starts at NEG (-1 for the indices)."""
    per_row = row_red.shape[1]
    per_col = col_red.shape[1]
    flat_red = col_red.reshape(-1)
    flat_i = col_i.reshape(-1)
    col_last = np.full(col.shape[0], floor, np.int64)  # what a pair must beat in its column
    reds = np.empty(col.shape[0], np.int64)
    for i in range(start, stop):
        _reduced_row(i, v_int, p_int, v_group, table, col, interest, kind, past_at, past_j,
                     u[i], pi, reds)  # fmt: skip
        row_last = floor
        for j in range(col.shape[0]):
            red = reds[j]
            if red > row_last:
                _keep_top(row_red[i], row_j[i], 0, per_row, red, j)
                row_last = max(floor, row_red[i, per_row - 1])
            if red > col_last[j]:
                _keep_top(flat_red, flat_i, j * per_col, per_col, red, i)
                col_last[j] = max(floor, flat_red[j * per_col + per_col - 1])


@_compiled()
def sparse_auction(
    starts: Any, women: Any, values: Any, capacity: Any, n_women: int, eps: int
) -> Any:
    """Prices for the women from a forward auction (Bertsekas) over the kept pairs only:
    volunteer i's pairs are women[starts[i]:starts[i + 1]] worth values[...]. Each free place
    of a volunteer bids for the woman who gives it most at current prices, raising her price by
    the margin over the second best plus eps; a place with nothing worth more than 0 stays
    empty. Prices start at 0 and only rise, so a woman nobody took keeps price 0. The result
    is within eps per place of the kept pairs' optimum: only a guess, which the flow and the
    proof then settle."""
    nv = capacity.shape[0]
    price = np.zeros(n_women, np.int64)
    owner = np.full(n_women, -1, np.int64)
    free = capacity.copy()
    queued = capacity > 0
    stack = np.flatnonzero(queued)[::-1].copy()
    top = stack.shape[0]
    stack = np.concatenate((stack, np.zeros(nv, np.int64)))
    while top > 0:
        top -= 1
        i = stack[top]
        queued[i] = False
        while free[i] > 0:
            best, second, chosen = NEG, NEG, -1
            for k in range(starts[i], starts[i + 1]):
                net = values[k] - price[women[k]]
                if net > best:
                    best, second, chosen = net, best, women[k]
                elif net > second:
                    second = net
            if chosen < 0 or best <= 0:
                free[i] -= 1  # this place stays empty: nobody is worth more than nothing
                continue
            price[chosen] += best - max(second, 0) + eps
            before = owner[chosen]
            owner[chosen] = i
            free[i] -= 1
            if before >= 0:
                free[before] += 1
                if not queued[before]:
                    queued[before] = True
                    stack[top] = before
                    top += 1
    return price

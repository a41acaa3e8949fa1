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

Nothing here decides the result on its own: the auction only guesses prices and pairs,
`exact_assignment` makes them the exact optimum of the kept pairs (checked against scipy's dense
solver in the tests), and the pass over every pair (`count_above` with floor 0) proves them
optimal over all pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

NEG = -(1 << 62)
"""Stands for "not allowed" (and "none yet" in top lists): below any real reduced score."""

CHUNK = 64
"""Pairs tested at once in `top_pairs` before any is looked at one by one."""

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
    i: int,
    v_int: Any,
    p_int: Any,
    v_group: Any,
    table: Any,
    col: Any,
    interest: int,
    kind: int,
    past_at: Any,
    past_j: Any,
    ui: int,
    pi: Any,
    out: Any,
) -> None:
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
    start: int,
    stop: int,
    v_int: Any,
    p_int: Any,
    v_group: Any,
    table: Any,
    col: Any,
    interest: int,
    kind: int,
    past_at: Any,
    past_j: Any,
    pi: Any,
    out: Any,
) -> None:
    """out[i] = max(0, the most any woman gives volunteer i at the women's prices pi)."""
    reds = np.empty(col.shape[0], np.int64)
    for i in range(start, stop):
        _reduced_row(
            i, v_int, p_int, v_group, table, col, interest, kind, past_at, past_j, 0, pi, reds
        )
        out[i] = max(0, reds.max()) if reds.shape[0] else 0


@_compiled()
def column_best(
    start: int,
    stop: int,
    v_int: Any,
    p_int: Any,
    v_group: Any,
    table: Any,
    col: Any,
    interest: int,
    kind: int,
    past_at: Any,
    past_j: Any,
    u: Any,
    out: Any,
) -> None:
    """out[j] = max(out[j], the most woman j gives any of these volunteers above their u)."""
    reds = np.empty(col.shape[0], np.int64)
    zero = np.zeros(col.shape[0], np.int64)
    for i in range(start, stop):
        _reduced_row(
            i, v_int, p_int, v_group, table, col, interest, kind, past_at, past_j, u[i], zero, reds
        )
        for j in range(col.shape[0]):
            out[j] = max(out[j], reds[j])


@_compiled()
def count_above(
    start: int,
    stop: int,
    v_int: Any,
    p_int: Any,
    v_group: Any,
    table: Any,
    col: Any,
    interest: int,
    kind: int,
    past_at: Any,
    past_j: Any,
    u: Any,
    pi: Any,
    floor: int,
    out: Any,
) -> None:
    """out[i] = how many allowed pairs of volunteer i have value - u[i] - pi[j] > floor."""
    reds = np.empty(col.shape[0], np.int64)
    for i in range(start, stop):
        _reduced_row(
            i, v_int, p_int, v_group, table, col, interest, kind, past_at, past_j, u[i], pi, reds
        )
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
    start: int,
    stop: int,
    v_int: Any,
    p_int: Any,
    v_group: Any,
    table: Any,
    col: Any,
    interest: int,
    kind: int,
    past_at: Any,
    past_j: Any,
    u: Any,
    pi: Any,
    floor: int,
    row_red: Any,
    row_j: Any,
    col_red: Any,
    col_i: Any,
) -> None:
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
        _reduced_row(
            i, v_int, p_int, v_group, table, col, interest, kind, past_at, past_j, u[i], pi, reds
        )
        row_last = floor
        for chunk in range(0, col.shape[0], CHUNK):
            last = min(chunk + CHUNK, col.shape[0])
            # Most pairs beat neither list: a branch-free test of a chunk first (vectorised).
            hit = False
            for j in range(chunk, last):
                hit |= (reds[j] > row_last) | (reds[j] > col_last[j])
            if not hit:
                continue
            for j in range(chunk, last):
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
) -> tuple[Any, Any]:
    """Prices for the women, and the pairs taken, from a forward auction (Bertsekas) over the
    kept pairs only: volunteer i's pairs are women[starts[i]:starts[i + 1]] worth values[...].
    Each free place of a volunteer bids for the woman who gives it most at current prices,
    raising her price by the margin over the second best plus eps; a place with nothing worth
    more than 0 stays empty. Prices start at 0 and only rise, so a woman nobody took keeps
    price 0. The result is within eps per place of the kept pairs' optimum: only a start,
    which `exact_assignment` then makes exact. Returns (price, arc): arc[j] is the index of
    woman j's pair, or -1."""
    nv = capacity.shape[0]
    price = np.zeros(n_women, np.int64)
    arc = np.full(n_women, -1, np.int64)
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
                    best, second, chosen = net, best, k
                elif net > second:
                    second = net
            if chosen < 0 or best <= 0:
                free[i] -= 1  # this place stays empty: nobody is worth more than nothing
                continue
            j = women[chosen]
            price[j] += best - max(second, 0) + eps
            before = owner[j]
            owner[j], arc[j] = i, chosen
            free[i] -= 1
            if before >= 0:
                free[before] += 1
                if not queued[before]:
                    queued[before] = True
                    stack[top] = before
                    top += 1
    return price, arc


@_compiled(inline="always")
def _heap_push(keys: Any, items: Any, n: int, key: int, item: int) -> int:
    """Add (key, item) to the binary min-heap keys[:n], items[:n]; returns the new size."""
    k = n
    keys[k], items[k] = key, item
    while k > 0:
        parent = (k - 1) >> 1
        if keys[parent] <= keys[k]:
            break
        keys[parent], keys[k] = keys[k], keys[parent]
        items[parent], items[k] = items[k], items[parent]
        k = parent
    return n + 1


@_compiled(inline="always")
def _heap_pop(keys: Any, items: Any, n: int) -> int:
    """Remove the smallest entry (read keys[0], items[0] first); returns the new size."""
    n -= 1
    keys[0], items[0] = keys[n], items[n]
    k = 0
    while True:
        child = 2 * k + 1
        if child >= n:
            break
        if child + 1 < n and keys[child + 1] < keys[child]:
            child += 1
        if keys[k] <= keys[child]:
            break
        keys[child], keys[k] = keys[k], keys[child]
        items[child], items[k] = items[k], items[child]
        k = child
    return n


@_compiled()
def exact_assignment(
    starts: Any, women: Any, values: Any, capacity: Any, pi: Any, arc: Any
) -> tuple[Any, int]:
    """The maximum-value assignment of the kept pairs under the volunteers' capacities, EXACT,
    with its LP prices. Pairs as in `sparse_auction`; pi (the women's prices) and arc (woman
    j's pair, or -1) are a starting guess, typically the auction's, and hold the result.

    A primal-dual method (the Hungarian method, one shortest-path search per defect, with a
    binary heap): the prices always satisfy u[i] + pi[j] >= value on every pair, with equality
    on the pairs taken. A defect is a volunteer with a free place and u > 0, or a woman left
    alone with pi > 0. A search from a defect grows a tree of tight pairs (Dijkstra over the
    slacks) until it reaches a woman alone or a volunteer with room (then the path of pairs
    flips), or until a price in the tree reaches 0; the tree's prices move by the distance.
    Each search removes a defect and makes none, so it ends; with no defect left, the
    prices prove the assignment optimal (LP duality). Returns (u, number of searches)."""
    nv = capacity.shape[0]
    n_women = pi.shape[0]
    n_arcs = women.shape[0]
    n_nodes = nv + n_women  # volunteers are nodes 0..nv-1, woman j is node nv + j
    owner = np.empty(n_arcs, np.int64)
    for i in range(nv):
        owner[starts[i] : starts[i + 1]] = i
    # Each woman's pairs: w_arcs[w_starts[j]:w_starts[j + 1]].
    w_starts = np.zeros(n_women + 1, np.int64)
    for k in range(n_arcs):
        w_starts[women[k] + 1] += 1
    w_starts = np.cumsum(w_starts)
    fill = w_starts[:-1].copy()
    w_arcs = np.empty(n_arcs, np.int64)
    for k in range(n_arcs):
        w_arcs[fill[women[k]]] = k
        fill[women[k]] += 1

    used = np.zeros(n_arcs, np.bool_)
    count = np.zeros(nv, np.int64)
    u = np.zeros(nv, np.int64)
    for i in range(nv):
        for k in range(starts[i], starts[i + 1]):
            u[i] = max(u[i], values[k] - pi[women[k]])
    # A starting pair is kept if her price can fall to make it tight without another of her
    # pairs rising above its prices; every other woman's price falls as far as her pairs allow.
    for j in range(n_women):
        k = arc[j]
        least = 0
        for q in range(w_starts[j], w_starts[j + 1]):
            if w_arcs[q] != k:
                least = max(least, values[w_arcs[q]] - u[owner[w_arcs[q]]])
        if k >= 0 and values[k] - u[owner[k]] >= least and count[owner[k]] < capacity[owner[k]]:
            pi[j] = values[k] - u[owner[k]]
            used[k] = True
            count[owner[k]] += 1
        else:
            if k >= 0:
                least = max(least, values[k] - u[owner[k]])
            arc[j] = -1
            pi[j] = least

    dist = np.zeros(n_nodes, np.int64)
    seen = np.zeros(n_nodes, np.int64)  # dist is valid when seen == this search's stamp
    done = np.zeros(n_nodes, np.int64)  # settled in this search
    pred = np.full(n_nodes, -1, np.int64)  # the pair through which a node was reached
    settled = np.empty(n_nodes, np.int64)
    keys = np.empty(n_arcs + 2 * n_nodes + 1, np.int64)
    items = np.empty(n_arcs + 2 * n_nodes + 1, np.int64)  # node, or n_nodes + node: price 0
    searches = 0
    for woman_side in (False, True):
        for root in range(n_women if woman_side else nv):
            while True:
                if woman_side:
                    if arc[root] >= 0 or pi[root] == 0:
                        break
                    start = nv + root
                elif count[root] == capacity[root] or u[root] == 0:
                    break
                else:
                    start = root
                searches += 1
                stamp = searches
                seen[start], dist[start], n, n_settled = stamp, 0, 0, 0
                n = _heap_push(keys, items, n, 0, start)
                end, delta = -1, 0
                while n > 0:
                    key, item = keys[0], items[0]
                    n = _heap_pop(keys, items, n)
                    if item >= n_nodes:  # a price in the tree reaches 0 here
                        end, delta = item, key
                        break
                    if done[item] == stamp or key > dist[item]:
                        continue
                    if item < nv and woman_side and count[item] < capacity[item]:
                        end, delta = item, key  # a volunteer with room takes one more
                        break
                    if item >= nv and not woman_side and arc[item - nv] < 0:
                        end, delta = item, key  # a woman alone is taken
                        break
                    done[item] = stamp
                    settled[n_settled] = item
                    n_settled += 1
                    if item < nv:
                        v = item
                        if not woman_side:  # her u falls: until it reaches 0
                            n = _heap_push(keys, items, n, key + u[v], n_nodes + v)
                        for k in range(starts[v], starts[v + 1]):
                            j = nv + women[k]
                            if done[j] == stamp:
                                continue
                            if used[k]:  # her women's prices move with her u: same distance
                                d = key
                            elif woman_side:
                                continue  # from a volunteer, only to the women she has
                            else:
                                d = key + u[v] + pi[women[k]] - values[k]
                            if seen[j] != stamp or d < dist[j]:
                                seen[j], dist[j], pred[j] = stamp, d, k
                                n = _heap_push(keys, items, n, d, j)
                    else:
                        j = item - nv
                        if woman_side:  # her price falls: until it reaches 0
                            n = _heap_push(keys, items, n, key + pi[j], n_nodes + item)
                            for q in range(w_starts[j], w_starts[j + 1]):
                                k = w_arcs[q]
                                v = owner[k]
                                if used[k] or done[v] == stamp:
                                    continue
                                d = key + u[v] + pi[j] - values[k]
                                if seen[v] != stamp or d < dist[v]:
                                    seen[v], dist[v], pred[v] = stamp, d, k
                                    n = _heap_push(keys, items, n, d, v)
                        else:  # to her volunteer, whose u falls as her price rises
                            k = arc[j]
                            v = owner[k]
                            if done[v] != stamp and (seen[v] != stamp or key < dist[v]):
                                seen[v], dist[v], pred[v] = stamp, key, k
                                n = _heap_push(keys, items, n, key, v)
                # The tree's prices move by how far beyond each node the end was found.
                for s in range(n_settled):
                    x = settled[s]
                    change = delta - dist[x]
                    if x < nv:
                        u[x] += change if woman_side else -change
                    else:
                        pi[x - nv] += -change if woman_side else change
                x = end
                if end >= n_nodes:
                    x = end - n_nodes
                    if x == start:
                        continue  # the defect's own price reached 0: nothing to flip
                    # The node whose price reached 0 lets go of the pair it was reached by.
                    k = pred[x]
                    used[k] = False
                    count[owner[k]] -= 1
                    arc[women[k]] = -1
                    x = owner[k] if woman_side else nv + women[k]
                # Flip the path back to the defect: x is a woman alone (search from a
                # volunteer) or a volunteer with room (search from a woman).
                while True:
                    k = pred[x]
                    j, v = women[k], owner[k]
                    before = arc[j]
                    used[k] = True
                    arc[j] = k
                    count[v] += 1
                    if (v if not woman_side else nv + j) == start:
                        break
                    if woman_side:  # j leaves the volunteer she was reached from
                        used[before] = False
                        count[owner[before]] -= 1
                        x = owner[before]
                    else:  # v lets go of the woman she was reached by
                        used[pred[v]] = False
                        count[v] -= 1
                        x = nv + women[pred[v]]
    return u, searches

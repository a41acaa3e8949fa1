"""The pool as the engine and its kernels take it: each side's languages, interests and kinds
as bit masks, the hard rules per group of alike volunteers, and each pen pal's own terms (days
waiting, her random priority). `fit_block` computes the same numbers as the kernels, plainly,
for the checking baselines."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from bot.matching.types import VolunteerSlot, WaitingPenPal, Weights

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
U8 = npt.NDArray[np.uint8]
Bools = npt.NDArray[np.bool_]


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
    """One row of `words` 64-bit words per set, bit b set when the set holds the value b
    (built as Python integers: a numpy operation per value would cost a microsecond each)."""
    words = max(words, 1)
    bit = vocabulary.get

    @cache  # most sets repeat (languages, kinds): each is built once
    def mask(items: frozenset[str]) -> int:
        return sum(1 << b for item in items if (b := bit(item)) is not None)

    whole = [mask(items) for items in sets]
    if words == 1:
        return np.array(whole, np.uint64).reshape(-1, 1)
    low = (1 << 64) - 1
    return np.array(
        [[(m >> (64 * w)) & low for w in range(words)] for m in whole], np.uint64
    ).reshape(-1, words)


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
        masks["languages"][0],
        masks["kinds"][0],
        np.array([v.woman is True for v in volunteers]),
        masks["languages"][1],
        masks["kinds"][1],
        np.array([p.wants_woman for p in penpals]),
    )
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
    checking baselines; the engine computes the same numbers in bot/matching/kernels.py)."""
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

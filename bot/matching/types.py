"""What the matching engine takes and gives; free of numpy so importing it costs nothing."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.models import PenPal, Volunteer


@dataclass(frozen=True)
class VolunteerSlot:
    """A volunteer who can take more pen pals: `free` is capacity minus active matches."""

    id: int
    languages: frozenset[str]
    interests: frozenset[str]
    kinds: frozenset[str]
    woman: bool | None
    free: int


@dataclass(frozen=True)
class WaitingPenPal:
    """A pen pal on the waiting list, with what matters for matching."""

    id: int
    languages: frozenset[str]
    interests: frozenset[str]
    kinds: frozenset[str]
    wants_woman: bool
    days_waiting: int


@dataclass(frozen=True)
class Weights:
    """How much each thing adds to a pair's score (every eligible pair scores at least `base`)."""

    base: float = 1.0
    interest: float = 3.0
    kind: float = 2.0
    per_day_waiting: float = 0.1
    tiebreak: float = 1.0


@dataclass(frozen=True)
class Proposal:
    """One proposed pair and why."""

    volunteer_id: int
    penpal_id: int
    score: float
    shared_languages: tuple[str, ...]
    shared_interests: tuple[str, ...]
    days_waiting: int


DEFAULT_WEIGHTS = Weights()
"""The weights used unless a program sets its own."""


def eligible(v: VolunteerSlot, p: WaitingPenPal, past: Collection[tuple[int, int]]) -> bool:
    """The hard rules for one pair (the engine applies the same rules in bulk)."""
    return (
        v.free > 0
        and bool(v.languages & p.languages)
        and (not p.wants_woman or v.woman is True)
        and (v.id, p.id) not in past
    )


def slot(
    volunteer_id: int,
    languages: Iterable[str],
    interests: Iterable[str],
    kinds: Iterable[str],
    woman_writer: bool | None,
    free: int,
) -> VolunteerSlot:
    """What matching needs to know of a volunteer with `free` places left (interests compare
    without case)."""
    return VolunteerSlot(
        volunteer_id,
        frozenset(languages),
        _folded(frozenset(interests)),
        frozenset(kinds),
        woman_writer,
        free,
    )


def waiting(
    penpal_id: int,
    languages: Iterable[str],
    interests: Iterable[str],
    kinds: Iterable[str],
    writer_preference: str | None,
    days_waiting: int,
) -> WaitingPenPal:
    """What matching needs to know of a pen pal on the waiting list."""
    return WaitingPenPal(
        penpal_id,
        frozenset(languages),
        _folded(frozenset(interests)),
        frozenset(kinds),
        writer_preference == "woman",
        days_waiting,
    )


@lru_cache(maxsize=4096)
def _folded(interests: frozenset[str]) -> frozenset[str]:
    """Interests without case. Cached: on a waiting list the same sets come back often, and a
    matching run reads 25,000 of them (frozenset() of a frozenset is the same object)."""
    return frozenset(i.casefold() for i in interests)


def slot_of(volunteer: Volunteer, taken: int) -> VolunteerSlot:
    """What matching needs to know of a volunteer who already has `taken` pen pals."""
    return slot(
        volunteer.id,
        volunteer.languages,
        volunteer.interests,
        volunteer.kinds,
        volunteer.woman_writer,
        volunteer.capacity - taken,
    )


def waiting_of(penpal: PenPal, days_waiting: int) -> WaitingPenPal:
    """What matching needs to know of a pen pal."""
    return waiting(
        penpal.id,
        penpal.languages,
        penpal.interests,
        penpal.correspondence_kinds,
        penpal.writer_preference,
        days_waiting,
    )


@dataclass(frozen=True)
class Pool:
    """Everything one matching run reads: volunteers with their display names, the waiting
    list with the women's preferred names (never more of their personal data), past pairs."""

    volunteers: list[tuple[VolunteerSlot, str]]
    penpals: list[tuple[WaitingPenPal, str]]
    past: set[tuple[int, int]]


_MASK = (1 << 64) - 1


def unit_priority(penpal_id: int, seed: int) -> float:
    """Her random priority in [0, 1) for this run's seed (splitmix64; the engine computes the
    same numbers with numpy)."""
    x = (penpal_id * 0x9E3779B97F4A7C15) & _MASK
    x ^= seed & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    x ^= x >> 31
    return (x >> 11) / float(1 << 53)


def pair_score(
    v: VolunteerSlot, p: WaitingPenPal, seed: int, w: Weights = DEFAULT_WEIGHTS
) -> float:
    """The score of one eligible pair, exactly as the engine computes it."""
    return (
        w.base
        + w.interest * len(v.interests & p.interests)
        + w.kind * bool(v.kinds & p.kinds)
        + w.per_day_waiting * p.days_waiting
        + w.tiebreak * unit_priority(p.id, seed)
    )

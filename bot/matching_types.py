"""What the matching engine takes and gives; free of numpy so importing it costs nothing."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.models import PenPal, Volunteer


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


def slot_of(volunteer: Volunteer, taken: int) -> VolunteerSlot:
    """What matching needs to know of a volunteer who already has `taken` pen pals."""
    return VolunteerSlot(
        volunteer.id,
        frozenset(volunteer.languages),
        frozenset(i.casefold() for i in volunteer.interests),
        frozenset(volunteer.kinds),
        volunteer.woman_writer,
        volunteer.capacity - taken,
    )


def waiting_of(penpal: PenPal, days_waiting: int) -> WaitingPenPal:
    """What matching needs to know of a pen pal."""
    return WaitingPenPal(
        penpal.id,
        frozenset(penpal.languages),
        frozenset(i.casefold() for i in penpal.interests),
        frozenset(penpal.correspondence_kinds),
        penpal.writer_preference == "woman",
        days_waiting,
    )

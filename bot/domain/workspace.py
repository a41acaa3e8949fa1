"""What the coordinators' web workspace shows: plain rows that the storage reads for its pages
(no personal data leaves the coordinators' own pages, and none is in a link or a log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.models import Actor, Platform

PAGE = 50
"""Rows on one page of a workspace list."""


@dataclass(frozen=True)
class WebSession:
    """A coordinator's open session in the workspace."""

    platform: Platform
    user_id: str
    csrf: str
    expires_at: datetime

    @property
    def label(self) -> str:
        return f"{self.platform.value}:{self.user_id}"

    @property
    def actor(self) -> Actor:
        """Who acts from the workspace: a coordinator (checked as the session was read)."""
        return Actor(self.platform, self.user_id, is_coordinator=True)


@dataclass(frozen=True)
class Glance:
    """The program at a glance."""

    waiting: int
    oldest_waiting: date | None
    active_matches: int
    letters_in: int
    letters_out: int
    overdue: int
    open_concerns: int
    pending_signups: int
    addresses_in_doubt: int
    addresses_unchecked: int
    at_program: int
    proposals: int = 0


@dataclass(frozen=True)
class WaitingRow:
    penpal_id: int
    name: str
    facility: str
    languages: tuple[str, ...]
    kinds: tuple[str, ...]
    waiting_since: date


@dataclass(frozen=True)
class WaitingFilter:
    """What the waiting list is narrowed to, and how it is sorted."""

    facility: str = ""
    language: str = ""
    kind: str = ""
    min_days: int = 0
    sort: str = "waiting"  # waiting | name | facility
    page: int = 0


@dataclass(frozen=True)
class MatchRow:
    match_id: int
    volunteer: str
    penpal: str
    status: str
    confirmed_on: date | None
    last_in: date | None
    last_out: date | None
    next_reminder: date | None = None
    """The day her next reminder can come (None: none while paused or in doubt)."""
    overdue_days: int = 0
    circle: str = ""
    """A writing circle's match: the circle (`volunteer` is the member whose turn it is)."""


@dataclass(frozen=True)
class VolunteerRow:
    volunteer_id: int
    name: str
    status: str
    platforms: tuple[str, ...]
    capacity: int
    matches: int
    replies_on_time: int
    replies_late: int


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 0


@dataclass(frozen=True)
class CircleRow:
    """A writing circle as the coordinators see it (names only, never a woman's details)."""

    circle_id: int
    name: str
    status: str
    has_place: bool
    lead: str
    members: tuple[tuple[str, bool], ...]  # (name, paused), in the order they write
    writing: tuple[tuple[str, str, int], ...]  # (her preferred name, whose turn, letters)
    capacity: int = 1


@dataclass(frozen=True)
class ProposalRow:
    match_id: int
    volunteer: str
    penpal: str
    proposed_at: datetime
    score: float | None


@dataclass(frozen=True)
class AddressRow:
    penpal_id: int
    name: str
    facility: str
    in_doubt_since: date | None
    confirmed_on: date | None


@dataclass(frozen=True)
class PendingRow:
    volunteer_id: int
    name: str
    languages: tuple[str, ...]
    capacity: int
    signed_up: date


@dataclass(frozen=True)
class Series:
    """One line of a chart: its catalogue key and a value per point (None: no value)."""

    key: str
    values: tuple[float | None, ...]
    secondary: bool = False
    """Measured in other units than the first series (drawn against a second axis)."""


@dataclass(frozen=True)
class Chart:
    """A chart the coordinators read, and the same figures as a table under it."""

    name: str
    title: str
    """Catalogue key of the question it answers."""
    points: tuple[str, ...]
    """What each point is (a week's Monday, or a month, as YYYY-MM-DD or YYYY-MM)."""
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Report:
    """The figures a funder asks for, over a period (no names, no ID numbers)."""

    start: date
    end: date
    women_served: int
    volunteers_active: int
    letters_in: int
    letters_out: int
    median_wait_days: float | None
    replies_on_time: int
    replies_answered: int
    retained: int
    retained_of: int

"""Domain models for the whole program (see shared/DOMAIN.md); all datetimes are aware UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

CORRESPONDENCE_KINDS = ("friendship", "spiritual", "creative", "activist", "educational")
"""Kinds of correspondence a pen pal can ask for and a volunteer can offer."""


class Platform(StrEnum):
    """A chat platform the bot talks on."""

    DISCORD = "discord"
    TELEGRAM = "telegram"


class VolunteerStatus(StrEnum):
    """Where a volunteer stands in the program."""

    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    REJECTED = "rejected"
    LEFT = "left"


class PenPalStatus(StrEnum):
    """Where an incarcerated pen pal stands in the program."""

    WAITING = "waiting"
    MATCHED = "matched"
    PAUSED = "paused"
    RELEASED = "released"
    CLOSED = "closed"


class MatchStatus(StrEnum):
    """The state of a pairing between a volunteer and a pen pal."""

    PROPOSED = "proposed"
    SKIPPED = "skipped"
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class EndReason(StrEnum):
    """Why a match ended (DOMAIN.md: "the relationship ends with a reason")."""

    VOLUNTEER_STOPPED = "volunteer stopped"
    NO_REPLY = "no reply"
    RELEASED = "released"
    TRANSFERRED_AND_LOST = "transferred and lost"
    BOUNDARY_PROBLEM = "boundary problem"
    COORDINATOR_DECISION = "coordinator decision"
    VOLUNTEER_LEFT = "volunteer left"


class ReturnReason(StrEnum):
    """What was printed on a letter that came back."""

    MOVED = "moved"
    RELEASED = "released"
    REFUSED = "refused"
    RULES_BROKEN = "rules_broken"
    UNKNOWN = "unknown"


class LetterDirection(StrEnum):
    """Which way a letter travelled."""

    TO_PENPAL = "to_penpal"
    FROM_PENPAL = "from_penpal"


class LetterState(StrEnum):
    """Where a letter that passes through the program is (forwarding programs)."""

    DONE = ""
    WAITING = "waiting"  # at the program: to forward or post (after reading, with review)
    HELD = "held"  # kept at the program for now, with a note
    RETURNED = "returned"  # given back to the volunteer to rewrite (letters to her only)


class Frequency(StrEnum):
    """How often a volunteer says she can write."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


class TargetKind(StrEnum):
    """Where an outbound message goes: a person's private chat, or a channel/group."""

    USER = "user"
    CHANNEL = "channel"


class OutboxStatus(StrEnum):
    """Delivery state of an outbound message."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"


@dataclass(frozen=True)
class AccountRef:
    """A person's account on one platform (user ids are strings: Discord snowflakes are big)."""

    platform: Platform
    user_id: str
    handle: str = ""


@dataclass(frozen=True)
class Volunteer:
    """An outside writer. Never holds a home address."""

    id: int
    display_name: str
    pronouns: str
    languages: tuple[str, ...]
    interests: tuple[str, ...]
    capacity: int
    frequency: Frequency
    timezone: str
    status: VolunteerStatus
    guidelines_version: str
    consented_at: datetime
    created_at: datetime
    updated_at: datetime
    accounts: tuple[AccountRef, ...] = ()
    paused_until: date | None = None
    kinds: tuple[str, ...] = ()
    woman_writer: bool | None = None
    left_reason: str | None = None
    prefers: Platform | None = None
    """Where her messages go once she has linked accounts on both platforms (None: both)."""
    pen_name: str = ""
    """Forwarding programs: the name she signs her letters with ('' = her display name)."""

    @property
    def signs_as(self) -> str:
        return self.pen_name or self.display_name


@dataclass(frozen=True)
class SignupDraft:
    """A sign-up in progress; kept in the database so a restart loses nothing."""

    account: AccountRef
    answers: dict[str, Any]
    started_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Facility:
    """A prison or jail, with the address that mail must use (often not the physical one)."""

    id: int
    name: str
    address_lines: tuple[str, ...]
    jurisdiction: str
    mail_rules: str
    emessaging_service: str | None = None
    locator_url: str = ""
    """Where coordinators check that a woman is still there (the inmate locator)."""


@dataclass(frozen=True)
class PenPal:
    """An incarcerated woman who asked for a pen pal. Personal data: private channels only."""

    id: int
    committed_name: str
    preferred_name: str
    pronouns: str
    languages: tuple[str, ...]
    interests: tuple[str, ...]
    correspondence_kinds: tuple[str, ...]
    description: str
    waiting_since: date
    status: PenPalStatus
    release_date: date | None = None
    address_verified_at: date | None = None
    writer_preference: str | None = None
    address_unconfirmed_at: date | None = None
    """Since when her address is in doubt (a letter came back, or a long silence)."""
    address_check_after: date | None = None
    """A coordinator could not tell yet: she is asked again on this day."""
    release_notified_for: date | None = None
    """The release date her volunteers and the coordinators were told about, if any."""
    reminders_from: date | None = None
    """Her address was settled on this day after a doubt: reminders count from it."""


@dataclass(frozen=True)
class CustodyRecord:
    """One stay at one facility under one ID number; a transfer closes it and opens another."""

    id: int
    penpal_id: int
    facility_id: int
    id_number: str
    started_on: date
    ended_on: date | None = None


@dataclass(frozen=True)
class Match:
    """A pairing of one volunteer with one pen pal."""

    id: int
    volunteer_id: int
    penpal_id: int
    status: MatchStatus
    proposed_at: datetime
    confirmed_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    run_id: int | None = None
    score: float | None = None
    circle_id: int | None = None
    """A writing circle's match: `volunteer_id` is the member whose turn it is to write."""


@dataclass(frozen=True)
class Letter:
    """A letter logged for a match: when, which way, and who logged it."""

    id: int
    match_id: int
    direction: LetterDirection
    dated: date
    logged_by: str
    logged_at: datetime
    program_on: date | None = None
    """The leg through the program: the day a letter from her reached the program's mailbox,
    or the day the program posted a letter to her. `dated` is the volunteer's leg (the day the
    letter reached her, or the day she wrote or handed it in)."""
    state: LetterState = LetterState.DONE
    note: str = ""

    @property
    def counts(self) -> bool:
        """Whether it counts in the rhythm of letters: a letter from her once it reached the
        volunteer; a letter to her once written, unless it was given back to be rewritten."""
        if self.direction is LetterDirection.FROM_PENPAL:
            return self.state is LetterState.DONE
        return self.state is not LetterState.RETURNED


@dataclass(frozen=True)
class Circle:
    """A writing circle: volunteers who write to a pen pal together, in turn."""

    id: int
    name: str
    lead_id: int
    status: str  # pending (the lead waits for a coordinator) | active | dissolved
    capacity: int
    created_at: datetime
    place: Destination | None = None
    """Where the circle talks (a Discord channel or thread, a Telegram group): coordination
    only, never a woman's personal data."""


@dataclass(frozen=True)
class CircleMember:
    volunteer_id: int
    position: int
    joined_at: datetime


@dataclass(frozen=True)
class QuizResult:
    """A volunteer's tries at the training quiz of one version of the guidelines."""

    volunteer_id: int
    version: str
    language: str
    answers: tuple[int, ...] | None
    """The choices of the try in progress (None: no try is in progress)."""
    tries: int
    total: int
    first_score: int | None = None
    score: int | None = None
    passed_at: datetime | None = None


@dataclass(frozen=True)
class ConsentRequest:
    """A volunteer asked to accept a new version of the guidelines (no new pen pals until)."""

    volunteer_id: int
    version: str
    asked_at: datetime
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None


@dataclass(frozen=True)
class ReturnedLetter:
    """A letter that came back, recorded against the address (custody record) it went to."""

    id: int
    match_id: int
    custody_id: int | None
    reason: ReturnReason
    dated: date
    logged_by: str
    logged_at: datetime


@dataclass(frozen=True)
class Button:
    """A button on an outbound message: what it does (`action`) and on what (`arg`)."""

    label_key: str
    action: str
    arg: str


@dataclass(frozen=True)
class OutboundMessage:
    """Something the bot sends on its own initiative, written to the outbox before it is sent."""

    id: int
    platform: Platform
    target_kind: TargetKind
    target_id: str
    message_key: str
    params: dict[str, Any]
    due_at: datetime
    created_at: datetime
    private: bool = False
    buttons: tuple[Button, ...] = ()
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    about: int | None = None
    edit: tuple[SentPart, ...] = ()
    language: str | None = None  # the receiver's, when she has one (else the program's)

    @property
    def is_reminder(self) -> bool:
        """A reminder to write: when it cannot reach her privately, she is told where to look."""
        return self.message_key.startswith("reminder.")


@dataclass(frozen=True)
class NewOutbound:
    """An outbound message before the outbox has given it an id."""

    platform: Platform
    target_kind: TargetKind
    target_id: str
    message_key: str
    params: dict[str, Any] = field(default_factory=dict)
    private: bool = False
    buttons: tuple[Button, ...] = ()
    about: int | None = None
    """The volunteer this notice names: where it was delivered is remembered, so that her
    erasure can drop it while it waits, or edit it once delivered."""
    edit: tuple[SentPart, ...] = ()
    """Not a new message: these delivered messages are edited to say this one."""


@dataclass(frozen=True)
class SentPart:
    """One platform message the bot sent (a long text may take several): the chat or channel
    it is in, and its id there."""

    chat_id: str
    message_id: str


@dataclass(frozen=True)
class AuditEntry:
    """Who did what to which record, and when. Never the personal data itself."""

    id: int
    actor: str
    action: str
    subject: str
    at: datetime


@dataclass(frozen=True)
class Destination:
    """Where a notice goes: a platform, a private chat or a channel, and its id."""

    platform: Platform
    target_kind: TargetKind
    target_id: str


@dataclass(frozen=True)
class Actor:
    """Who is acting; `is_coordinator` is decided by the adapter from the config, in code."""

    platform: Platform
    user_id: str
    is_coordinator: bool = False

    @property
    def label(self) -> str:
        """How the audit trail names this actor (a platform id, never a name)."""
        return f"{self.platform.value}:{self.user_id}"


@dataclass(frozen=True)
class Broadcast:
    """An announcement to a set of volunteers, sent only after the coordinator confirms it."""

    id: int
    actor: str
    audience: str
    text: str
    status: str
    recipients: int
    created_at: datetime


@dataclass(frozen=True)
class Schedule:
    """A recurring announcement at a LOCAL time (it follows daylight saving time)."""

    id: int
    actor: str
    day_of_week: str
    at_time: str
    timezone: str
    audience: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Concern:
    """One report. `status`: draft (she is still choosing), open, handled."""

    id: int
    volunteer_id: int | None
    match_id: int | None
    kind: str
    details: str
    status: str
    created_at: datetime
    handled_by: str | None = None
    handled_at: datetime | None = None
    note: str | None = None
    answers: tuple[ConcernAnswer, ...] = ()


@dataclass(frozen=True)
class ConcernAnswer:
    """What a coordinator answered the volunteer about her concern, through the bot."""

    at: datetime
    by: str
    text: str

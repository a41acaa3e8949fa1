"""Small protocols the core depends on; storage implements them, tests fake them in memory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from bot.domain.models import (
    AccountRef,
    AuditEntry,
    Broadcast,
    Circle,
    CircleMember,
    Concern,
    ConcernAnswer,
    ConsentRequest,
    CustodyRecord,
    Destination,
    Facility,
    Letter,
    Match,
    MatchStatus,
    NewOutbound,
    OutboundMessage,
    PenPal,
    Platform,
    QuizResult,
    ReturnedLetter,
    Schedule,
    SentPart,
    SignupDraft,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.workspace import (
    AddressRow,
    AuditFilter,
    Glance,
    MatchRow,
    Report,
    VolunteerRow,
    WaitingFilter,
    WaitingRow,
    WebSession,
)
from bot.matching.types import Pool
from bot.reminders.policy import ActiveMatch, Due, DueMatch, FiredReminder, ReminderPolicy


class VolunteerRepo(Protocol):
    """Volunteers and their platform accounts."""

    async def get(self, volunteer_id: int) -> Volunteer | None: ...

    async def by_account(self, account: AccountRef) -> Volunteer | None: ...

    async def add(self, volunteer: Volunteer) -> Volunteer:
        """Insert a volunteer (its id is ignored) with its accounts; return it with its id."""
        ...

    async def update(self, volunteer: Volunteer) -> None:
        """Replace the profile fields and status of an existing volunteer."""
        ...

    async def set_status(
        self, volunteer_id: int, status: VolunteerStatus, at: datetime
    ) -> None: ...

    async def count_by_status(self) -> dict[VolunteerStatus, int]: ...

    async def with_status(self, status: VolunteerStatus) -> list[Volunteer]: ...

    async def add_account(self, volunteer_id: int, account: AccountRef) -> None:
        """Join one more platform account to a volunteer."""

    async def remove_account(self, volunteer_id: int, account: AccountRef) -> None:
        """Separate one of her platform accounts from a volunteer (she keeps the others)."""

    async def find(self, text: str, limit: int) -> list[Volunteer]:
        """Volunteers whose name or handle contains `text` (case-insensitive), or with an
        account of exactly that platform user id."""

    async def add_link_code(
        self, code_hash: str, volunteer_id: int, platform: Platform, expires_at: datetime
    ) -> None: ...

    async def link_code_valid(self, code_hash: str, other_than: Platform, now: datetime) -> bool:
        """Whether the code could be used now (it is not used by asking)."""
        ...

    async def use_link_code(
        self, code_hash: str, other_than: Platform, now: datetime
    ) -> int | None:
        """Mark an unused, unexpired code shown on another platform as used; its volunteer."""


class SignupDraftRepo(Protocol):
    """Sign-ups in progress, one per platform account."""

    async def get(self, account: AccountRef) -> SignupDraft | None: ...

    async def save(self, draft: SignupDraft) -> None: ...

    async def delete(self, account: AccountRef) -> bool: ...


class OutboxRepo(Protocol):
    """Messages the bot sends on its own initiative, written before they are sent."""

    async def add(self, message: NewOutbound, due_at: datetime, now: datetime) -> int: ...

    async def drop_pending(self, platform: Platform, user_id: str) -> int:
        """Unsent private messages to one account are dropped (it is no longer hers)."""
        ...

    async def remember(
        self, platform: Platform, parts: Sequence[SentPart], about: int, at: datetime
    ) -> None:
        """Where a message that names volunteer `about` was delivered (for her erasure)."""
        ...

    async def delivered_about(self, volunteer_id: int) -> list[tuple[Platform, SentPart]]:
        """The delivered messages that name this volunteer, in the order they were sent."""
        ...

    async def claim(
        self,
        platforms: Sequence[Platform],
        now: datetime,
        lease_until: datetime,
        token: str,
        limit: int,
    ) -> list[OutboundMessage]:
        """Atomically lease up to `limit` due, pending messages for these platforms."""
        ...

    async def mark_sent(self, message_id: int, token: str, at: datetime) -> bool:
        """Record the send; False if the row was no longer there under this claim (deleted
        meanwhile, by an erasure)."""
        ...

    async def mark_retry(
        self, message_id: int, token: str, error: str, retry_at: datetime, give_up: bool
    ) -> None: ...

    async def release(self, message_id: int, token: str, retry_at: datetime) -> None:
        """Give a claimed row back unsent, due again at `retry_at` (not an attempt)."""
        ...

    async def release_all(self) -> list[tuple[Platform, str]]:
        """Give back every lease (a process that was killed holds them); the chats they were
        for, one entry per row."""
        ...

    async def sent_since(self, since: datetime) -> list[tuple[Platform, str, datetime]]:
        """The chats sent to at `since` or later, with the time of the last send to each."""
        ...

    async def expire(self, due_before: datetime, now: datetime) -> list[OutboundMessage]:
        """Mark pending rows due before `due_before` as missed and return them."""
        ...

    async def mark_unreachable(
        self, platform: Platform, target_id: str, reason: str, at: datetime
    ) -> bool:
        """Remember a permanent refusal; True only the first time for this person."""
        ...

    async def reachable(self, platform: Platform, target_id: str) -> None: ...

    async def pending_count(self) -> int: ...


class AuditRepo(Protocol):
    """The audit trail: who did what, when; never the data itself."""

    async def add(self, actor: str, action: str, subject: str, at: datetime) -> None: ...

    async def recent(self, limit: int, offset: int = 0) -> list[AuditEntry]: ...

    async def count(self) -> int: ...

    async def happened(self, subject: str, actions: Sequence[str]) -> bool:
        """Whether one of these actions was recorded about this subject."""
        ...


class FacilityRepo(Protocol):
    """Prisons and jails, with the mailing address their mail must use."""

    async def add(self, facility: Facility) -> Facility: ...

    async def update(self, facility: Facility) -> None: ...

    async def get(self, facility_id: int) -> Facility | None: ...

    async def by_name(self, name: str) -> Facility | None: ...

    async def all(self) -> list[Facility]: ...


class PenPalRepo(Protocol):
    """The incarcerated women and their custody history. Personal data: read with care."""

    async def add(self, penpal: PenPal) -> PenPal: ...

    async def update(self, penpal: PenPal) -> None: ...

    async def get(self, penpal_id: int) -> PenPal | None: ...

    async def by_custody(self, facility_id: int, id_number: str) -> PenPal | None:
        """The pen pal whose OPEN custody record is this facility and ID number."""
        ...

    async def all(self) -> list[PenPal]: ...

    async def find(self, text: str, limit: int) -> list[PenPal]:
        """Pen pals whose preferred or committed name, current ID number or current facility
        contains `text` (any case), by id; at most `limit`."""
        ...

    async def custody(self, penpal_id: int) -> CustodyRecord | None:
        """Her open custody record (where she is now)."""
        ...

    async def open_custody(self, record: CustodyRecord) -> CustodyRecord: ...

    async def close_custody(self, record_id: int, ended_on: date) -> None: ...

    async def history(self, penpal_id: int) -> list[CustodyRecord]: ...


class MatchRepo(Protocol):
    """Pairings, from proposal to end, and the matching runs that proposed them."""

    async def add_run(self, seed: int, actor: str, at: datetime) -> int: ...

    async def add(self, match: Match) -> Match: ...

    async def add_run_proposals(self, run_id: int, matches: Sequence[Match]) -> list[int]:
        """Store a new run's proposals at once (each already carries the run's id); their ids,
        in order."""
        ...

    async def get(self, match_id: int) -> Match | None: ...

    async def update(self, match: Match) -> None: ...

    async def active_counts(self) -> dict[int, int]:
        """Active and paused matches per volunteer (what counts against her capacity)."""
        ...

    async def past_pairs(self) -> set[tuple[int, int]]:
        """Every (volunteer, pen pal) pair that was ever confirmed."""
        ...

    async def pool(self, today: date) -> Pool:
        """What a matching run reads, in one go: active volunteers with their free places
        (capacity minus active and paused matches), waiting pen pals with their days waiting
        on `today`, and the past pairs."""
        ...

    async def for_volunteer(
        self, volunteer_id: int, statuses: Sequence[MatchStatus]
    ) -> list[Match]:
        """Her own matches in these states (a circle's are reached through the circle)."""
        ...

    async def of_circle(self, circle_id: int) -> list[Match]:
        """A circle's open matches (active or paused), oldest first."""
        ...

    async def open_proposals(self) -> list[Match]: ...

    async def skip_open_proposals(self) -> int:
        """Mark every open proposal skipped (a new run replaces them); how many there were."""
        ...

    async def for_penpal(self, penpal_id: int) -> list[Match]:
        """Every match or proposal this pen pal ever had."""
        ...

    async def active_volunteers_of(self, penpal_id: int) -> list[int]:
        """Volunteers with an active or paused match with this pen pal (for a circle's match,
        every member of the circle, in the order they write)."""
        ...


class LetterRepo(Protocol):
    """Letters, the reminders that fired, and snoozes."""

    async def add(self, letter: Letter) -> Letter: ...

    async def add_returned(self, returned: ReturnedLetter) -> ReturnedLetter:
        """A letter that came back, against the address it went to."""
        ...

    async def returned_for(self, penpal_id: int) -> list[ReturnedLetter]:
        """The letters to her that came back, newest first."""
        ...

    async def for_match(self, match_id: int) -> list[Letter]:
        """Oldest first."""
        ...

    async def get(self, letter_id: int) -> Letter | None: ...

    async def at_program(self) -> list[Letter]:
        """Letters waiting or held at the program (forwarding), the oldest first."""
        ...

    async def update(self, letter: Letter) -> None:
        """Its dates, state and note (the match's reminders are looked at again)."""
        ...

    async def active(
        self,
        today: date,
        match_id: int | None = None,
        checks_due: datetime | None = None,
        volunteer_id: int | None = None,
        match_ids: Sequence[int] | None = None,
    ) -> list[ActiveMatch]:
        """Active matches of volunteers who are active and not paused on `today` (only those
        whose next check has come, with `checks_due`; only hers, with `volunteer_id`; only
        these, with `match_ids`)."""
        ...

    async def due_search(self, policy: ReminderPolicy, now: datetime) -> list[DueMatch]:
        """For every active match (of an active volunteer, not paused) whose next check has
        come: what is due at `now` and when to look again, exactly as `assess` decides."""
        ...

    async def set_next_checks(self, checks: Sequence[tuple[int, datetime]]) -> None:
        """When the sweep should look at each match again (any change clears it)."""
        ...

    async def record(self, due: Sequence[tuple[int, Due]], now: datetime) -> list[FiredReminder]:
        """Record (match id, reminder) pairs as fired; returns only those new."""
        ...

    async def reminder(self, reminder_id: int) -> FiredReminder | None: ...

    async def snooze(self, match_id: int, cycle: str, until: datetime) -> int:
        """One more snooze of this cycle; returns how many there have been."""
        ...

    async def snoozes(self, match_id: int, cycle: str) -> int: ...

    async def count_since(self, day: date) -> int:
        """Letters dated on or after `day`."""

    async def reply_days(self, since: date) -> list[int]:
        """For each letter from a pen pal dated on or after `since` that was answered: the days
        from it to the volunteer's first letter after it."""


class AnnouncementRepo(Protocol):
    """Broadcast drafts, recurring announcements, and which timed runs are done."""

    async def add_broadcast(self, actor: str, audience: str, text: str, at: datetime) -> int: ...

    async def broadcast(self, broadcast_id: int) -> Broadcast | None: ...

    async def close_broadcast(self, broadcast_id: int, status: str, recipients: int) -> bool:
        """Draft -> sent or cancelled, once; False if it was not a draft any more."""
        ...

    async def add_schedule(self, schedule: Schedule) -> Schedule: ...

    async def schedules(self) -> list[Schedule]: ...

    async def stop_schedule(self, schedule_id: int) -> bool: ...

    async def mark_done(self, name: str, run: str, at: datetime) -> bool:
        """Record a timed run; True only the first time."""
        ...


class ConcernRepo(Protocol):
    """Concerns reported by volunteers: drafts, open, handled."""

    async def add_draft(self, volunteer_id: int, details: str, at: datetime) -> int: ...

    async def get(self, concern_id: int) -> Concern | None: ...

    async def set_kind(self, concern_id: int, kind: str) -> None: ...

    async def submit(self, concern_id: int, match_id: int | None) -> bool:
        """Draft -> open, once; False if it was not a draft."""

    async def open(self, limit: int) -> list[Concern]: ...

    async def count_open(self) -> int: ...

    async def handle(self, concern_id: int, actor: str, note: str, at: datetime) -> bool:
        """Open -> handled, once; False if it was not open."""

    async def handled(self, limit: int) -> list[Concern]:
        """The concerns handled last, newest first."""
        ...

    async def count_handled(self) -> int: ...

    async def add_answer(self, concern_id: int, answer: ConcernAnswer) -> bool:
        """Keep what a coordinator answered; False for a draft or an unknown concern."""
        ...


class PrivacyRepo(Protocol):
    """A volunteer's whole record, and its erasure."""

    async def export(self, volunteer_id: int) -> dict[str, Any]: ...

    async def erase(
        self,
        volunteer_id: int,
        accounts: Sequence[AccountRef],
        words: Sequence[str],
        at: datetime,
    ) -> None:
        """Erase her personal data; `words` (her name, handles, ids) leave queued messages."""


class LanguageRepo(Protocol):
    """The language each platform account reads the bot in."""

    async def get(self, account: AccountRef) -> tuple[str, bool] | None:
        """Her language and whether she chose it (False: from the platform's hint)."""
        ...

    async def set(self, account: AccountRef, language: str, chosen: bool, at: datetime) -> None: ...


class WorkspaceRepo(Protocol):
    """The coordinators' web workspace: login links and sessions (only hashes of their
    secrets), the cookie key, and the rows of its pages."""

    async def add_link(
        self, token_hash: str, platform: Platform, user_id: str, at: datetime, until: datetime
    ) -> None: ...

    async def use_link(self, token_hash: str, now: datetime) -> tuple[Platform, str] | None:
        """The link's coordinator, once; None for a used, expired or unknown link."""
        ...

    async def add_session(self, id_hash: str, session: WebSession, at: datetime) -> None: ...

    async def session(self, id_hash: str, now: datetime) -> WebSession | None: ...

    async def end_session(self, id_hash: str) -> None: ...

    async def end_sessions_of(self, platform: Platform, user_id: str) -> int: ...

    async def forget_expired(self, now: datetime) -> None: ...

    async def key(self) -> str: ...

    async def glance(self, month_start: date, stale: date) -> Glance: ...

    async def waiting(self, wanted: WaitingFilter, today: date) -> tuple[list[WaitingRow], int]: ...

    async def facility_names(self) -> list[str]: ...

    async def addresses(self, stale: date, page: int) -> tuple[list[AddressRow], int]: ...

    async def matches(self, page: int) -> tuple[list[MatchRow], int]: ...

    async def volunteers(self, page: int, reply_days: int) -> tuple[list[VolunteerRow], int]: ...

    async def audit(self, wanted: AuditFilter) -> tuple[list[AuditEntry], int]: ...

    async def letters_by_week(self, since: date) -> list[tuple[str, str, int]]: ...

    async def replies_since(self, since: date) -> list[tuple[date, date | None]]: ...

    async def waiting_spans(self) -> list[tuple[date, date | None, str]]: ...

    async def volunteers_by_month(self, since: date) -> list[tuple[str, int, int]]: ...

    async def first_letters(self, since: date) -> list[tuple[date, date | None]]: ...

    async def report(self, start: date, end: date, reply_days: int) -> Report: ...

    async def export_rows(self, kind: str) -> tuple[tuple[str, ...], list[dict[str, str]]]:
        """Volunteers, matches or letters as spreadsheet rows."""
        ...


class CircleRepo(Protocol):
    """Writing circles, their members in rotation order, and invitations."""

    async def add(self, name: str, lead_id: int, at: datetime) -> Circle: ...

    async def get(self, circle_id: int) -> Circle | None: ...

    async def named(self, name: str) -> Circle | None: ...

    async def of_volunteer(self, volunteer_id: int) -> Circle | None: ...

    async def set_status(self, circle_id: int, status: str) -> None: ...

    async def members(self, circle_id: int) -> list[CircleMember]: ...

    async def add_member(self, circle_id: int, volunteer_id: int, at: datetime) -> None: ...

    async def remove_member(self, circle_id: int, volunteer_id: int, at: datetime) -> None: ...

    async def invite(self, circle_id: int, volunteer_id: int, at: datetime) -> int: ...

    async def open_invite(self, invite_id: int) -> tuple[int, int] | None: ...

    async def answer_invite(self, invite_id: int, answer: str, at: datetime) -> None: ...

    async def set_lead(self, circle_id: int, volunteer_id: int) -> None: ...

    async def set_capacity(self, circle_id: int, capacity: int) -> None: ...

    async def set_place(self, circle_id: int, place: Destination | None) -> None: ...

    async def listed(self) -> list[Circle]:
        """Every circle not dissolved, by name."""
        ...


class QuizRepo(Protocol):
    """Volunteers' tries at the program's training quiz."""

    async def get(self, volunteer_id: int) -> QuizResult | None: ...

    async def save(self, result: QuizResult) -> None: ...


class ConsentRepo(Protocol):
    """Volunteers asked to accept a new version of the guidelines."""

    async def ask(self, volunteer_id: int, version: str, at: datetime) -> None: ...

    async def get(self, volunteer_id: int) -> ConsentRequest | None: ...

    async def all(self) -> list[ConsentRequest]: ...

    async def mark(self, volunteer_id: int, field: str, at: datetime) -> None:
        """`reminded` or `escalated` at this time."""
        ...

    async def done(self, volunteer_id: int) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over all repositories: `async with uow: ...; await uow.commit()`."""

    volunteers: VolunteerRepo
    drafts: SignupDraftRepo
    outbox: OutboxRepo
    audit: AuditRepo
    facilities: FacilityRepo
    penpals: PenPalRepo
    matches: MatchRepo
    letters: LetterRepo
    announcements: AnnouncementRepo
    privacy: PrivacyRepo
    concerns: ConcernRepo
    languages: LanguageRepo
    consents: ConsentRepo
    quizzes: QuizRepo
    workspace: WorkspaceRepo
    circles: CircleRepo

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""Makes a fresh unit of work; services call it once per operation."""

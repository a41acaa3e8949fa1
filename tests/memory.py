"""In-memory repositories and unit of work implementing the core's ports, for core tests."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import Self

from bot.domain.models import (
    AccountRef,
    AuditEntry,
    CustodyRecord,
    Facility,
    Match,
    MatchStatus,
    NewOutbound,
    OutboundMessage,
    OutboxStatus,
    PenPal,
    PenPalStatus,
    Platform,
    SentPart,
    SignupDraft,
    Volunteer,
    VolunteerStatus,
)
from bot.matching.types import Pool, slot_of, waiting_of


@dataclass
class MemoryState:
    """Everything the in-memory store holds; copied on each unit of work for rollback."""

    volunteers: dict[int, Volunteer] = field(default_factory=dict)
    drafts: dict[tuple[str, str], SignupDraft] = field(default_factory=dict)
    outbox: dict[int, OutboundMessage] = field(default_factory=dict)
    claims: dict[int, tuple[str, datetime]] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    facilities: dict[int, Facility] = field(default_factory=dict)
    penpals: dict[int, PenPal] = field(default_factory=dict)
    custody: dict[int, CustodyRecord] = field(default_factory=dict)
    matches: dict[int, Match] = field(default_factory=dict)
    runs: dict[int, tuple[int, str, datetime]] = field(default_factory=dict)
    unreachable: set[tuple[Platform, str]] = field(default_factory=set)
    delivered: list[tuple[Platform, SentPart, int]] = field(default_factory=list)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


class InMemoryVolunteerRepo:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self.uow = uow

    async def get(self, volunteer_id: int) -> Volunteer | None:
        return self.uow.state.volunteers.get(volunteer_id)

    async def by_account(self, account: AccountRef) -> Volunteer | None:
        for v in self.uow.state.volunteers.values():
            if any(
                (a.platform, a.user_id) == (account.platform, account.user_id) for a in v.accounts
            ):
                return v
        return None

    async def add(self, volunteer: Volunteer) -> Volunteer:
        for account in volunteer.accounts:
            if await self.by_account(account):
                raise ValueError("account already linked")
        saved = replace(
            volunteer, id=self.uow.state.new_id(),
            accounts=tuple(sorted(volunteer.accounts, key=lambda a: a.platform.value)),
        )  # fmt: skip
        self.uow.state.volunteers[saved.id] = saved
        return saved

    async def update(self, volunteer: Volunteer) -> None:
        old = self.uow.state.volunteers[volunteer.id]
        self.uow.state.volunteers[volunteer.id] = replace(volunteer, accounts=old.accounts)

    async def set_status(self, volunteer_id: int, status: VolunteerStatus, at: datetime) -> None:
        old = self.uow.state.volunteers[volunteer_id]
        self.uow.state.volunteers[volunteer_id] = replace(old, status=status, updated_at=at)

    async def with_status(self, status: VolunteerStatus) -> list[Volunteer]:
        return sorted((v for v in self.uow.state.volunteers.values() if v.status is status),
                      key=lambda v: v.id)  # fmt: skip

    async def count_by_status(self) -> dict[VolunteerStatus, int]:
        counts: dict[VolunteerStatus, int] = {}
        for v in self.uow.state.volunteers.values():
            counts[v.status] = counts.get(v.status, 0) + 1
        return counts


class InMemorySignupDraftRepo:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self.uow = uow

    async def get(self, account: AccountRef) -> SignupDraft | None:
        return self.uow.state.drafts.get((account.platform.value, account.user_id))

    async def save(self, draft: SignupDraft) -> None:
        key = (draft.account.platform.value, draft.account.user_id)
        old = self.uow.state.drafts.get(key)
        if old is not None:
            draft = replace(draft, started_at=old.started_at)
        self.uow.state.drafts[key] = copy.deepcopy(draft)

    async def delete(self, account: AccountRef) -> bool:
        return (
            self.uow.state.drafts.pop((account.platform.value, account.user_id), None) is not None
        )


class InMemoryOutboxRepo:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self.uow = uow

    async def add(self, message: NewOutbound, due_at: datetime, now: datetime) -> int:
        new_id = self.uow.state.new_id()
        self.uow.state.outbox[new_id] = OutboundMessage(
            id=new_id, platform=message.platform, target_kind=message.target_kind,
            target_id=message.target_id, message_key=message.message_key,
            params=copy.deepcopy(message.params), due_at=due_at, created_at=now,
            private=message.private, buttons=message.buttons, about=message.about,
            edit=message.edit,
        )  # fmt: skip
        return new_id

    async def remember(
        self, platform: Platform, parts: Sequence[SentPart], about: int, at: datetime
    ) -> None:
        self.uow.state.delivered += [(platform, part, about) for part in parts]

    async def delivered_about(self, volunteer_id: int) -> list[tuple[Platform, SentPart]]:
        return [(p, part) for p, part, about in self.uow.state.delivered if about == volunteer_id]

    async def claim(
        self, platforms: Sequence[Platform], now: datetime, lease_until: datetime, token: str,
        limit: int,
    ) -> list[OutboundMessage]:  # fmt: skip
        state = self.uow.state
        due = sorted(
            (m for m in state.outbox.values()
             if m.status is OutboxStatus.PENDING and m.due_at <= now and m.platform in platforms
             and (m.id not in state.claims or state.claims[m.id][1] <= now)),
            key=lambda m: (m.due_at, m.id),
        )[:limit]  # fmt: skip
        for m in due:
            state.claims[m.id] = (token, lease_until)
        return due

    async def mark_sent(self, message_id: int, token: str, at: datetime) -> bool:
        state = self.uow.state
        if state.claims.get(message_id, ("",))[0] != token or message_id not in state.outbox:
            return False
        del state.claims[message_id]
        m = state.outbox[message_id]
        state.outbox[message_id] = replace(
            m, status=OutboxStatus.SENT, sent_at=at, attempts=m.attempts + 1
        )
        return True

    async def mark_retry(
        self, message_id: int, token: str, error: str, retry_at: datetime, give_up: bool
    ) -> None:
        state = self.uow.state
        if state.claims.get(message_id, ("",))[0] != token:
            return
        del state.claims[message_id]
        m = state.outbox[message_id]
        state.outbox[message_id] = replace(
            m, attempts=m.attempts + 1, last_error=error[:200], due_at=retry_at,
            status=OutboxStatus.FAILED if give_up else OutboxStatus.PENDING,
        )  # fmt: skip

    async def release(self, message_id: int, token: str, retry_at: datetime) -> None:
        state = self.uow.state
        if state.claims.get(message_id, ("",))[0] != token:
            return
        del state.claims[message_id]
        state.outbox[message_id] = replace(state.outbox[message_id], due_at=retry_at)

    async def release_all(self) -> list[tuple[Platform, str]]:
        state = self.uow.state
        released = [i for i in state.claims if state.outbox[i].status is OutboxStatus.PENDING]
        for i in released:
            del state.claims[i]
        return [(state.outbox[i].platform, state.outbox[i].target_id) for i in released]

    async def sent_since(self, since: datetime) -> list[tuple[Platform, str, datetime]]:
        last: dict[tuple[Platform, str], datetime] = {}
        for m in self.uow.state.outbox.values():
            if m.sent_at is not None and m.sent_at >= since:
                key = (m.platform, m.target_id)
                last[key] = max(last.get(key, m.sent_at), m.sent_at)
        return [(p, t, at) for (p, t), at in last.items()]

    async def expire(self, due_before: datetime, now: datetime) -> list[OutboundMessage]:
        state = self.uow.state
        out = []
        for m in list(state.outbox.values()):
            leased = m.id in state.claims and state.claims[m.id][1] > now
            if m.status is OutboxStatus.PENDING and m.due_at < due_before and not leased:
                state.outbox[m.id] = replace(m, status=OutboxStatus.MISSED)
                out.append(state.outbox[m.id])
        return out

    async def mark_unreachable(
        self, platform: Platform, target_id: str, reason: str, at: datetime
    ) -> bool:
        key = (platform, target_id)
        if key in self.uow.state.unreachable:
            return False
        self.uow.state.unreachable.add(key)
        return True

    async def reachable(self, platform: Platform, target_id: str) -> None:
        self.uow.state.unreachable.discard((platform, target_id))

    async def pending_count(self) -> int:
        return sum(m.status is OutboxStatus.PENDING for m in self.uow.state.outbox.values())


class InMemoryAuditRepo:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self.uow = uow

    async def add(self, actor: str, action: str, subject: str, at: datetime) -> None:
        audit = self.uow.state.audit
        audit.append(AuditEntry(len(audit) + 1, actor, action, subject, at))

    async def recent(self, limit: int, offset: int = 0) -> list[AuditEntry]:
        return list(reversed(self.uow.state.audit))[offset : offset + limit]

    async def count(self) -> int:
        return len(self.uow.state.audit)


class InMemoryFacilityRepo:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self.uow = uow

    async def add(self, facility: Facility) -> Facility:
        if await self.by_name(facility.name):
            raise ValueError("UNIQUE constraint failed: facilities.name")
        saved = replace(facility, id=self.uow.state.new_id())
        self.uow.state.facilities[saved.id] = saved
        return saved

    async def update(self, facility: Facility) -> None:
        self.uow.state.facilities[facility.id] = facility

    async def get(self, facility_id: int) -> Facility | None:
        return self.uow.state.facilities.get(facility_id)

    async def by_name(self, name: str) -> Facility | None:
        return next((f for f in self.uow.state.facilities.values() if f.name == name), None)

    async def all(self) -> list[Facility]:
        return sorted(self.uow.state.facilities.values(), key=lambda f: f.name)


class InMemoryPenPalRepo:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self.uow = uow

    async def add(self, penpal: PenPal) -> PenPal:
        saved = replace(penpal, id=self.uow.state.new_id())
        self.uow.state.penpals[saved.id] = saved
        return saved

    async def update(self, penpal: PenPal) -> None:
        self.uow.state.penpals[penpal.id] = penpal

    async def get(self, penpal_id: int) -> PenPal | None:
        return self.uow.state.penpals.get(penpal_id)

    async def by_custody(self, facility_id: int, id_number: str) -> PenPal | None:
        for record in self.uow.state.custody.values():
            if (record.facility_id, record.id_number, record.ended_on) == (
                facility_id,
                id_number,
                None,
            ):
                return self.uow.state.penpals[record.penpal_id]
        return None

    async def all(self) -> list[PenPal]:
        return sorted(self.uow.state.penpals.values(), key=lambda p: p.id)

    async def custody(self, penpal_id: int) -> CustodyRecord | None:
        return next((r for r in self.uow.state.custody.values()
                     if r.penpal_id == penpal_id and r.ended_on is None), None)  # fmt: skip

    async def open_custody(self, record: CustodyRecord) -> CustodyRecord:
        if await self.by_custody(record.facility_id, record.id_number):
            raise ValueError("UNIQUE constraint failed: custody_open")
        saved = replace(record, id=self.uow.state.new_id())
        self.uow.state.custody[saved.id] = saved
        return saved

    async def close_custody(self, record_id: int, ended_on: date) -> None:
        record = self.uow.state.custody[record_id]
        self.uow.state.custody[record_id] = replace(record, ended_on=ended_on)

    async def history(self, penpal_id: int) -> list[CustodyRecord]:
        return sorted((r for r in self.uow.state.custody.values() if r.penpal_id == penpal_id),
                      key=lambda r: (r.started_on, r.id))  # fmt: skip


class InMemoryMatchRepo:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self.uow = uow

    async def add_run(self, seed: int, actor: str, at: datetime) -> int:
        run_id = self.uow.state.new_id()
        self.uow.state.runs[run_id] = (seed, actor, at)
        return run_id

    async def add(self, match: Match) -> Match:
        saved = replace(match, id=self.uow.state.new_id())
        self.uow.state.matches[saved.id] = saved
        return saved

    async def add_run_proposals(self, run_id: int, matches: Sequence[Match]) -> list[int]:
        return [(await self.add(m)).id for m in matches]

    async def get(self, match_id: int) -> Match | None:
        return self.uow.state.matches.get(match_id)

    async def update(self, match: Match) -> None:
        self.uow.state.matches[match.id] = match

    async def active_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for m in self.uow.state.matches.values():
            if m.status in (MatchStatus.ACTIVE, MatchStatus.PAUSED):
                counts[m.volunteer_id] = counts.get(m.volunteer_id, 0) + 1
        return counts

    async def past_pairs(self) -> set[tuple[int, int]]:
        return {
            (m.volunteer_id, m.penpal_id) for m in self.uow.state.matches.values() if m.confirmed_at
        }

    async def pool(self, today: date) -> Pool:
        taken = await self.active_counts()
        state = self.uow.state
        return Pool(
            [(slot_of(v, taken.get(v.id, 0)), v.display_name)
             for v in sorted(state.volunteers.values(), key=lambda v: v.id)
             if v.status is VolunteerStatus.ACTIVE],
            [(waiting_of(p, (today - p.waiting_since).days), p.preferred_name)
             for p in sorted(state.penpals.values(), key=lambda p: p.id)
             if p.status is PenPalStatus.WAITING],
            await self.past_pairs(),
        )  # fmt: skip

    async def for_volunteer(
        self, volunteer_id: int, statuses: Sequence[MatchStatus]
    ) -> list[Match]:
        return sorted((m for m in self.uow.state.matches.values()
                       if m.volunteer_id == volunteer_id and m.status in statuses), key=lambda m: m.id)  # fmt: skip

    async def for_penpal(self, penpal_id: int) -> list[Match]:
        return sorted((m for m in self.uow.state.matches.values() if m.penpal_id == penpal_id),
                      key=lambda m: m.id)  # fmt: skip

    async def active_volunteers_of(self, penpal_id: int) -> list[int]:
        return [m.volunteer_id for m in sorted(self.uow.state.matches.values(), key=lambda m: m.id)
                if m.penpal_id == penpal_id and m.status in (MatchStatus.ACTIVE, MatchStatus.PAUSED)]  # fmt: skip

    async def skip_open_proposals(self) -> int:
        found = await self.open_proposals()
        for m in found:
            await self.update(replace(m, status=MatchStatus.SKIPPED))
        return len(found)

    async def open_proposals(self) -> list[Match]:
        return sorted((m for m in self.uow.state.matches.values() if m.status is MatchStatus.PROPOSED),
                      key=lambda m: m.id)  # fmt: skip


class InMemoryUnitOfWork:
    """Works on a copy of the shared state; `commit` publishes the copy."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.state = copy.deepcopy(store.state)
        self.volunteers = InMemoryVolunteerRepo(self)
        self.drafts = InMemorySignupDraftRepo(self)
        self.outbox = InMemoryOutboxRepo(self)
        self.audit = InMemoryAuditRepo(self)
        self.facilities = InMemoryFacilityRepo(self)
        self.penpals = InMemoryPenPalRepo(self)
        self.matches = InMemoryMatchRepo(self)

    async def __aenter__(self) -> Self:
        self.state = copy.deepcopy(self.store.state)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.state = copy.deepcopy(self.store.state)

    async def commit(self) -> None:
        self.store.state = copy.deepcopy(self.state)


class MemoryStore:
    """A shared in-memory database; call it to get a unit of work."""

    def __init__(self) -> None:
        self.state = MemoryState()

    def __call__(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self)

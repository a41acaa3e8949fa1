"""SQLite repositories behind the core's ports, and the unit of work that groups them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

import aiosqlite

from bot.models import (
    AccountRef,
    AuditEntry,
    Button,
    CustodyRecord,
    Facility,
    Frequency,
    Match,
    MatchStatus,
    NewOutbound,
    OutboundMessage,
    OutboxStatus,
    PenPal,
    PenPalStatus,
    Platform,
    SignupDraft,
    TargetKind,
    Volunteer,
    VolunteerStatus,
)
from bot.ports import (
    AuditRepo,
    FacilityRepo,
    MatchRepo,
    OutboxRepo,
    PenPalRepo,
    SignupDraftRepo,
    VolunteerRepo,
)
from storage.database import Database


def ts(value: datetime) -> str:
    """Store an aware datetime as fixed-width ISO-8601 UTC text (sorts correctly as text)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_ts(value: str) -> datetime:
    """Read a timestamp written by `ts`."""
    return datetime.fromisoformat(value).astimezone(UTC)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def _one(conn: aiosqlite.Connection, sql: str, args: tuple[Any, ...]) -> aiosqlite.Row | None:
    """The first row of a query, in one trip to the database thread (a cursor takes three)."""
    rows = list(await conn.execute_fetchall(sql, args))
    return rows[0] if rows else None


class SqliteVolunteerRepo:
    """Volunteers and their platform accounts in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, volunteer_id: int) -> Volunteer | None:
        row = await self._one("SELECT * FROM volunteers WHERE id = ?", (volunteer_id,))
        return await self._volunteer(row) if row else None

    async def by_account(self, account: AccountRef) -> Volunteer | None:
        row = await self._one(
            "SELECT v.* FROM volunteers v JOIN platform_accounts a ON a.volunteer_id = v.id "
            "WHERE a.platform = ? AND a.user_id = ?",
            (account.platform.value, account.user_id),
        )
        return await self._volunteer(row) if row else None

    async def add(self, volunteer: Volunteer) -> Volunteer:
        row = await self._one(
            "INSERT INTO volunteers (display_name, pronouns, languages, interests, capacity, "
            "frequency, timezone, status, guidelines_version, consented_at, paused_until, "
            "kinds, woman_writer, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
            (*self._profile(volunteer), ts(volunteer.created_at), ts(volunteer.updated_at)),
        )
        assert row is not None
        volunteer_id = int(row[0])
        for account in volunteer.accounts:
            await self.conn.execute(
                "INSERT INTO platform_accounts (platform, user_id, volunteer_id, handle) "
                "VALUES (?,?,?,?)",
                (account.platform.value, account.user_id, volunteer_id, account.handle),
            )
        found = await self.get(volunteer_id)
        assert found is not None
        return found

    async def update(self, volunteer: Volunteer) -> None:
        await self.conn.execute(
            "UPDATE volunteers SET display_name=?, pronouns=?, languages=?, interests=?, "
            "capacity=?, frequency=?, timezone=?, status=?, guidelines_version=?, "
            "consented_at=?, paused_until=?, kinds=?, woman_writer=?, updated_at=? WHERE id=?",
            (*self._profile(volunteer), ts(volunteer.updated_at), volunteer.id),
        )

    async def set_status(self, volunteer_id: int, status: VolunteerStatus, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE volunteers SET status = ?, updated_at = ? WHERE id = ?",
            (status.value, ts(at), volunteer_id),
        )

    async def count_by_status(self) -> dict[VolunteerStatus, int]:
        rows = await self.conn.execute_fetchall(
            "SELECT status, COUNT(*) FROM volunteers GROUP BY status"
        )
        return {VolunteerStatus(r[0]): int(r[1]) for r in rows}

    async def with_status(self, status: VolunteerStatus) -> list[Volunteer]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM volunteers WHERE status = ? ORDER BY id", (status.value,)
        )
        accounts: dict[int, list[AccountRef]] = {}
        for a in await self.conn.execute_fetchall(  # one query for all, not one per volunteer
            "SELECT a.volunteer_id, a.platform, a.user_id, a.handle FROM platform_accounts a "
            "JOIN volunteers v ON v.id = a.volunteer_id WHERE v.status = ? ORDER BY a.platform",
            (status.value,),
        ):
            accounts.setdefault(int(a[0]), []).append(AccountRef(Platform(a[1]), a[2], a[3]))
        return [self._from_row(r, tuple(accounts.get(int(r["id"]), ()))) for r in rows]

    async def _one(self, sql: str, args: tuple[Any, ...]) -> aiosqlite.Row | None:
        return await _one(self.conn, sql, args)

    @staticmethod
    def _profile(v: Volunteer) -> tuple[Any, ...]:
        return (
            v.display_name,
            v.pronouns,
            json.dumps(list(v.languages)),
            json.dumps(list(v.interests), ensure_ascii=False),
            v.capacity,
            v.frequency.value,
            v.timezone,
            v.status.value,
            v.guidelines_version,
            ts(v.consented_at),
            v.paused_until.isoformat() if v.paused_until else None,
            json.dumps(list(v.kinds)),
            None if v.woman_writer is None else int(v.woman_writer),
        )

    async def _volunteer(self, row: aiosqlite.Row) -> Volunteer:
        accounts = tuple(
            AccountRef(Platform(a["platform"]), a["user_id"], a["handle"])
            for a in await self.conn.execute_fetchall(
                "SELECT platform, user_id, handle FROM platform_accounts WHERE volunteer_id = ? "
                "ORDER BY platform",
                (row["id"],),
            )
        )
        return self._from_row(row, accounts)

    @staticmethod
    def _from_row(row: aiosqlite.Row, accounts: tuple[AccountRef, ...]) -> Volunteer:
        return Volunteer(
            id=int(row["id"]),
            display_name=row["display_name"],
            pronouns=row["pronouns"],
            languages=tuple(json.loads(row["languages"])),
            interests=tuple(json.loads(row["interests"])),
            capacity=int(row["capacity"]),
            frequency=Frequency(row["frequency"]),
            timezone=row["timezone"],
            status=VolunteerStatus(row["status"]),
            guidelines_version=row["guidelines_version"],
            consented_at=from_ts(row["consented_at"]),
            created_at=from_ts(row["created_at"]),
            updated_at=from_ts(row["updated_at"]),
            accounts=accounts,
            paused_until=_date(row["paused_until"]),
            kinds=tuple(json.loads(row["kinds"])),
            woman_writer=None if row["woman_writer"] is None else bool(row["woman_writer"]),
        )


class SqliteSignupDraftRepo:
    """Sign-up drafts in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, account: AccountRef) -> SignupDraft | None:
        row = await _one(
            self.conn,
            "SELECT * FROM signup_drafts WHERE platform = ? AND user_id = ?",
            (account.platform.value, account.user_id),
        )
        if row is None:
            return None
        return SignupDraft(
            AccountRef(account.platform, account.user_id, row["handle"]),
            json.loads(row["answers"]),
            started_at=from_ts(row["started_at"]),
            updated_at=from_ts(row["updated_at"]),
        )

    async def save(self, draft: SignupDraft) -> None:
        await self.conn.execute(
            "INSERT INTO signup_drafts (platform, user_id, handle, answers, started_at, "
            "updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT (platform, user_id) DO UPDATE SET "
            "handle = excluded.handle, answers = excluded.answers, "
            "updated_at = excluded.updated_at",
            (
                draft.account.platform.value,
                draft.account.user_id,
                draft.account.handle,
                json.dumps(draft.answers, ensure_ascii=False),
                ts(draft.started_at),
                ts(draft.updated_at),
            ),
        )

    async def delete(self, account: AccountRef) -> bool:
        cur = await self.conn.execute(
            "DELETE FROM signup_drafts WHERE platform = ? AND user_id = ?",
            (account.platform.value, account.user_id),
        )
        return cur.rowcount > 0


class SqliteOutboxRepo:
    """The outbox table: rows written with the change that caused them, then leased and sent."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, message: NewOutbound, due_at: datetime, now: datetime) -> int:
        buttons = [[b.label_key, b.action, b.arg] for b in message.buttons]
        row = await _one(
            self.conn,
            "INSERT INTO outbox (platform, target_kind, target_id, message_key, params, buttons, "
            "private, due_at, created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
            (
                message.platform.value,
                message.target_kind.value,
                message.target_id,
                message.message_key,
                json.dumps(message.params, ensure_ascii=False),
                json.dumps(buttons),
                int(message.private),
                ts(due_at),
                ts(now),
            ),
        )
        assert row is not None
        return int(row[0])

    async def claim(
        self,
        platforms: Sequence[Platform],
        now: datetime,
        lease_until: datetime,
        token: str,
        limit: int,
    ) -> list[OutboundMessage]:
        if not platforms:
            return []
        marks = ",".join("?" for _ in platforms)
        rows = await self.conn.execute_fetchall(
            "UPDATE outbox SET claim_token = ?, lease_until = ? WHERE id IN ("
            "  SELECT id FROM outbox WHERE status = 'pending' AND due_at <= ?"
            f"  AND platform IN ({marks}) AND (lease_until IS NULL OR lease_until <= ?)"
            "  ORDER BY due_at, id LIMIT ?) RETURNING *",
            (token, ts(lease_until), ts(now), *[p.value for p in platforms], ts(now), limit),
        )
        return sorted((self._row(r) for r in rows), key=lambda m: (m.due_at, m.id))

    async def mark_sent(self, message_id: int, token: str, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
            "claim_token = NULL, lease_until = NULL WHERE id = ? AND claim_token = ?",
            (ts(at), message_id, token),
        )

    async def mark_retry(
        self, message_id: int, token: str, error: str, retry_at: datetime, give_up: bool
    ) -> None:
        await self.conn.execute(
            "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, due_at = ?, "
            "claim_token = NULL, lease_until = NULL WHERE id = ? AND claim_token = ?",
            (
                OutboxStatus.FAILED.value if give_up else OutboxStatus.PENDING.value,
                error[:200],
                ts(retry_at),
                message_id,
                token,
            ),
        )

    async def pending_count(self) -> int:
        row = await _one(self.conn, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'", ())
        return int(row[0]) if row else 0

    @staticmethod
    def _row(r: aiosqlite.Row) -> OutboundMessage:
        return OutboundMessage(
            id=int(r["id"]),
            platform=Platform(r["platform"]),
            target_kind=TargetKind(r["target_kind"]),
            target_id=r["target_id"],
            message_key=r["message_key"],
            params=json.loads(r["params"]),
            due_at=from_ts(r["due_at"]),
            created_at=from_ts(r["created_at"]),
            private=bool(r["private"]),
            buttons=tuple(Button(*b) for b in json.loads(r["buttons"])),
            status=OutboxStatus(r["status"]),
            attempts=int(r["attempts"]),
            sent_at=from_ts(r["sent_at"]) if r["sent_at"] else None,
            last_error=r["last_error"],
        )


class SqliteAuditRepo:
    """The audit trail in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, actor: str, action: str, subject: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO audit_log (actor, action, subject, at) VALUES (?,?,?,?)",
            (actor, action, subject, ts(at)),
        )

    async def recent(self, limit: int) -> list[AuditEntry]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [
            AuditEntry(int(r["id"]), r["actor"], r["action"], r["subject"], from_ts(r["at"]))
            for r in rows
        ]


class SqliteFacilityRepo:
    """Facilities in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, facility: Facility) -> Facility:
        row = await _one(
            self.conn,
            "INSERT INTO facilities (name, address_lines, jurisdiction, mail_rules, "
            "emessaging_service) VALUES (?,?,?,?,?) RETURNING id",
            self._values(facility),
        )
        assert row is not None
        return replace(facility, id=int(row[0]))

    async def update(self, facility: Facility) -> None:
        await self.conn.execute(
            "UPDATE facilities SET name=?, address_lines=?, jurisdiction=?, mail_rules=?, "
            "emessaging_service=? WHERE id=?",
            (*self._values(facility), facility.id),
        )

    async def get(self, facility_id: int) -> Facility | None:
        row = await _one(self.conn, "SELECT * FROM facilities WHERE id = ?", (facility_id,))
        return self._facility(row) if row else None

    async def by_name(self, name: str) -> Facility | None:
        row = await _one(self.conn, "SELECT * FROM facilities WHERE name = ?", (name,))
        return self._facility(row) if row else None

    async def all(self) -> list[Facility]:
        rows = await self.conn.execute_fetchall("SELECT * FROM facilities ORDER BY name")
        return [self._facility(r) for r in rows]

    @staticmethod
    def _values(f: Facility) -> tuple[Any, ...]:
        return (f.name, json.dumps(list(f.address_lines), ensure_ascii=False), f.jurisdiction,
                f.mail_rules, f.emessaging_service)  # fmt: skip

    @staticmethod
    def _facility(r: aiosqlite.Row) -> Facility:
        return Facility(int(r["id"]), r["name"], tuple(json.loads(r["address_lines"])),
                        r["jurisdiction"], r["mail_rules"], r["emessaging_service"])  # fmt: skip


class SqlitePenPalRepo:
    """Pen pals and their custody records in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, penpal: PenPal) -> PenPal:
        row = await _one(
            self.conn,
            "INSERT INTO penpals (committed_name, preferred_name, pronouns, languages, interests, "
            "correspondence_kinds, description, writer_preference, release_date, waiting_since, "
            "status, address_verified_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
            self._values(penpal),
        )
        assert row is not None
        return replace(penpal, id=int(row[0]))

    async def update(self, penpal: PenPal) -> None:
        await self.conn.execute(
            "UPDATE penpals SET committed_name=?, preferred_name=?, pronouns=?, languages=?, "
            "interests=?, correspondence_kinds=?, description=?, writer_preference=?, "
            "release_date=?, waiting_since=?, status=?, address_verified_at=? WHERE id=?",
            (*self._values(penpal), penpal.id),
        )

    async def get(self, penpal_id: int) -> PenPal | None:
        row = await _one(self.conn, "SELECT * FROM penpals WHERE id = ?", (penpal_id,))
        return self._penpal(row) if row else None

    async def by_custody(self, facility_id: int, id_number: str) -> PenPal | None:
        row = await _one(
            self.conn,
            "SELECT p.* FROM penpals p JOIN custody_records c ON c.penpal_id = p.id "
            "WHERE c.facility_id = ? AND c.id_number = ? AND c.ended_on IS NULL",
            (facility_id, id_number),
        )
        return self._penpal(row) if row else None

    async def all(self) -> list[PenPal]:
        rows = await self.conn.execute_fetchall("SELECT * FROM penpals ORDER BY id")
        return [self._penpal(r) for r in rows]

    async def custody(self, penpal_id: int) -> CustodyRecord | None:
        row = await _one(
            self.conn,
            "SELECT * FROM custody_records WHERE penpal_id = ? AND ended_on IS NULL",
            (penpal_id,),
        )
        return self._custody(row) if row else None

    async def open_custody(self, record: CustodyRecord) -> CustodyRecord:
        row = await _one(
            self.conn,
            "INSERT INTO custody_records (penpal_id, facility_id, id_number, started_on) "
            "VALUES (?,?,?,?) RETURNING id",
            (record.penpal_id, record.facility_id, record.id_number, record.started_on.isoformat()),
        )
        assert row is not None
        return replace(record, id=int(row[0]))

    async def close_custody(self, record_id: int, ended_on: date) -> None:
        await self.conn.execute(
            "UPDATE custody_records SET ended_on = ? WHERE id = ?",
            (ended_on.isoformat(), record_id),
        )

    async def history(self, penpal_id: int) -> list[CustodyRecord]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM custody_records WHERE penpal_id = ? ORDER BY started_on, id",
            (penpal_id,),
        )
        return [self._custody(r) for r in rows]

    @staticmethod
    def _values(p: PenPal) -> tuple[Any, ...]:
        return (
            p.committed_name, p.preferred_name, p.pronouns,
            json.dumps(list(p.languages)), json.dumps(list(p.interests), ensure_ascii=False),
            json.dumps(list(p.correspondence_kinds)), p.description, p.writer_preference,
            p.release_date.isoformat() if p.release_date else None, p.waiting_since.isoformat(),
            p.status.value, p.address_verified_at.isoformat() if p.address_verified_at else None,
        )  # fmt: skip

    @staticmethod
    def _penpal(r: aiosqlite.Row) -> PenPal:
        return PenPal(
            id=int(r["id"]),
            committed_name=r["committed_name"],
            preferred_name=r["preferred_name"],
            pronouns=r["pronouns"],
            languages=tuple(json.loads(r["languages"])),
            interests=tuple(json.loads(r["interests"])),
            correspondence_kinds=tuple(json.loads(r["correspondence_kinds"])),
            description=r["description"],
            waiting_since=date.fromisoformat(r["waiting_since"]),
            status=PenPalStatus(r["status"]),
            release_date=_date(r["release_date"]),
            address_verified_at=_date(r["address_verified_at"]),
            writer_preference=r["writer_preference"],
        )

    @staticmethod
    def _custody(r: aiosqlite.Row) -> CustodyRecord:
        return CustodyRecord(int(r["id"]), int(r["penpal_id"]), int(r["facility_id"]),
                             r["id_number"], date.fromisoformat(r["started_on"]),
                             _date(r["ended_on"]))  # fmt: skip


class SqliteMatchRepo:
    """Matches and matching runs in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add_run(self, seed: int, actor: str, at: datetime) -> int:
        row = await _one(
            self.conn,
            "INSERT INTO matching_runs (seed, actor, created_at) VALUES (?,?,?) RETURNING id",
            (seed, actor, ts(at)),
        )
        assert row is not None
        return int(row[0])

    async def add(self, match: Match) -> Match:
        row = await _one(
            self.conn,
            "INSERT INTO matches (volunteer_id, penpal_id, status, proposed_at, confirmed_at, "
            "ended_at, end_reason, run_id, score) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
            self._values(match),
        )
        assert row is not None
        return replace(match, id=int(row[0]))

    async def add_run_proposals(self, run_id: int, matches: Sequence[Match]) -> list[Match]:
        await self.conn.executemany(
            "INSERT INTO matches (volunteer_id, penpal_id, status, proposed_at, confirmed_at, "
            "ended_at, end_reason, run_id, score) VALUES (?,?,?,?,?,?,?,?,?)",
            [self._values(replace(m, run_id=run_id)) for m in matches],
        )
        rows = await self.conn.execute_fetchall(
            "SELECT id FROM matches WHERE run_id = ? ORDER BY id", (run_id,)
        )
        return [replace(m, id=int(r[0]), run_id=run_id) for m, r in zip(matches, rows, strict=True)]

    async def get(self, match_id: int) -> Match | None:
        row = await _one(self.conn, "SELECT * FROM matches WHERE id = ?", (match_id,))
        return self._match(row) if row else None

    async def update(self, match: Match) -> None:
        await self.conn.execute(
            "UPDATE matches SET volunteer_id=?, penpal_id=?, status=?, proposed_at=?, "
            "confirmed_at=?, ended_at=?, end_reason=?, run_id=?, score=? WHERE id=?",
            (*self._values(match), match.id),
        )

    async def active_counts(self) -> dict[int, int]:
        rows = await self.conn.execute_fetchall(
            "SELECT volunteer_id, COUNT(*) FROM matches WHERE status IN ('active', 'paused') "
            "AND volunteer_id IS NOT NULL GROUP BY volunteer_id"
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def past_pairs(self) -> set[tuple[int, int]]:
        rows = await self.conn.execute_fetchall(
            "SELECT volunteer_id, penpal_id FROM matches WHERE confirmed_at IS NOT NULL "
            "AND volunteer_id IS NOT NULL"
        )
        return {(int(r[0]), int(r[1])) for r in rows}

    async def for_volunteer(
        self, volunteer_id: int, statuses: Sequence[MatchStatus]
    ) -> list[Match]:
        marks = ",".join("?" for _ in statuses) or "''"
        rows = await self.conn.execute_fetchall(
            f"SELECT * FROM matches WHERE volunteer_id = ? AND status IN ({marks}) ORDER BY id",
            (volunteer_id, *[s.value for s in statuses]),
        )
        return [self._match(r) for r in rows]

    async def open_proposals(self) -> list[Match]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM matches WHERE status = 'proposed' ORDER BY id"
        )
        return [self._match(r) for r in rows]

    async def for_penpal(self, penpal_id: int) -> list[Match]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM matches WHERE penpal_id = ? ORDER BY id", (penpal_id,)
        )
        return [self._match(r) for r in rows]

    async def active_volunteers_of(self, penpal_id: int) -> list[int]:
        rows = await self.conn.execute_fetchall(
            "SELECT volunteer_id FROM matches WHERE penpal_id = ? "
            "AND status IN ('active', 'paused') ORDER BY id",
            (penpal_id,),
        )
        return [int(r[0]) for r in rows]

    @staticmethod
    def _values(m: Match) -> tuple[Any, ...]:
        return (
            m.volunteer_id, m.penpal_id, m.status.value, ts(m.proposed_at),
            ts(m.confirmed_at) if m.confirmed_at else None, ts(m.ended_at) if m.ended_at else None,
            m.end_reason, m.run_id, m.score,
        )  # fmt: skip

    @staticmethod
    def _match(r: aiosqlite.Row) -> Match:
        return Match(
            id=int(r["id"]),
            volunteer_id=int(r["volunteer_id"]),
            penpal_id=int(r["penpal_id"]),
            status=MatchStatus(r["status"]),
            proposed_at=from_ts(r["proposed_at"]),
            confirmed_at=from_ts(r["confirmed_at"]) if r["confirmed_at"] else None,
            ended_at=from_ts(r["ended_at"]) if r["ended_at"] else None,
            end_reason=r["end_reason"],
            run_id=r["run_id"],
            score=r["score"],
        )


class SqliteUnitOfWork:
    """One `BEGIN IMMEDIATE` transaction over every repository; rolled back unless committed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        conn = db.conn
        self.volunteers: VolunteerRepo = SqliteVolunteerRepo(conn)
        self.drafts: SignupDraftRepo = SqliteSignupDraftRepo(conn)
        self.outbox: OutboxRepo = SqliteOutboxRepo(conn)
        self.audit: AuditRepo = SqliteAuditRepo(conn)
        self.facilities: FacilityRepo = SqliteFacilityRepo(conn)
        self.penpals: PenPalRepo = SqlitePenPalRepo(conn)
        self.matches: MatchRepo = SqliteMatchRepo(conn)
        self._open = False

    async def __aenter__(self) -> Self:
        await self.db.lock.acquire()
        try:
            await self.db.conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.db.lock.release()
            raise
        self._open = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._open:
                await self.db.conn.execute("ROLLBACK")
        finally:
            self._open = False
            self.db.lock.release()

    async def commit(self) -> None:
        await self.db.conn.execute("COMMIT")
        self._open = False

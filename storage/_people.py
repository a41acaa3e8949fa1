"""Volunteers, their platform accounts and sign-up drafts in SQLite."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.models import (
    AccountRef,
    Frequency,
    Platform,
    SignupDraft,
    Volunteer,
    VolunteerStatus,
)
from storage._common import day_or_none, from_ts, like_pattern, one_row, ts


class SqliteVolunteerRepo:
    """Volunteers and their platform accounts in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, volunteer_id: int) -> Volunteer | None:
        row = await self.one_row("SELECT * FROM volunteers WHERE id = ?", (volunteer_id,))
        return await self._volunteer(row) if row else None

    async def by_account(self, account: AccountRef) -> Volunteer | None:
        row = await self.one_row(
            "SELECT v.* FROM volunteers v JOIN platform_accounts a ON a.volunteer_id = v.id "
            "WHERE a.platform = ? AND a.user_id = ?",
            (account.platform.value, account.user_id),
        )
        return await self._volunteer(row) if row else None

    async def add(self, volunteer: Volunteer) -> Volunteer:
        row = await self.one_row(
            "INSERT INTO volunteers (display_name, pronouns, languages, interests, capacity, "
            "frequency, timezone, status, guidelines_version, consented_at, paused_until, "
            "kinds, woman_writer, left_reason, prefers, pen_name, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
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
            "consented_at=?, paused_until=?, kinds=?, woman_writer=?, left_reason=?, prefers=?, "
            "pen_name=?, updated_at=? WHERE id=?",
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

    async def add_account(self, volunteer_id: int, account: AccountRef) -> None:
        await self.conn.execute(
            "INSERT INTO platform_accounts (platform, user_id, volunteer_id, handle) "
            "VALUES (?,?,?,?)",
            (account.platform.value, account.user_id, volunteer_id, account.handle),
        )

    async def remove_account(self, volunteer_id: int, account: AccountRef) -> None:
        await self.conn.execute(
            "DELETE FROM platform_accounts WHERE volunteer_id = ? AND platform = ? AND user_id = ?",
            (volunteer_id, account.platform.value, account.user_id),
        )

    async def find(self, text: str, limit: int) -> list[Volunteer]:
        pattern = like_pattern(text)
        rows = await self.conn.execute_fetchall(
            "SELECT DISTINCT v.* FROM volunteers v LEFT JOIN platform_accounts a "
            "ON a.volunteer_id = v.id WHERE v.display_name LIKE ?1 ESCAPE '\\' "
            "OR a.handle LIKE ?1 ESCAPE '\\' OR a.user_id = ?2 ORDER BY v.id LIMIT ?3",
            (pattern, text, limit),
        )
        return [await self._volunteer(r) for r in rows]

    async def add_link_code(
        self, code_hash: str, volunteer_id: int, platform: Platform, expires_at: datetime
    ) -> None:
        await self.conn.execute(
            "INSERT INTO link_codes (code_hash, volunteer_id, platform, expires_at) "
            "VALUES (?,?,?,?)",
            (code_hash, volunteer_id, platform.value, ts(expires_at)),
        )

    async def link_code_valid(self, code_hash: str, other_than: Platform, now: datetime) -> bool:
        row = await self.one_row(
            "SELECT 1 FROM link_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? "
            "AND platform <> ?",
            (code_hash, ts(now), other_than.value),
        )
        return row is not None

    async def use_link_code(
        self, code_hash: str, other_than: Platform, now: datetime
    ) -> int | None:
        row = await self.one_row(
            "UPDATE link_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL "
            "AND expires_at > ? AND platform <> ? RETURNING volunteer_id",
            (ts(now), code_hash, ts(now), other_than.value),
        )
        return int(row[0]) if row else None

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

    async def one_row(self, sql: str, args: tuple[Any, ...]) -> aiosqlite.Row | None:
        return await one_row(self.conn, sql, args)

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
            v.left_reason,
            v.prefers.value if v.prefers else None,
            v.pen_name,
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
            paused_until=day_or_none(row["paused_until"]),
            kinds=tuple(json.loads(row["kinds"])),
            woman_writer=None if row["woman_writer"] is None else bool(row["woman_writer"]),
            left_reason=row["left_reason"],
            prefers=Platform(row["prefers"]) if row["prefers"] else None,
            pen_name=row["pen_name"],
        )


class SqliteSignupDraftRepo:
    """Sign-up drafts in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, account: AccountRef) -> SignupDraft | None:
        row = await one_row(
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

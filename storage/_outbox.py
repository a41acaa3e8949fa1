"""The outbox and the audit trail in SQLite."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import aiosqlite

from bot.domain.models import (
    AuditEntry,
    Button,
    NewOutbound,
    OutboundMessage,
    OutboxStatus,
    Platform,
    SentPart,
    TargetKind,
)
from storage._common import from_ts, one_row, ts
from storage._languages import SqliteLanguageRepo


class SqliteOutboxRepo:
    """The outbox table: rows written with the change that caused them, then leased and sent."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, message: NewOutbound, due_at: datetime, now: datetime) -> int:
        buttons = [[b.label_key, b.action, b.arg] for b in message.buttons]
        row = await one_row(
            self.conn,
            "INSERT INTO outbox (platform, target_kind, target_id, message_key, params, buttons, "
            "private, due_at, created_at, about_volunteer, edit_parts) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
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
                message.about,
                json.dumps([[p.chat_id, p.message_id] for p in message.edit]),
            ),
        )
        assert row is not None
        return int(row[0])

    async def drop_pending(self, platform: Platform, user_id: str) -> int:
        cursor = await self.conn.execute(
            "DELETE FROM outbox WHERE status = 'pending' AND claim_token IS NULL "
            "AND target_kind = 'user' AND platform = ? AND target_id = ?",
            (platform.value, user_id),
        )
        return cursor.rowcount

    async def remember(
        self, platform: Platform, parts: Sequence[SentPart], about: int, at: datetime
    ) -> None:
        """Where a message that names volunteer `about` was delivered."""
        await self.conn.executemany(
            "INSERT INTO delivered (platform, chat_id, message_id, about_volunteer, at) "
            "VALUES (?,?,?,?,?)",
            [(platform.value, p.chat_id, p.message_id, about, ts(at)) for p in parts],
        )

    async def delivered_about(self, volunteer_id: int) -> list[tuple[Platform, SentPart]]:
        rows = await self.conn.execute_fetchall(
            "SELECT platform, chat_id, message_id FROM delivered WHERE about_volunteer = ? "
            "ORDER BY id",
            (volunteer_id,),
        )
        return [(Platform(r[0]), SentPart(r[1], r[2])) for r in rows]

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
        claimed = [self._row(r) for r in rows]
        languages = await SqliteLanguageRepo(self.conn).of_targets(
            (m.platform, m.target_id) for m in claimed if m.target_kind is TargetKind.USER
        )
        spoken = [
            replace(m, language=languages.get((m.platform.value, m.target_id)))
            if m.target_kind is TargetKind.USER
            else m
            for m in claimed
        ]
        return sorted(spoken, key=lambda m: (m.due_at, m.id))

    async def mark_sent(self, message_id: int, token: str, at: datetime) -> bool:
        rows = await self.conn.execute_fetchall(
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
            "claim_token = NULL, lease_until = NULL WHERE id = ? AND claim_token = ? "
            "RETURNING id",
            (ts(at), message_id, token),
        )
        return bool(list(rows))

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

    async def release(self, message_id: int, token: str, retry_at: datetime) -> None:
        """Give a claimed row back unsent, due again at `retry_at` (not counted as an attempt:
        the platform asked us to wait)."""
        await self.conn.execute(
            "UPDATE outbox SET due_at = ?, claim_token = NULL, lease_until = NULL "
            "WHERE id = ? AND claim_token = ?",
            (ts(retry_at), message_id, token),
        )

    async def release_all(self) -> list[tuple[Platform, str]]:
        """Give back the leases of a process that was killed while it sent (only the one
        running bot sends, so any lease left when it starts belongs to a dead process)."""
        rows = await self.conn.execute_fetchall(
            "UPDATE outbox SET claim_token = NULL, lease_until = NULL "
            "WHERE status = 'pending' AND claim_token IS NOT NULL RETURNING platform, target_id"
        )
        return [(Platform(r[0]), r[1]) for r in rows]

    async def sent_since(self, since: datetime) -> list[tuple[Platform, str, datetime]]:
        rows = await self.conn.execute_fetchall(
            "SELECT platform, target_id, MAX(sent_at) FROM outbox "
            "WHERE sent_at >= ? GROUP BY platform, target_id",
            (ts(since),),
        )
        return [(Platform(r[0]), r[1], from_ts(r[2])) for r in rows]

    async def expire(self, due_before: datetime, now: datetime) -> list[OutboundMessage]:
        """Mark pending rows due before `due_before` (and not being sent) as missed."""
        rows = await self.conn.execute_fetchall(
            "UPDATE outbox SET status = 'missed', last_error = 'missed: too late to send' "
            "WHERE status = 'pending' AND due_at < ? AND (lease_until IS NULL OR lease_until <= ?) "
            "RETURNING *",
            (ts(due_before), ts(now)),
        )
        return [self._row(r) for r in rows]

    async def mark_unreachable(
        self, platform: Platform, target_id: str, reason: str, at: datetime
    ) -> bool:
        """Remember that the platform refused this person for good; True the first time."""
        rows = await self.conn.execute_fetchall(
            "INSERT OR IGNORE INTO unreachable (platform, target_id, reason, since) "
            "VALUES (?,?,?,?) RETURNING platform",
            (platform.value, target_id, reason[:200], ts(at)),
        )
        return bool(list(rows))

    async def reachable(self, platform: Platform, target_id: str) -> None:
        """A message got through: a later refusal is news again."""
        await self.conn.execute(
            "DELETE FROM unreachable WHERE platform = ? AND target_id = ?",
            (platform.value, target_id),
        )

    async def pending_count(self) -> int:
        row = await one_row(self.conn, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'", ())
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
            about=r["about_volunteer"],
            edit=tuple(SentPart(c, m) for c, m in json.loads(r["edit_parts"])),
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

    async def recent(self, limit: int, offset: int = 0) -> list[AuditEntry]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
        )
        return [
            AuditEntry(int(r["id"]), r["actor"], r["action"], r["subject"], from_ts(r["at"]))
            for r in rows
        ]

    async def count(self) -> int:
        row = await one_row(self.conn, "SELECT COUNT(*) FROM audit_log", ())
        return int(row[0]) if row else 0

    async def happened(self, subject: str, actions: Sequence[str]) -> bool:
        marks = ",".join("?" for _ in actions)
        row = await one_row(
            self.conn,
            f"SELECT 1 FROM audit_log WHERE subject = ? AND action IN ({marks}) LIMIT 1",
            (subject, *actions),
        )
        return row is not None

"""Broadcasts, recurring announcements and the record of timed jobs done, in SQLite."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.models import Broadcast, Schedule
from storage._common import from_ts, one_row, ts


class SqliteAnnouncementRepo:
    """Broadcast drafts, schedules, and which timed runs are done."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add_broadcast(self, actor: str, audience: str, text: str, at: datetime) -> int:
        row = await one_row(
            self.conn,
            "INSERT INTO broadcasts (actor, audience, text, created_at) VALUES (?,?,?,?) "
            "RETURNING id",
            (actor, audience, text, ts(at)),
        )
        assert row is not None
        return int(row[0])

    async def broadcast(self, broadcast_id: int) -> Broadcast | None:
        row = await one_row(self.conn, "SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        if row is None:
            return None
        return Broadcast(
            int(row["id"]),
            row["actor"],
            row["audience"],
            row["text"],
            row["status"],
            int(row["recipients"]),
            from_ts(row["created_at"]),
        )

    async def close_broadcast(self, broadcast_id: int, status: str, recipients: int) -> bool:
        """Draft -> sent or cancelled, once; False if it was not a draft any more."""
        rows = await self.conn.execute_fetchall(
            "UPDATE broadcasts SET status = ?, recipients = ? WHERE id = ? AND status = 'draft' "
            "RETURNING id",
            (status, recipients, broadcast_id),
        )
        return bool(list(rows))

    async def add_schedule(self, schedule: Schedule) -> Schedule:
        row = await one_row(
            self.conn,
            "INSERT INTO schedules (actor, day_of_week, at_time, timezone, audience, text, "
            "created_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
            (
                schedule.actor,
                schedule.day_of_week,
                schedule.at_time,
                schedule.timezone,
                schedule.audience,
                schedule.text,
                ts(schedule.created_at),
            ),
        )
        assert row is not None
        return Schedule(int(row[0]), *_fields(schedule))

    async def schedules(self) -> list[Schedule]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM schedules WHERE active = 1 ORDER BY id"
        )
        return [
            Schedule(
                int(r["id"]),
                r["actor"],
                r["day_of_week"],
                r["at_time"],
                r["timezone"],
                r["audience"],
                r["text"],
                from_ts(r["created_at"]),
            )
            for r in rows
        ]

    async def stop_schedule(self, schedule_id: int) -> bool:
        rows = await self.conn.execute_fetchall(
            "UPDATE schedules SET active = 0 WHERE id = ? AND active = 1 RETURNING id",
            (schedule_id,),
        )
        return bool(list(rows))

    async def mark_done(self, name: str, run: str, at: datetime) -> bool:
        """Record a timed run; True only the first time (a restart never repeats it)."""
        rows = await self.conn.execute_fetchall(
            "INSERT OR IGNORE INTO jobs_done (name, run, done_at) VALUES (?,?,?) RETURNING name",
            (name, run, ts(at)),
        )
        return bool(list(rows))


def _fields(s: Schedule) -> tuple[str, str, str, str, str, str, datetime]:
    return (s.actor, s.day_of_week, s.at_time, s.timezone, s.audience, s.text, s.created_at)

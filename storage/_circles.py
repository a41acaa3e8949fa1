"""Writing circles in SQLite: circles, their members in rotation order, and invitations."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.models import Circle, CircleMember, Destination, Platform, TargetKind
from storage._common import from_ts, one_row, ts


class SqliteCircleRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, name: str, lead_id: int, at: datetime) -> Circle:
        row = await one_row(
            self.conn,
            "INSERT INTO circles (name, lead_id, status, capacity, created_at) "
            "VALUES (?, ?, 'pending', 1, ?) RETURNING id",
            (name, lead_id, ts(at)),
        )
        assert row is not None
        await self.add_member(int(row[0]), lead_id, at)
        return Circle(int(row[0]), name, lead_id, "pending", 1, at)

    async def get(self, circle_id: int) -> Circle | None:
        row = await one_row(self.conn, "SELECT * FROM circles WHERE id = ?", (circle_id,))
        return _circle(row) if row else None

    async def named(self, name: str) -> Circle | None:
        row = await one_row(
            self.conn,
            "SELECT * FROM circles WHERE name = ? COLLATE NOCASE AND status <> 'dissolved'",
            (name,),
        )
        return _circle(row) if row else None

    async def of_volunteer(self, volunteer_id: int) -> Circle | None:
        """The circle she belongs to now, if any."""
        row = await one_row(
            self.conn,
            "SELECT c.* FROM circles c JOIN circle_members m ON m.circle_id = c.id "
            "WHERE m.volunteer_id = ? AND m.left_at IS NULL AND c.status <> 'dissolved'",
            (volunteer_id,),
        )
        return _circle(row) if row else None

    async def set_status(self, circle_id: int, status: str) -> None:
        await self.conn.execute("UPDATE circles SET status = ? WHERE id = ?", (status, circle_id))

    async def members(self, circle_id: int) -> list[CircleMember]:
        rows = await self.conn.execute_fetchall(
            "SELECT volunteer_id, position, joined_at FROM circle_members "
            "WHERE circle_id = ? AND left_at IS NULL ORDER BY position",
            (circle_id,),
        )
        return [CircleMember(int(r[0]), int(r[1]), from_ts(r[2])) for r in rows]

    async def add_member(self, circle_id: int, volunteer_id: int, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO circle_members (circle_id, volunteer_id, position, joined_at) VALUES "
            "(?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM circle_members "
            "WHERE circle_id = ?), ?) ON CONFLICT (circle_id, volunteer_id) DO UPDATE SET "
            "left_at = NULL, joined_at = excluded.joined_at, position = excluded.position",
            (circle_id, volunteer_id, circle_id, ts(at)),
        )

    async def remove_member(self, circle_id: int, volunteer_id: int, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE circle_members SET left_at = ? WHERE circle_id = ? AND volunteer_id = ?",
            (ts(at), circle_id, volunteer_id),
        )

    async def invite(self, circle_id: int, volunteer_id: int, at: datetime) -> int:
        row = await one_row(
            self.conn,
            "INSERT INTO circle_invites (circle_id, volunteer_id, created_at) VALUES (?, ?, ?) "
            "RETURNING id",
            (circle_id, volunteer_id, ts(at)),
        )
        assert row is not None
        return int(row[0])

    async def open_invite(self, invite_id: int) -> tuple[int, int] | None:
        """(circle, volunteer) of an invitation not answered yet."""
        row = await one_row(
            self.conn,
            "SELECT circle_id, volunteer_id FROM circle_invites WHERE id = ? AND answer IS NULL",
            (invite_id,),
        )
        return (int(row[0]), int(row[1])) if row else None

    async def answer_invite(self, invite_id: int, answer: str, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE circle_invites SET answer = ?, answered_at = ? WHERE id = ?",
            (answer, ts(at), invite_id),
        )

    async def set_capacity(self, circle_id: int, capacity: int) -> None:
        await self.conn.execute(
            "UPDATE circles SET capacity = ? WHERE id = ?", (capacity, circle_id)
        )

    async def set_lead(self, circle_id: int, volunteer_id: int) -> None:
        await self.conn.execute(
            "UPDATE circles SET lead_id = ? WHERE id = ?", (volunteer_id, circle_id)
        )

    async def set_place(self, circle_id: int, place: Destination | None) -> None:
        await self.conn.execute(
            "UPDATE circles SET place_platform = ?, place_id = ? WHERE id = ?",
            (
                place.platform.value if place else None,
                place.target_id if place else None,
                circle_id,
            ),
        )

    async def listed(self) -> list[Circle]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM circles WHERE status <> 'dissolved' ORDER BY name COLLATE NOCASE"
        )
        return [_circle(r) for r in rows]


def _circle(r: aiosqlite.Row) -> Circle:
    place = None
    if r["place_platform"] and r["place_id"]:
        place = Destination(Platform(r["place_platform"]), TargetKind.CHANNEL, r["place_id"])
    return Circle(
        int(r["id"]),
        r["name"],
        int(r["lead_id"]),
        r["status"],
        int(r["capacity"]),
        from_ts(r["created_at"]),
        place,
    )

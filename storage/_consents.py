"""Requests to accept a new version of the guidelines, in SQLite."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.models import ConsentRequest
from storage._common import from_ts, one_row, ts


class SqliteConsentRepo:
    """Who was asked to accept which version, and when she was reminded."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def ask(self, volunteer_id: int, version: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO consent_requests (volunteer_id, version, asked_at) VALUES (?,?,?) "
            "ON CONFLICT (volunteer_id) DO UPDATE SET version = excluded.version, "
            "asked_at = excluded.asked_at, reminded_at = NULL, escalated_at = NULL",
            (volunteer_id, version, ts(at)),
        )

    async def get(self, volunteer_id: int) -> ConsentRequest | None:
        row = await one_row(
            self.conn, "SELECT * FROM consent_requests WHERE volunteer_id = ?", (volunteer_id,)
        )
        return _request(row) if row else None

    async def all(self) -> list[ConsentRequest]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM consent_requests ORDER BY volunteer_id"
        )
        return [_request(r) for r in rows]

    async def mark(self, volunteer_id: int, field: str, at: datetime) -> None:
        column = {"reminded": "reminded_at", "escalated": "escalated_at"}[field]
        await self.conn.execute(
            f"UPDATE consent_requests SET {column} = ? WHERE volunteer_id = ?",
            (ts(at), volunteer_id),
        )

    async def done(self, volunteer_id: int) -> None:
        await self.conn.execute(
            "DELETE FROM consent_requests WHERE volunteer_id = ?", (volunteer_id,)
        )


def _request(row: aiosqlite.Row) -> ConsentRequest:
    return ConsentRequest(
        int(row["volunteer_id"]),
        row["version"],
        from_ts(row["asked_at"]),
        from_ts(row["reminded_at"]) if row["reminded_at"] else None,
        from_ts(row["escalated_at"]) if row["escalated_at"] else None,
    )

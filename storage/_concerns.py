"""Concerns reported by volunteers, in SQLite."""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from bot.domain.models import Concern, ConcernAnswer
from storage._common import from_ts, one_row, ts


class SqliteConcernRepo:
    """Drafts, open and handled concerns."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add_draft(self, volunteer_id: int, details: str, at: datetime) -> int:
        row = await one_row(
            self.conn,
            "INSERT INTO concerns (volunteer_id, kind, details, status, created_at) "
            "VALUES (?, 'other', ?, 'draft', ?) RETURNING id",
            (volunteer_id, details, ts(at)),
        )
        assert row is not None
        return int(row[0])

    async def get(self, concern_id: int) -> Concern | None:
        row = await one_row(self.conn, "SELECT * FROM concerns WHERE id = ?", (concern_id,))
        return _concern(row) if row else None

    async def set_kind(self, concern_id: int, kind: str) -> None:
        await self.conn.execute(
            "UPDATE concerns SET kind = ? WHERE id = ? AND status = 'draft'", (kind, concern_id)
        )

    async def submit(self, concern_id: int, match_id: int | None) -> bool:
        rows = await self.conn.execute_fetchall(
            "UPDATE concerns SET match_id = ?, status = 'open' WHERE id = ? AND status = 'draft' "
            "RETURNING id",
            (match_id, concern_id),
        )
        return bool(list(rows))

    async def open(self, limit: int) -> list[Concern]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM concerns WHERE status = 'open' ORDER BY id LIMIT ?", (limit,)
        )
        return [_concern(r) for r in rows]

    async def count_open(self) -> int:
        row = await one_row(self.conn, "SELECT COUNT(*) FROM concerns WHERE status = 'open'", ())
        return int(row[0]) if row else 0

    async def handle(self, concern_id: int, actor: str, note: str, at: datetime) -> bool:
        rows = await self.conn.execute_fetchall(
            "UPDATE concerns SET status = 'handled', handled_by = ?, handled_at = ?, note = ? "
            "WHERE id = ? AND status = 'open' RETURNING id",
            (actor, ts(at), note, concern_id),
        )
        return bool(list(rows))

    async def handled(self, limit: int) -> list[Concern]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM concerns WHERE status = 'handled' ORDER BY handled_at DESC, id DESC "
            "LIMIT ?",
            (limit,),
        )
        return [_concern(r) for r in rows]

    async def count_handled(self) -> int:
        row = await one_row(self.conn, "SELECT COUNT(*) FROM concerns WHERE status = 'handled'", ())
        return int(row[0]) if row else 0

    async def add_answer(self, concern_id: int, answer: ConcernAnswer) -> bool:
        entry = {"at": ts(answer.at), "by": answer.by, "text": answer.text}
        rows = await self.conn.execute_fetchall(
            "UPDATE concerns SET answers = json_insert(answers, '$[#]', json(?)) "
            "WHERE id = ? AND status <> 'draft' RETURNING id",
            (json.dumps(entry), concern_id),
        )
        return bool(list(rows))


def _concern(row: aiosqlite.Row) -> Concern:
    return Concern(
        int(row["id"]),
        row["volunteer_id"],
        row["match_id"],
        row["kind"],
        row["details"],
        row["status"],
        from_ts(row["created_at"]),
        row["handled_by"],
        from_ts(row["handled_at"]) if row["handled_at"] else None,
        row["note"],
        tuple(
            ConcernAnswer(from_ts(a["at"]), a["by"], a["text"]) for a in json.loads(row["answers"])
        ),
    )

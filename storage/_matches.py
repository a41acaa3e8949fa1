"""Matches and matching runs in SQLite."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from typing import Any

import aiosqlite

from bot.domain.models import (
    Match,
    MatchStatus,
    PenPalStatus,
    VolunteerStatus,
)
from bot.matching.types import Pool, slot, waiting
from storage._common import from_ts, one_row, ts

_TAKEN = "status IN ('active', 'paused') AND volunteer_id IS NOT NULL AND circle_id IS NULL"
"""The matches that count against a volunteer's capacity (a circle's count against the
circle's)."""


class SqliteMatchRepo:
    """Matches and matching runs in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add_run(self, seed: int, actor: str, at: datetime) -> int:
        row = await one_row(
            self.conn,
            "INSERT INTO matching_runs (seed, actor, created_at) VALUES (?,?,?) RETURNING id",
            (seed, actor, ts(at)),
        )
        assert row is not None
        return int(row[0])

    async def add(self, match: Match) -> Match:
        row = await one_row(
            self.conn,
            "INSERT INTO matches (volunteer_id, penpal_id, status, proposed_at, confirmed_at, "
            "ended_at, end_reason, run_id, score, circle_id) VALUES (?,?,?,?,?,?,?,?,?,?) "
            "RETURNING id",
            self._values(match),
        )
        assert row is not None
        return replace(match, id=int(row[0]))

    async def add_run_proposals(self, run_id: int, matches: Sequence[Match]) -> list[int]:
        await self.conn.executemany(
            "INSERT INTO matches (volunteer_id, penpal_id, status, proposed_at, confirmed_at, "
            "ended_at, end_reason, run_id, score, circle_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [self._values(m) for m in matches],
        )
        rows = await self.conn.execute_fetchall(
            "SELECT id FROM matches WHERE run_id = ? ORDER BY id", (run_id,)
        )
        return [int(r[0]) for r in rows]

    async def get(self, match_id: int) -> Match | None:
        row = await one_row(self.conn, "SELECT * FROM matches WHERE id = ?", (match_id,))
        return self._match(row) if row else None

    async def update(self, match: Match) -> None:
        await self.conn.execute(
            "UPDATE matches SET volunteer_id=?, penpal_id=?, status=?, proposed_at=?, "
            "confirmed_at=?, ended_at=?, end_reason=?, run_id=?, score=?, circle_id=? WHERE id=?",
            (*self._values(match), match.id),
        )

    async def active_counts(self) -> dict[int, int]:
        rows = await self.conn.execute_fetchall(
            f"SELECT volunteer_id, COUNT(*) FROM matches WHERE {_TAKEN} GROUP BY volunteer_id"
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def past_pairs(self) -> set[tuple[int, int]]:
        rows = await self.conn.execute_fetchall(
            "SELECT volunteer_id, penpal_id FROM matches WHERE confirmed_at IS NOT NULL "
            "AND volunteer_id IS NOT NULL"
        )
        return {(int(r[0]), int(r[1])) for r in rows}

    async def pool(self, today: date) -> Pool:
        volunteers = await self.conn.execute_fetchall(
            "SELECT v.id, v.display_name, v.languages, v.interests, v.kinds, v.woman_writer, "
            "v.capacity - COALESCE(t.n, 0) FROM volunteers v LEFT JOIN "
            f"(SELECT volunteer_id, COUNT(*) AS n FROM matches WHERE {_TAKEN} "
            "GROUP BY volunteer_id) t ON t.volunteer_id = v.id "
            "WHERE v.status = ? AND v.id NOT IN (SELECT volunteer_id FROM consent_requests) "
            "ORDER BY v.id",
            (VolunteerStatus.ACTIVE.value,),
        )
        penpals = await self.conn.execute_fetchall(
            "SELECT id, preferred_name, languages, interests, correspondence_kinds, "
            "writer_preference, "
            "MAX(0, CAST(ROUND(julianday(?) - julianday(waiting_since)) AS INTEGER)) "
            "FROM penpals WHERE status = ? ORDER BY id",
            (today.isoformat(), PenPalStatus.WAITING.value),
        )

        @cache  # most texts repeat: each is parsed once
        def loads(text: str) -> frozenset[str]:
            return frozenset(json.loads(text))

        return Pool(
            [
                (
                    slot(
                        int(r[0]),
                        loads(r[2]),
                        loads(r[3]),
                        loads(r[4]),
                        None if r[5] is None else bool(r[5]),
                        int(r[6]),
                    ),
                    r[1],
                )
                for r in volunteers
            ],
            [
                (waiting(int(r[0]), loads(r[2]), loads(r[3]), loads(r[4]), r[5], int(r[6])), r[1])
                for r in penpals
            ],
            await self.past_pairs(),
        )

    async def for_volunteer(
        self, volunteer_id: int, statuses: Sequence[MatchStatus]
    ) -> list[Match]:
        marks = ",".join("?" for _ in statuses) or "''"
        rows = await self.conn.execute_fetchall(
            f"SELECT * FROM matches WHERE volunteer_id = ? AND status IN ({marks}) "
            "AND circle_id IS NULL ORDER BY id",
            (volunteer_id, *[s.value for s in statuses]),
        )
        return [self._match(r) for r in rows]

    async def open_proposals(self) -> list[Match]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM matches WHERE status = 'proposed' ORDER BY id"
        )
        return [self._match(r) for r in rows]

    async def skip_open_proposals(self) -> int:
        cursor = await self.conn.execute(
            "UPDATE matches SET status = ? WHERE status = ?",
            (MatchStatus.SKIPPED.value, MatchStatus.PROPOSED.value),
        )
        return cursor.rowcount

    async def for_penpal(self, penpal_id: int) -> list[Match]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM matches WHERE penpal_id = ? ORDER BY id", (penpal_id,)
        )
        return [self._match(r) for r in rows]

    async def of_circle(self, circle_id: int) -> list[Match]:
        """A circle's open matches (active or paused), oldest first."""
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM matches WHERE circle_id = ? AND status IN ('active', 'paused') "
            "ORDER BY id",
            (circle_id,),
        )
        return [self._match(r) for r in rows]

    async def active_volunteers_of(self, penpal_id: int) -> list[int]:
        rows = await self.conn.execute_fetchall(
            "SELECT m.id, 0, m.volunteer_id FROM matches m WHERE m.penpal_id = ? "
            "AND m.status IN ('active', 'paused') AND m.circle_id IS NULL "
            "UNION ALL SELECT m.id, c.position, c.volunteer_id FROM matches m "
            "JOIN circle_members c ON c.circle_id = m.circle_id AND c.left_at IS NULL "
            "WHERE m.penpal_id = ? AND m.status IN ('active', 'paused') ORDER BY 1, 2",
            (penpal_id, penpal_id),
        )
        return list(dict.fromkeys(int(r[2]) for r in rows))

    @staticmethod
    def _values(m: Match) -> tuple[Any, ...]:
        return (
            m.volunteer_id,
            m.penpal_id,
            m.status.value,
            ts(m.proposed_at),
            ts(m.confirmed_at) if m.confirmed_at else None,
            ts(m.ended_at) if m.ended_at else None,
            m.end_reason,
            m.run_id,
            m.score,
            m.circle_id,
        )

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
            circle_id=r["circle_id"],
        )

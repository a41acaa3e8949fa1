"""Volunteers' tries at the program's training quiz, in SQLite."""

from __future__ import annotations

import json

import aiosqlite

from bot.domain.models import QuizResult
from storage._common import from_ts, one_row, ts


class SqliteQuizRepo:
    """One row per volunteer: her tries at the quiz of the current guidelines."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, volunteer_id: int) -> QuizResult | None:
        row = await one_row(
            self.conn, "SELECT * FROM quiz_results WHERE volunteer_id = ?", (volunteer_id,)
        )
        if row is None:
            return None
        return QuizResult(
            int(row["volunteer_id"]),
            row["version"],
            row["language"],
            None if row["answers"] == "null" else tuple(json.loads(row["answers"])),
            int(row["tries"]),
            int(row["total"]),
            row["first_score"],
            row["score"],
            from_ts(row["passed_at"]) if row["passed_at"] else None,
        )

    async def save(self, result: QuizResult) -> None:
        await self.conn.execute(
            "INSERT INTO quiz_results (volunteer_id, version, language, answers, tries, "
            "first_score, score, total, passed_at) VALUES (?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (volunteer_id) DO UPDATE SET version = excluded.version, "
            "language = excluded.language, answers = excluded.answers, tries = excluded.tries, "
            "first_score = excluded.first_score, score = excluded.score, "
            "total = excluded.total, passed_at = excluded.passed_at",
            (
                result.volunteer_id,
                result.version,
                result.language,
                json.dumps(None if result.answers is None else list(result.answers)),
                result.tries,
                result.first_score,
                result.score,
                result.total,
                ts(result.passed_at) if result.passed_at else None,
            ),
        )

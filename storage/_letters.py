"""Letters, the reminders that fired, and snoozes, in SQLite."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiosqlite

from bot.domain.models import (
    Letter,
    LetterDirection,
    LetterState,
    ReturnedLetter,
    ReturnReason,
)
from bot.reminders.policy import (
    ActiveMatch,
    Due,
    DueMatch,
    FiredReminder,
    LetterMark,
    MatchRhythm,
    ReminderKind,
    ReminderPolicy,
    Snooze,
)
from storage._common import day_or_none, from_ts, one_row, ts
from storage._due import AT_PROGRAM, COUNTS_IN, COUNTS_OUT, due_search

_LAST = (
    "(SELECT id || '|' || dated FROM letters l WHERE l.match_id = m.id AND l.direction = ? "
    "AND {counts} ORDER BY dated DESC, id DESC LIMIT 1)"
)
_RHYTHM = f"""
SELECT m.id, m.volunteer_id, m.confirmed_at, v.timezone, v.display_name, p.preferred_name,
       {_LAST.format(counts=COUNTS_IN)} AS last_in, {_LAST.format(counts=COUNTS_OUT)} AS last_out,
       s.cycle, s.count, s.until, p.reminders_from, {AT_PROGRAM}
FROM matches m
CROSS JOIN volunteers v ON v.id = m.volunteer_id
CROSS JOIN penpals p ON p.id = m.penpal_id
LEFT JOIN snoozes s ON s.id = (SELECT MAX(id) FROM snoozes WHERE match_id = m.id)
WHERE m.status = 'active' AND m.confirmed_at IS NOT NULL AND v.status = 'active'
  AND (v.paused_until IS NULL OR v.paused_until < ?)
"""
_DUE = " AND m.next_check_at <= ?"


class SqliteLetterRepo:
    """Letters, fired reminders and snoozes."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, letter: Letter) -> Letter:
        row = await one_row(
            self.conn,
            "INSERT INTO letters (match_id, direction, dated, logged_by, logged_at, program_on, "
            "state, note) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
            (
                letter.match_id,
                letter.direction.value,
                letter.dated.isoformat(),
                letter.logged_by,
                ts(letter.logged_at),
                letter.program_on.isoformat() if letter.program_on else None,
                letter.state.value,
                letter.note,
            ),
        )
        assert row is not None
        await self.conn.execute(
            "UPDATE matches SET next_check_at = '' WHERE id = ?", (letter.match_id,)
        )
        return replace(letter, id=int(row[0]))

    async def add_returned(self, returned: ReturnedLetter) -> ReturnedLetter:
        row = await one_row(
            self.conn,
            "INSERT INTO returned_letters (match_id, custody_id, reason, dated, logged_by, "
            "logged_at) VALUES (?,?,?,?,?,?) RETURNING id",
            (
                returned.match_id,
                returned.custody_id,
                returned.reason.value,
                returned.dated.isoformat(),
                returned.logged_by,
                ts(returned.logged_at),
            ),
        )
        assert row is not None
        return replace(returned, id=int(row[0]))

    async def returned_for(self, penpal_id: int) -> list[ReturnedLetter]:
        rows = await self.conn.execute_fetchall(
            "SELECT r.* FROM returned_letters r JOIN matches m ON m.id = r.match_id "
            "WHERE m.penpal_id = ? ORDER BY r.dated DESC, r.id DESC",
            (penpal_id,),
        )
        return [
            ReturnedLetter(
                int(r["id"]),
                int(r["match_id"]),
                r["custody_id"],
                ReturnReason(r["reason"]),
                date.fromisoformat(r["dated"]),
                r["logged_by"],
                from_ts(r["logged_at"]),
            )
            for r in rows
        ]

    async def due_search(self, policy: ReminderPolicy, now: datetime) -> list[DueMatch]:
        return await due_search(self.conn, policy, now)

    async def set_next_checks(self, checks: Sequence[tuple[int, datetime]]) -> None:
        """When the sweep should look at each match again."""
        await self.conn.executemany(
            "UPDATE matches SET next_check_at = ? WHERE id = ?",
            [(ts(at), match_id) for match_id, at in checks],
        )

    async def count_since(self, day: date) -> int:
        row = await one_row(
            self.conn,
            "SELECT COUNT(*) FROM letters WHERE dated >= ? AND state <> 'returned'",
            (day.isoformat(),),
        )
        return int(row[0]) if row else 0

    async def reply_days(self, since: date) -> list[int]:
        rows = await self.conn.execute_fetchall(
            "SELECT CAST(julianday(MIN(r.dated)) - julianday(l.dated) AS INTEGER) "
            "FROM letters l JOIN letters r ON r.match_id = l.match_id "
            "AND r.direction = 'to_penpal' AND r.state <> 'returned' AND (r.dated > l.dated OR "
            "(r.dated = l.dated AND r.id > l.id)) "
            "WHERE l.direction = 'from_penpal' AND l.state = '' AND l.dated >= ? GROUP BY l.id",
            (since.isoformat(),),
        )
        return [int(r[0]) for r in rows]

    async def for_match(self, match_id: int) -> list[Letter]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM letters WHERE match_id = ? ORDER BY dated, id", (match_id,)
        )
        return [_letter(r) for r in rows]

    async def get(self, letter_id: int) -> Letter | None:
        row = await one_row(self.conn, "SELECT * FROM letters WHERE id = ?", (letter_id,))
        return _letter(row) if row else None

    async def at_program(self) -> list[Letter]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM letters WHERE state IN ('waiting', 'held') "
            "ORDER BY COALESCE(program_on, dated), id"
        )
        return [_letter(r) for r in rows]

    async def update(self, letter: Letter) -> None:
        await self.conn.execute(
            "UPDATE letters SET dated = ?, program_on = ?, state = ?, note = ? WHERE id = ?",
            (
                letter.dated.isoformat(),
                letter.program_on.isoformat() if letter.program_on else None,
                letter.state.value,
                letter.note,
                letter.id,
            ),
        )
        await self.conn.execute(
            "UPDATE matches SET next_check_at = '' WHERE id = ?", (letter.match_id,)
        )

    async def active(
        self,
        today: date,
        match_id: int | None = None,
        checks_due: datetime | None = None,
        volunteer_id: int | None = None,
        match_ids: Sequence[int] | None = None,
    ) -> list[ActiveMatch]:
        """Active matches of volunteers who are not paused, with their last letter each way
        (only those whose next check has come, with `checks_due`)."""
        args: list[object]
        sql, args = (
            _RHYTHM,
            [LetterDirection.FROM_PENPAL.value, LetterDirection.TO_PENPAL.value, today.isoformat()],
        )
        if checks_due is not None:
            sql += _DUE
            args.append(ts(checks_due))
        if match_id is not None:
            sql += " AND m.id = ?"
            args.append(match_id)
        if volunteer_id is not None:
            sql += " AND m.volunteer_id = ?"
            args.append(volunteer_id)
        if match_ids is not None:
            sql += " AND m.id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(list(match_ids)))
        rows = await self.conn.execute_fetchall(sql, args)
        return [_active(r) for r in rows]

    async def record(self, due: Sequence[tuple[int, Due]], now: datetime) -> list[FiredReminder]:
        """Record reminders as fired; only the ones not recorded before come back."""
        if not due:
            return []
        payload = json.dumps(
            [[match_id, d.kind.value, d.cycle, d.round, ts(d.at)] for match_id, d in due]
        )
        rows = await self.conn.execute_fetchall(
            "INSERT OR IGNORE INTO reminders (match_id, kind, cycle, round, due_at, created_at) "
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
            "json_extract(value, '$[2]'), json_extract(value, '$[3]'), "
            "json_extract(value, '$[4]'), ? FROM json_each(?) WHERE true "
            "RETURNING id, match_id, kind, cycle, round",
            (ts(now), payload),
        )
        return [_fired(r) for r in rows]

    async def reminder(self, reminder_id: int) -> FiredReminder | None:
        row = await one_row(
            self.conn,
            "SELECT id, match_id, kind, cycle, round FROM reminders WHERE id = ?",
            (reminder_id,),
        )
        return _fired(row) if row else None

    async def snooze(self, match_id: int, cycle: str, until: datetime) -> int:
        """One more snooze of this cycle, until `until`; how many there have been now."""
        row = await one_row(
            self.conn,
            "INSERT INTO snoozes (match_id, cycle, count, until) VALUES (?,?,1,?) "
            "ON CONFLICT (match_id, cycle) DO UPDATE SET count = count + 1, until = excluded.until "
            "RETURNING count",
            (match_id, cycle, ts(until)),
        )
        assert row is not None
        await self.conn.execute("UPDATE matches SET next_check_at = '' WHERE id = ?", (match_id,))
        return int(row[0])

    async def snoozes(self, match_id: int, cycle: str) -> int:
        row = await one_row(
            self.conn,
            "SELECT count FROM snoozes WHERE match_id = ? AND cycle = ?",
            (match_id, cycle),
        )
        return int(row[0]) if row else 0


def _mark(value: str | None, incoming: bool) -> LetterMark | None:
    if not value:
        return None
    letter_id, _, dated = value.partition("|")
    return LetterMark(int(letter_id), date.fromisoformat(dated), incoming)


def _active(r: aiosqlite.Row) -> ActiveMatch:
    """One row of _RHYTHM (by position: the sweep reads thousands of these)."""
    (
        match_id,
        volunteer_id,
        confirmed_at,
        tz,
        volunteer,
        penpal,
        last_in,
        last_out,
        cycle,
        count,
        until,
        resumed,
        at_program,
    ) = r
    confirmed = datetime.fromisoformat(confirmed_at).astimezone(ZoneInfo(tz)).date()
    snooze = Snooze(cycle, int(count), from_ts(until)) if cycle else None
    rhythm = MatchRhythm(
        match_id,
        confirmed,
        tz,
        _mark(last_in, True),
        _mark(last_out, False),
        snooze,
        date.fromisoformat(resumed) if resumed else None,
        bool(at_program),
    )
    return ActiveMatch(rhythm, volunteer_id, volunteer, penpal)


def _letter(r: aiosqlite.Row) -> Letter:
    return Letter(
        int(r["id"]),
        int(r["match_id"]),
        LetterDirection(r["direction"]),
        date.fromisoformat(r["dated"]),
        r["logged_by"],
        from_ts(r["logged_at"]),
        day_or_none(r["program_on"]),
        LetterState(r["state"]),
        r["note"],
    )


def _fired(r: aiosqlite.Row) -> FiredReminder:
    return FiredReminder(int(r[0]), int(r[1]), ReminderKind(r[2]), r[3], int(r[4]))

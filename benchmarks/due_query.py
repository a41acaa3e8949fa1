"""Benchmark: finding what is due among 100,000 active matches and 1,000,000 letters.

Times the reminder sweep's search (`due_search`: the SQL that decides what is due and when to
look again, and what is due as objects) against the bare SQL query alone (the same statement,
its rows left as they come), in the same run and the same kind of transaction, several times
each: once cold (no match looked at yet: every match is read), then for the next sweeps, which
read only the matches whose next check has come. The search fills the table of local mornings
once, the first time it meets a time zone or day; that is timed apart.

    .venv/bin/python benchmarks/due_query.py [--matches 100000] [--letters 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.reminders.policy import ReminderPolicy
from storage._common import ts
from storage._due import search_args, search_sql
from storage.database import Database
from storage.repos import SqliteUnitOfWork

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
TODAY = NOW.date()


async def build(db: Database, matches: int, letters: int) -> None:
    rng = random.Random(1)
    conn = db.conn
    stamp = ts(NOW)
    volunteers = matches // 2
    await conn.execute("BEGIN")
    await conn.executemany(
        "INSERT INTO volunteers (id, display_name, languages, interests, capacity, frequency, "
        "timezone, status, guidelines_version, consented_at, created_at, updated_at) "
        "VALUES (?,?,'[\"en\"]','[]',3,'monthly',?,'active','x',?,?,?)",
        [(i, f"V{i}", rng.choice(["UTC", "Europe/London", "America/Chicago"]), stamp, stamp,
          stamp) for i in range(1, volunteers + 1)],
    )  # fmt: skip
    await conn.executemany(
        "INSERT INTO penpals (id, committed_name, preferred_name, languages, interests, "
        "correspondence_kinds, waiting_since, status) VALUES (?,?,?,'[\"en\"]','[]','[]',?,"
        "'matched')",
        [(i, f"P{i}", f"P{i}", "2025-01-01") for i in range(1, matches + 1)],
    )  # fmt: skip
    await conn.executemany(
        "INSERT INTO matches (id, volunteer_id, penpal_id, status, proposed_at, confirmed_at) "
        "VALUES (?,?,?,'active',?,?)",
        [(i, 1 + (i - 1) % volunteers, i, stamp,
          ts(NOW - timedelta(days=rng.randint(10, 700)))) for i in range(1, matches + 1)],
    )  # fmt: skip
    rows = []
    for _ in range(letters):
        match = rng.randint(1, matches)
        dated = (TODAY - timedelta(days=rng.randint(0, 700))).isoformat()
        rows.append((match, rng.choice(["from_penpal", "to_penpal"]), dated, "x", stamp))
    await conn.executemany(
        "INSERT INTO letters (match_id, direction, dated, logged_by, logged_at) VALUES (?,?,?,?,?)",
        rows,
    )
    await conn.execute("COMMIT")
    await conn.execute("ANALYZE")


async def measure(db: Database, now: datetime, runs: int) -> tuple[float, float, int, int]:
    """Median seconds of the bare query and of the whole search; matches read; reminders due."""
    policy = ReminderPolicy()
    sql, args = search_sql(policy), search_args(now)
    bare: list[float] = []
    full: list[float] = []
    read = due = 0
    while len(full) < runs or (len(full) < 200 and sum(bare) + sum(full) < 2.0):
        async with SqliteUnitOfWork(db) as uow:  # both in a transaction, as in the sweep
            started = time.perf_counter()
            await db.conn.execute_fetchall(sql, args)
            bare.append(time.perf_counter() - started)
        async with SqliteUnitOfWork(db) as uow:
            started = time.perf_counter()
            found = await uow.letters.due_search(policy, now)
            full.append(time.perf_counter() - started)
        due = sum(len(f.due) for f in found)
        read = len(found)
    async with SqliteUnitOfWork(db) as uow:  # as the sweep does after it has looked
        await uow.letters.set_next_checks([(f.match_id, f.next_check) for f in found])
        await uow.commit()
    return statistics.median(bare), statistics.median(full), read, due


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--matches", type=int, default=100_000)
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="at least; more for quick sweeps")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        async with await Database.open(Path(folder) / "due.db") as db:
            started = time.perf_counter()
            await build(db, args.matches, args.letters)
            print(f"built {args.matches:,} matches and {args.letters:,} letters in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip
            started = time.perf_counter()
            async with SqliteUnitOfWork(db) as uow:  # fills the local mornings it lacks
                await uow.letters.due_search(ReminderPolicy(), NOW)
                await uow.commit()
            print(f"first search ever (fills the table of local mornings): "
                  f"{time.perf_counter() - started:.2f} s")  # fmt: skip
            for label, now in (
                ("first sweep (cold: every match read)", NOW),
                ("next sweep, 15 minutes later", NOW + timedelta(minutes=15)),
                ("sweep just after 09:00 in Chicago", NOW + timedelta(hours=3, minutes=15)),
            ):
                bare, full, read, due = await measure(db, now, args.runs)
                print(f"{label}: bare SQL {bare * 1000:.1f} ms; whole search {full * 1000:.1f} ms "
                      f"({read:,} matches read, {due:,} reminders due); overhead "
                      f"{full / bare:.2f}x the bare query (target under 1.5x)")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())

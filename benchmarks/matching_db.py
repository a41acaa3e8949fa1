"""Benchmark: a whole matching run from the SQLite database to stored proposals.

Builds a database of 5,000 active volunteers (capacity 1-3) and 20,000 waiting pen pals with
the distributions of benchmarks/matching.py, then times MatchService.run: loading everything,
the engine, and writing every proposal, as `/coord match` does; twice, as the first run of a
bot process also imports the engine (numpy, numba) and loads its compiled code, and the second
replaces the first run's open proposals. The database is built in a child process, so that the
first run here imports everything a bot would.

    .venv/bin/python benchmarks/matching_db.py [--volunteers 5000] [--penpals 20000] [--preload]

--preload loads the engine before the first run, as a bot with `[program] preload_matching`
does at start.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot.domain.clock import FakeClock
from bot.domain.models import Actor, Platform
from bot.matching.service import MatchService
from storage.database import Database
from storage.repos import SqliteUnitOfWork

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def build_file(path: Path, n_volunteers: int, n_penpals: int) -> None:
    """In a child process: the instance (numpy) written into a new database at path."""

    async def go() -> None:
        async with await Database.open(path) as db:
            await build(db, n_volunteers, n_penpals)

    asyncio.run(go())


async def build(db: Database, n_volunteers: int, n_penpals: int) -> None:
    from matching import instance

    volunteers, penpals, _ = instance(1, n_volunteers, n_penpals)
    stamp = NOW.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    conn = db.conn
    await conn.execute("BEGIN")
    await conn.executemany(
        "INSERT INTO volunteers (id, display_name, pronouns, languages, interests, capacity, "
        "frequency, timezone, status, guidelines_version, consented_at, kinds, woman_writer, "
        "created_at, updated_at) VALUES (?,?,'',?,?,?,'monthly','UTC','active','x',?,?,?,?,?)",
        [(v.id, f"Volunteer {v.id}", json.dumps(sorted(v.languages)), json.dumps(sorted(v.interests)),
          v.free, stamp, json.dumps(sorted(v.kinds)), int(bool(v.woman)), stamp, stamp)
         for v in volunteers],
    )  # fmt: skip
    await conn.executemany(
        "INSERT INTO penpals (id, committed_name, preferred_name, languages, interests, "
        "correspondence_kinds, writer_preference, waiting_since, status) "
        "VALUES (?,?,?,?,?,?,?,?,'waiting')",
        [(p.id, f"Person {p.id}", f"P{p.id}", json.dumps(sorted(p.languages)),
          json.dumps(sorted(p.interests)), json.dumps(sorted(p.kinds)),
          "woman" if p.wants_woman else None,
          (date(2026, 11, 28) - timedelta(days=p.days_waiting)).isoformat())
         for p in penpals],
    )  # fmt: skip
    await conn.execute("COMMIT")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=5000)
    parser.add_argument("--penpals", type=int, default=20000)
    parser.add_argument("--preload", action="store_true", help="load the engine first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        child = multiprocessing.get_context("spawn").Process(
            target=build_file, args=(path, args.volunteers, args.penpals)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"building the database failed: exit {child.exitcode}")
        assert "numpy" not in sys.modules and "bot.matching.engine" not in sys.modules
        async with await Database.open(path) as db:
            service = MatchService(lambda: SqliteUnitOfWork(db), FakeClock(NOW))
            boss = Actor(Platform.TELEGRAM, "1", is_coordinator=True)
            if args.preload:
                await service.load_engine()
            times = []
            for seed in (1, 2):  # the first run of a process also imports and loads the engine
                started = time.perf_counter()
                found = await service.run(boss, seed=seed)
                times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.volunteers} volunteers, {args.penpals} waiting pen pals, in SQLite")
    print(
        f"database to stored proposals: first run of the process"
        f"{' (engine preloaded)' if args.preload else ''} {times[0]:.2f} s, "
        f"the next (replacing its proposals) {times[1]:.2f} s, {len(found) - 1} proposals"
    )
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())

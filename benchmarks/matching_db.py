"""Benchmark: a whole matching run from the SQLite database to stored proposals.

Builds a database of 5,000 active volunteers (capacity 1-3) and 20,000 waiting pen pals with
the distributions of benchmarks/matching.py, then times MatchService.run as a bot runs it for
`/coord match`: reading the waiting list while the engine loads in a child process, solving
there, and writing every proposal; twice (the second replaces the first run's open proposals).
It prints this process's memory (RSS) before and after the runs: the engine's memory leaves
with the child. The database is built in another child, so that this process is a bot's.

    .venv/bin/python benchmarks/matching_db.py [--volunteers 5000] [--penpals 20000]
        [--cache DIR]   (default .cache/matching; an empty folder times a first run after
                         installing, which compiles the engine)
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
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
from bot.matching.solver import ChildProcessSolver, Request, Solution
from storage.database import Database
from storage.repos import SqliteUnitOfWork

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]


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
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "matching")
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
            command = (sys.executable, "-m", "bot.app.matching_child", str(path))
            solver = TimedSolver(ChildProcessSolver(command, args.cache))
            service = MatchService(lambda: SqliteUnitOfWork(db), FakeClock(NOW), solver=solver)
            boss = Actor(Platform.TELEGRAM, "1", is_coordinator=True)
            before = rss_mb()
            times, after, child, proposals = [], [], [], 0
            for seed in (1, 2):
                started = time.perf_counter()
                found = await service.run(boss, seed=seed)
                times.append(time.perf_counter() - started)
                child.append(solver.seconds)
                proposals = len(found) - 1
                del found  # shown to the coordinator and dropped, as an adapter does
                gc.collect()
                after.append(rss_mb())
        assert "numpy" not in sys.modules and "numba" not in sys.modules
    print(f"{args.volunteers} volunteers, {args.penpals} waiting pen pals, in SQLite")
    print(
        f"database to stored proposals (engine in a child process): {times[0]:.2f} s, "
        f"the next (replacing its proposals) {times[1]:.2f} s, {proposals} proposals"
    )
    print(
        "of which the child (start, load the engine, read, solve, answer): "
        + ", ".join(f"{c:.2f} s" for c in child)
        + "; the rest is this process writing the proposals"
    )
    print(
        f"this process's memory: {before:.0f} MB before the runs, "
        f"{after[0]:.0f} MB after the first, {after[1]:.0f} MB after the second"
    )


class TimedSolver:
    """The bot's solver, timed: how long the child took, apart from the bot's own writing."""

    def __init__(self, solver: ChildProcessSolver) -> None:
        self.solver, self.seconds = solver, 0.0

    async def solve(self, request: Request) -> Solution:
        started = time.perf_counter()
        try:
            return await self.solver.solve(request)
        finally:
            self.seconds = time.perf_counter() - started

    async def prepare(self) -> None:
        await self.solver.prepare()


def rss_mb() -> float:
    """This process's resident memory now (not its peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


if __name__ == "__main__":
    asyncio.run(main())

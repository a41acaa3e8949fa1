"""The matching engine in a child process that reads the waiting list itself: the same
proposals as in-process, the bot's process never loads numpy or numba, and a child that crashes,
hangs or answers garbage fails the run cleanly (and is not left behind). The compiled code's cache is prepared once per version."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.clock import FakeClock
from bot.domain.ports import UnitOfWorkFactory
from bot.matching.solver import (
    ChildProcessSolver,
    InProcessSolver,
    Request,
    SolverFailed,
    engine_version,
)
from tests.core.helpers import setup, volunteer

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "matching"  # the one the end-to-end tests share

TODAY = date(2026, 11, 28)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


REQUEST = Request(TODAY, seed=5)


def child(database: Path) -> tuple[str, ...]:
    """The command a bot runs (bot/app/runtime.py)."""
    return (sys.executable, "-m", "bot.app.matching_child", str(database))


def fake_python(tmp_path: Path, script: str) -> tuple[str]:
    """A command that stands in for the child."""
    path = tmp_path / "python"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return (str(path),)


async def waiting_list(uow: UnitOfWorkFactory, clock: FakeClock) -> None:
    await setup(uow, clock)
    await volunteer(uow, clock, "1", "English", 2)
    await volunteer(uow, clock, "2", "Spanish", 1)


async def test_the_child_reads_the_database_and_proposes_what_the_engine_proposes(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, tmp_path: Path
) -> None:
    await waiting_list(uow_factory, clock)
    from_child = await ChildProcessSolver(child(tmp_path / "test.db"), CACHE).solve(REQUEST)
    here = await InProcessSolver(uow_factory).solve(REQUEST)
    assert from_child == here and here.proposals
    proposed = {p.volunteer_id for p in here.proposals}
    assert set(here.volunteers) == proposed  # names of the proposed people only
    assert set(here.penpals) == {p.penpal_id for p in here.proposals}


def test_the_bot_process_never_loads_numpy_or_numba(tmp_path: Path) -> None:
    """In a fresh interpreter (this one has loaded the engine for other tests)."""
    script = (
        "import asyncio, sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from bot.matching.solver import ChildProcessSolver, Request\n"
        "from storage.database import Database\n"
        f"db = {str(tmp_path / 'x.db')!r}\n"
        "async def go():\n"
        "    await (await Database.open(db)).close()\n"
        "    command = (sys.executable, '-m', 'bot.app.matching_child', db)\n"
        f"    solver = ChildProcessSolver(command, Path({str(CACHE)!r}))\n"
        "    return await solver.solve(Request(date(2026, 11, 28), 1))\n"
        "found = asyncio.run(go())\n"
        "print(type(found).__name__, sorted(m for m in ('numpy', 'numba', 'llvmlite') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Solution []"


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("echo 'Traceback: MemoryError' >&2; exit 3", "exit 3): Traceback: MemoryError"),
        ("kill -9 $$", "exit -9"),
        ("cat > /dev/null; echo not-a-pickle", "could not be read"),
        ("exec cat", "was not a solution"),  # answers with the request itself
    ],
)
async def test_a_child_that_fails_fails_the_run(tmp_path: Path, script: str, expected: str) -> None:
    solver = ChildProcessSolver(fake_python(tmp_path, script), tmp_path / "cache")
    with pytest.raises(SolverFailed, match=re.escape(expected)):
        await solver.solve(REQUEST)


class Children(list[asyncio.subprocess.Process]):
    """Every child the solver starts, kept to look at afterwards."""

    def __init__(self) -> None:
        super().__init__()
        self.one_started = asyncio.Event()


def children(monkeypatch: pytest.MonkeyPatch) -> Children:
    started = Children()
    spawn = asyncio.create_subprocess_exec

    async def keep(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        child = await spawn(*args, **kwargs)
        started.append(child)
        started.one_started.set()
        return child

    monkeypatch.setattr(asyncio, "create_subprocess_exec", keep)
    return started


async def test_a_child_that_hangs_is_stopped_and_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = children(monkeypatch)
    solver = ChildProcessSolver(fake_python(tmp_path, "exec sleep 60"), None, 0.5)
    with pytest.raises(SolverFailed, match=r"no answer within 0\.5 s"):
        await solver.solve(REQUEST)
    [child] = started
    assert child.returncode == -9  # killed and reaped


async def test_a_run_cancelled_midway_leaves_no_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = children(monkeypatch)
    solver = ChildProcessSolver(fake_python(tmp_path, "exec sleep 60"))
    running = asyncio.ensure_future(solver.solve(REQUEST))
    await asyncio.wait_for(started.one_started.wait(), 30)
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    [child] = started
    assert child.returncode == -9


async def test_prepare_compiles_once_per_engine_version(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    solver = ChildProcessSolver(fake_python(tmp_path, f"echo x >> {runs}"), tmp_path / "cache")
    await solver.prepare()
    await solver.prepare()  # the stamp says it is done
    assert runs.read_text() == "x\n"
    assert solver.stamp == tmp_path / "cache" / f"ready-{engine_version()}"
    assert solver.stamp.exists()
    failing = ChildProcessSolver(fake_python(tmp_path, "exit 1"), tmp_path / "other")
    await failing.prepare()
    assert failing.stamp is not None and not failing.stamp.exists()  # tried again next start

"""The matching engine in a child process: the same proposals as in-process, the bot's process
never loads numpy or numba, and a child that crashes, hangs or answers garbage fails the run
cleanly (and is not left behind). The compiled code's cache is prepared once per version."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.matching.solver import (
    ChildProcessSolver,
    InProcessSolver,
    Problem,
    SolverFailed,
    engine_version,
)
from bot.matching.types import VolunteerSlot, WaitingPenPal

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "matching"  # the one the end-to-end tests share

PROBLEM = Problem(
    [
        VolunteerSlot(1, frozenset({"en"}), frozenset({"art"}), frozenset({"letters"}), True, 2),
        VolunteerSlot(2, frozenset({"es"}), frozenset({"faith"}), frozenset({"letters"}), False, 1),
    ],
    [
        WaitingPenPal(10, frozenset({"en"}), frozenset({"art"}), frozenset(), False, 30),
        WaitingPenPal(11, frozenset({"es", "en"}), frozenset(), frozenset(), True, 12),
        WaitingPenPal(12, frozenset({"es"}), frozenset({"faith"}), frozenset(), False, 3),
    ],
    {(1, 11)},
    seed=5,
)


def fake_python(tmp_path: Path, script: str) -> str:
    """An executable that stands in for `python -m bot.matching.child`."""
    path = tmp_path / "python"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return str(path)


async def test_the_child_proposes_what_the_engine_proposes_in_process() -> None:
    async with ChildProcessSolver(CACHE).ready() as solve:
        from_child = await solve(PROBLEM)
    async with InProcessSolver().ready() as solve:
        here = await solve(PROBLEM)
    assert from_child == here and here


def test_the_bot_process_never_loads_numpy_or_numba() -> None:
    script = (
        "import asyncio, sys\n"
        "from bot.matching.solver import ChildProcessSolver\n"
        "from tests.core.test_solver import CACHE, PROBLEM\n"
        "async def go():\n"
        "    async with ChildProcessSolver(CACHE).ready() as solve:\n"
        "        return await solve(PROBLEM)\n"
        "found = asyncio.run(go())\n"
        "print(len(found), sorted(m for m in ('numpy', 'numba', 'llvmlite') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(" ", 1)[1].strip() == "[]"
    assert int(done.stdout.split()[0]) > 0


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("echo 'Traceback: MemoryError' >&2; exit 3", "exit 3): Traceback: MemoryError"),
        ("kill -9 $$", "exit -9"),
        ("cat > /dev/null; echo not-a-pickle", "could not be read"),
        ("exec cat", "was not a list of proposals"),  # answers with the problem itself
    ],
)
async def test_a_child_that_fails_fails_the_run(tmp_path: Path, script: str, expected: str) -> None:
    solver = ChildProcessSolver(tmp_path / "cache", python=fake_python(tmp_path, script))
    with pytest.raises(SolverFailed, match=re.escape(expected)):
        async with solver.ready() as solve:
            await solve(PROBLEM)


def children(monkeypatch: pytest.MonkeyPatch) -> list[asyncio.subprocess.Process]:
    """Every child the solver starts, kept to look at afterwards."""
    started: list[asyncio.subprocess.Process] = []
    spawn = asyncio.create_subprocess_exec

    async def keep(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        child = await spawn(*args, **kwargs)
        started.append(child)
        return child

    monkeypatch.setattr(asyncio, "create_subprocess_exec", keep)
    return started


async def test_a_child_that_hangs_is_stopped_and_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = children(monkeypatch)
    solver = ChildProcessSolver(None, 0.5, python=fake_python(tmp_path, "exec sleep 60"))
    with pytest.raises(SolverFailed, match=r"no answer within 0\.5 s"):
        async with solver.ready() as solve:
            await solve(PROBLEM)
    [child] = started
    assert child.returncode == -9  # killed and reaped


async def test_a_run_given_up_before_it_asked_leaves_no_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = children(monkeypatch)
    solver = ChildProcessSolver(None, python=fake_python(tmp_path, "exec sleep 60"))
    with pytest.raises(RuntimeError):
        async with solver.ready():
            raise RuntimeError("the waiting list could not be read")
    [child] = started
    assert child.returncode == -9


async def test_prepare_compiles_once_per_engine_version(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    solver = ChildProcessSolver(
        tmp_path / "cache", python=fake_python(tmp_path, f"echo x >> {runs}")
    )
    await solver.prepare()
    await solver.prepare()  # the stamp says it is done
    assert runs.read_text() == "x\n"
    assert solver.stamp == tmp_path / "cache" / f"ready-{engine_version()}"
    assert solver.stamp.exists()
    failing = ChildProcessSolver(tmp_path / "other", python=fake_python(tmp_path, "exit 1"))
    await failing.prepare()
    assert failing.stamp is not None and not failing.stamp.exists()  # tried again next start

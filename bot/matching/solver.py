"""Where the matching engine runs. A bot runs it in a child process that exits after the run
(`ChildProcessSolver`), so that numpy, numba and the compiled passes (about 190 MB) are never
held by the bot between runs, which come a few times a week. Tests and benchmarks of the engine
itself may run it in their own process (`InProcessSolver`).

A run opens the solver first (`async with solver.ready() as solve`): the child starts loading
the engine at once, while the service reads the waiting list, and then `solve(problem)`."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import pickle
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Protocol

from bot.matching.types import Proposal, VolunteerSlot, WaitingPenPal, Weights

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """Everything the engine needs for one run (no names: the child never sees one)."""

    volunteers: Sequence[VolunteerSlot]
    penpals: Sequence[WaitingPenPal]
    past: Collection[tuple[int, int]]
    seed: int
    weights: Weights = field(default_factory=Weights)


class SolverFailed(Exception):
    """The engine did not return proposals (the child crashed, was killed or timed out)."""


Solve = Callable[[Problem], Awaitable[list[Proposal]]]


class Solver(Protocol):
    def ready(self) -> AbstractAsyncContextManager[Solve]:
        """The engine is made ready inside the block; `solve` runs it once."""
        ...

    async def prepare(self) -> None:
        """Have the engine's compiled code ready before the first run (if it is not)."""
        ...


@cache
def load_engine() -> Callable[..., list[Proposal]]:
    """The engine loaded and warmed in this process (a failure is not cached)."""
    from bot.matching.engine import propose, warm_up

    warm_up()
    return propose


def solve_here(problem: Problem) -> list[Proposal]:
    """Run the engine in this process (it is loaded on first use)."""
    propose = load_engine()
    return propose(problem.volunteers, problem.penpals, problem.past, problem.seed, problem.weights)


class InProcessSolver:
    """The engine in this process, in a thread (tests and benchmarks of the engine)."""

    @asynccontextmanager
    async def ready(self) -> AsyncIterator[Solve]:
        loading = asyncio.ensure_future(asyncio.to_thread(load_engine))

        async def solve(problem: Problem) -> list[Proposal]:
            await loading
            return await asyncio.to_thread(solve_here, problem)

        try:
            yield solve
        finally:
            await loading

    async def prepare(self) -> None:
        await asyncio.to_thread(load_engine)


PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The folder that holds the `bot` package (so the child finds it however the bot was started)."""

CHILD = "bot.matching.child"


@cache
def engine_version() -> str:
    """Names this engine's compiled code: its sources, Python's and numba's versions (read
    from the installed metadata: numba itself is not imported here)."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}-{metadata.version('numba')}".encode())
    for name in ("kernels.py", "engine.py", "_encoding.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ChildProcessSolver:
    """One child process per run: `python -m bot.matching.child`, the problem and the proposals
    pickled over its stdin and stdout. numba keeps its compiled code in `cache_dir` (created if
    missing), so that only the first run after installing compiles (7-10 s)."""

    cache_dir: Path | None = None
    timeout_seconds: float = 300.0
    python: str = sys.executable

    @property
    def stamp(self) -> Path | None:
        """Written after the engine's code was compiled into the cache (once per version)."""
        return None if self.cache_dir is None else self.cache_dir / f"ready-{engine_version()}"

    async def prepare(self) -> None:
        """At start: if this version of the engine was never compiled into the cache, a child
        compiles it now (7-10 s, then exits), so that no coordinator waits for it."""
        if self.stamp is None or self.stamp.exists():
            return
        child = await self._spawn(asyncio.subprocess.DEVNULL)
        try:
            code = await asyncio.wait_for(child.wait(), self.timeout_seconds)
        except TimeoutError:
            log.warning("compiling the matching engine took over %g s", self.timeout_seconds)
            return
        finally:
            if child.returncode is None:
                child.kill()
                await child.wait()
        if code != 0:
            err = (await child.stderr.read()).decode(errors="replace") if child.stderr else ""
            log.warning("the matching engine could not be prepared: %s", _last_line(err))
            return
        self.stamp.touch()
        log.info("the matching engine is compiled and cached in %s", self.cache_dir)

    async def _spawn(self, stdin: int) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            self.python,
            "-m",
            CHILD,
            stdin=stdin,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._environment(),
        )

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            env["NUMBA_CACHE_DIR"] = str(self.cache_dir)
        paths = [str(PACKAGE_ROOT), *filter(None, [env.get("PYTHONPATH")])]
        env["PYTHONPATH"] = os.pathsep.join(paths)
        return env

    @asynccontextmanager
    async def ready(self) -> AsyncIterator[Solve]:
        child = await self._spawn(asyncio.subprocess.PIPE)

        async def solve(problem: Problem) -> list[Proposal]:
            sent = pickle.dumps(problem, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                out, err = await asyncio.wait_for(child.communicate(sent), self.timeout_seconds)
            except TimeoutError:
                raise SolverFailed(f"no answer within {self.timeout_seconds:g} s") from None
            if child.returncode != 0:
                why = _last_line(err.decode(errors="replace"))
                raise SolverFailed(f"the engine stopped (exit {child.returncode}): {why}")
            try:
                found = pickle.loads(out)
            except Exception as error:  # a truncated or garbled answer
                raise SolverFailed(f"the engine's answer could not be read ({error})") from None
            if not isinstance(found, list) or not all(isinstance(p, Proposal) for p in found):
                raise SolverFailed("the engine's answer was not a list of proposals")
            return found

        try:
            yield solve
        finally:
            if child.returncode is None:  # timed out, cancelled, or never asked
                child.kill()
                await child.wait()


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "no message"

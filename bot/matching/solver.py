"""Where the matching engine runs. A bot runs it in a child process that reads the waiting
list itself, solves, answers and exits (`ChildProcessSolver`), so that neither the waiting list
nor numpy, numba and the compiled passes (about 190 MB) are ever held by the bot: runs come a
few times a week. Tests may run it in their own process (`InProcessSolver`).

The child's program lives in the composition root (`bot/app/matching_child.py`: it reads the
database); the command that starts it is given to `ChildProcessSolver` there."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Protocol

from bot.domain.ports import UnitOfWorkFactory
from bot.matching.types import Pool, Proposal, Weights

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    """One run: the day (for waiting times), the seed of its tie-breaks, the weights."""

    today: date
    seed: int
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class Solution:
    """The proposals, with the names the coordinator sees for the people in them only."""

    proposals: list[Proposal]
    volunteers: dict[int, str]
    penpals: dict[int, str]


class SolverFailed(Exception):
    """The engine did not return proposals (the child crashed, was killed or timed out)."""


class Solver(Protocol):
    async def solve(self, request: Request) -> Solution:
        """Read the waiting list, run the engine, return the proposals."""
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


def solve_pool(pool: Pool, request: Request) -> Solution:
    """Run the engine on a waiting list read in this process."""
    propose = load_engine()
    found = propose(
        [v for v, _ in pool.volunteers],
        [p for p, _ in pool.penpals],
        pool.past,
        request.seed,
        request.weights,
    )
    volunteers = {p.volunteer_id for p in found}
    penpals = {p.penpal_id for p in found}
    return Solution(
        found,
        {v.id: name for v, name in pool.volunteers if v.id in volunteers},
        {p.id: name for p, name in pool.penpals if p.id in penpals},
    )


@dataclass(frozen=True)
class InProcessSolver:
    """The engine in this process, in a thread (tests; never a bot)."""

    uow: UnitOfWorkFactory

    async def solve(self, request: Request) -> Solution:
        async with self.uow() as uow:
            pool = await uow.matches.pool(request.today)
        return await asyncio.to_thread(solve_pool, pool, request)

    async def prepare(self) -> None:
        await asyncio.to_thread(load_engine)


@cache
def engine_version() -> str:
    """Names this engine's compiled code: its sources, Python's and numba's versions (read
    from the installed metadata: numba itself is not imported here)."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}-{metadata.version('numba')}".encode())
    for name in ("kernels.py", "engine.py", "_encoding.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The folder that holds the `bot` package (so the child finds it however the bot was started)."""


@dataclass(frozen=True)
class ChildProcessSolver:
    """One child process per run (`command`): the request pickled to its stdin, the solution
    pickled from its stdout. numba keeps its compiled code in `cache_dir` (created if missing),
    so that only the first run after installing compiles (7-10 s)."""

    command: Sequence[str]
    cache_dir: Path | None = None
    timeout_seconds: float = 300.0

    async def solve(self, request: Request) -> Solution:
        child = await self._spawn(asyncio.subprocess.PIPE)
        try:
            sent = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                out, err = await asyncio.wait_for(child.communicate(sent), self.timeout_seconds)
            except TimeoutError:
                raise SolverFailed(f"no answer within {self.timeout_seconds:g} s") from None
        finally:
            if child.returncode is None:  # timed out or cancelled: it must not live on
                child.kill()
                await child.wait()
        if child.returncode != 0:
            why = _last_line(err.decode(errors="replace"))
            raise SolverFailed(f"the engine stopped (exit {child.returncode}): {why}")
        try:
            found = pickle.loads(out)
        except Exception as error:  # a truncated or garbled answer
            raise SolverFailed(f"the engine's answer could not be read ({error})") from None
        if not isinstance(found, Solution):
            raise SolverFailed("the engine's answer was not a solution")
        return found

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
            _, err = await asyncio.wait_for(child.communicate(), self.timeout_seconds)
        except TimeoutError:
            log.warning("compiling the matching engine took over %g s", self.timeout_seconds)
            return
        finally:
            if child.returncode is None:
                child.kill()
                await child.wait()
        if child.returncode != 0:
            why = _last_line(err.decode(errors="replace"))
            log.warning("the matching engine could not be prepared: %s", why)
            return
        self.stamp.touch()
        log.info("the matching engine is compiled and cached in %s", self.cache_dir)

    async def _spawn(self, stdin: int) -> asyncio.subprocess.Process:
        env = dict(os.environ)
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            env["NUMBA_CACHE_DIR"] = str(self.cache_dir)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")])
        )
        return await asyncio.create_subprocess_exec(
            *self.command,
            stdin=stdin,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "no message"

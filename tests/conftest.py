"""Shared fixtures: a fake clock and units of work over a real SQLite database."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.clock import FakeClock
from bot.domain.ports import UnitOfWorkFactory
from storage.database import Database
from storage.repos import SqliteUnitOfWork

# Bots the tests start as processes keep the matching engine's compiled code where the tests'
# own bots do (systemd's variable, which an empty [matching] cache_dir follows): no process
# compiles it again at its start.
os.environ.setdefault("CACHE_DIRECTORY", str(Path(__file__).resolve().parents[1] / ".cache"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(tmp_path / "test.db")
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
async def uow_factory(sqlite_db: Database) -> AsyncIterator[UnitOfWorkFactory]:
    """The core tests' units of work: the real SQLite repositories, on a file of their own.

    There are no in-memory fakes: they covered 7 of the 11 repositories (not letters,
    announcements, concerns or privacy, whose SQL, the reminder policy's twin among it, has no
    honest in-memory equivalent), and 430 lines of them could drift from the store that
    programs really run, which must stay enough for one program anyway."""
    yield lambda: SqliteUnitOfWork(sqlite_db)


@pytest.fixture
def uow(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The same units of work, by the shorter name some tests use."""
    return uow_factory

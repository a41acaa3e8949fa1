"""Shared fixtures: a fake clock and unit-of-work factories over memory and real SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.clock import FakeClock
from bot.domain.ports import UnitOfWorkFactory
from storage.database import Database
from storage.repos import SqliteUnitOfWork
from tests.memory import MemoryStore


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
async def uow(sqlite_db: Database) -> AsyncIterator[UnitOfWorkFactory]:
    """Units of work on a real SQLite file (for features the in-memory fakes do not cover)."""
    yield lambda: SqliteUnitOfWork(sqlite_db)


@pytest.fixture(params=["memory", "sqlite"])
async def uow_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[UnitOfWorkFactory]:
    """The same tests run against the in-memory fakes and real SQLite (a contract suite)."""
    if request.param == "memory":
        yield MemoryStore()
        return
    db = await Database.open(tmp_path / "contract.db")
    try:
        yield lambda: SqliteUnitOfWork(db)
    finally:
        await db.close()

"""SQLite settings, migrations, rollback and backups on a real database file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.domain.clock import FakeClock
from storage import database
from storage.database import (
    AlreadyRunning,
    Database,
    MigrationError,
    RunnerLock,
    backup,
    connect,
    schema_version,
    upgrade,
)
from storage.repos import SqliteUnitOfWork
from tests.core.helpers import ANN, fill, service


async def test_connection_pragmas(tmp_path: Path) -> None:
    conn = await connect(tmp_path / "p.db", busy_timeout_ms=1234)
    try:
        values = {}
        for pragma in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"):
            async with conn.execute(f"PRAGMA {pragma}") as cur:
                row = await cur.fetchone()
                assert row is not None
                values[pragma] = row[0]
    finally:
        await conn.close()
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 1234,
    }


async def test_migrations_are_tracked_and_idempotent(tmp_path: Path) -> None:
    conn = await connect(tmp_path / "m.db")
    try:
        assert await schema_version(conn) == 0
        first = await upgrade(conn)
        assert first and await schema_version(conn) == len(database.migrations())
        assert await upgrade(conn) == []
    finally:
        await conn.close()


async def test_a_failing_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = database.migrations()
    broken = (
        len(real) + 1,
        "9999_broken.sql",
        "CREATE TABLE t (x);\nINSERT INTO nowhere VALUES (1);",
    )
    monkeypatch.setattr(database, "migrations", lambda: [*real, broken])
    conn = await connect(tmp_path / "f.db")
    try:
        with pytest.raises(MigrationError, match="9999_broken"):
            await upgrade(conn)
        assert await schema_version(conn) == len(real)
        async with conn.execute("SELECT name FROM sqlite_master WHERE name = 't'") as cur:
            assert await cur.fetchone() is None
    finally:
        await conn.close()


async def test_uncommitted_work_is_rolled_back(sqlite_db: Database, clock: FakeClock) -> None:
    svc = service(lambda: SqliteUnitOfWork(sqlite_db), clock)
    await svc.start(ANN)
    with pytest.raises(RuntimeError):
        async with SqliteUnitOfWork(sqlite_db) as uow:
            await uow.drafts.delete(ANN)
            raise RuntimeError("crash before commit")
    assert await svc.current(ANN) is not None


async def test_online_backup_copies_committed_data(
    sqlite_db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    svc = service(lambda: SqliteUnitOfWork(sqlite_db), clock)
    await fill(svc)
    await svc.agree(ANN)
    target = tmp_path / "backup.db"
    await backup(sqlite_db.conn, target)
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT display_name FROM volunteers").fetchall() == [("Ann Writer",)]
    finally:
        copy.close()


def test_one_running_bot_per_database(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    first = RunnerLock.take(database)
    with pytest.raises(AlreadyRunning, match="already running"):
        RunnerLock.take(database)
    other = RunnerLock.take(tmp_path / "other.db")  # another program's database is free
    first.release()
    RunnerLock.take(database).release()  # free again once the first one stopped
    other.release()


async def test_the_database_its_wal_and_backups_are_private_whatever_the_umask(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    previous = os.umask(0o022)
    try:
        path = tmp_path / "private.db"
        async with await Database.open(path) as db:
            async with SqliteUnitOfWork(db) as uow:  # a write, so the WAL holds something
                await uow.audit.add("cli", "test", "x", FakeClock().now())
                await uow.commit()
            made = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
            assert [p.stat().st_mode & 0o777 for p in made] == [0o600] * 3
            await backup(db.conn, tmp_path / "copy.db")
            (tmp_path / "old-copy.db").write_bytes(b"")  # made by hand, readable by all
            await backup(db.conn, tmp_path / "old-copy.db")
        for name in ("copy.db", "old-copy.db"):
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name
        assert "readable by others" not in caplog.text
        os.chmod(path, 0o644)  # a database from before, or copied in with cp
        async with await Database.open(path):
            pass
        assert f"readable by others although it holds personal data: {path} (644)" in caplog.text
    finally:
        os.umask(previous)

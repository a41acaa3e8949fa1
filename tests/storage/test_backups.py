"""Backups: a copy holds what was committed and is private; old copies are pruned but the newest
is always kept; a restore brings the data back, keeps what it replaced, and refuses a damaged
copy, a database that is not the bot's, and a database a bot is running on."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storage.backups import (
    RestoreRefused,
    backup_name,
    backups,
    prune,
    restore,
    take_backup,
)
from storage.database import AlreadyRunning, Database, RunnerLock

NOW = datetime(2026, 11, 30, 3, 30)


async def live(path: Path, names: list[str]) -> None:
    """A database with one audit row per name, committed."""
    async with await Database.open(path) as db:
        for name in names:
            await db.conn.execute(
                "INSERT INTO audit_log (actor, action, subject, at) VALUES (?, 'x', '', '')",
                (name,),
            )


def actors(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT actor FROM audit_log ORDER BY id")]
    finally:
        conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_copy_holds_the_data_and_is_private(tmp_path: Path) -> None:
    database = tmp_path / "penpal.db"
    await live(database, ["cora", "dana"])
    copy = await take_backup(database, tmp_path / "backups", NOW)
    assert copy == tmp_path / "backups" / "penpal-20261130-033000.db"
    assert actors(copy) == ["cora", "dana"]
    assert mode(copy) == 0o600 and mode(tmp_path / "backups") == 0o700


def test_old_copies_go_the_newest_stays_and_other_files_are_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    days = [30, 20, 15, 14, 3, 0]
    for ago in days:
        (folder / backup_name(NOW - timedelta(days=ago))).write_text("x")
    (folder / "notes.txt").write_text("mine")
    removed = prune(folder, 14, NOW)
    assert [p.name for p in removed] == [backup_name(NOW - timedelta(days=d)) for d in (30, 20, 15)]
    assert [p.name for p in backups(folder)] == [
        backup_name(NOW - timedelta(days=d)) for d in (14, 3, 0)
    ]
    assert (folder / "notes.txt").exists()
    only_old = tmp_path / "old"
    only_old.mkdir()
    (only_old / backup_name(NOW - timedelta(days=90))).write_text("x")
    assert prune(only_old, 14, NOW) == [] and len(backups(only_old)) == 1


async def test_restore_round_trip_keeps_what_it_replaced(tmp_path: Path) -> None:
    database = tmp_path / "penpal.db"
    await live(database, ["cora"])
    copy = await take_backup(database, tmp_path / "backups", NOW)
    await live(database, ["later"])  # written after the backup
    done = restore(copy, database, NOW)
    assert actors(database) == ["cora"]
    assert done.kept is not None and actors(done.kept) == ["cora", "later"]
    assert mode(database) == 0o600 and mode(done.kept) == 0o600
    async with await Database.open(database) as db:  # the bot opens it as usual
        rows = await db.conn.execute_fetchall("SELECT COUNT(*) FROM audit_log")
        assert list(rows[0]) == [1]


async def test_restore_refuses_and_changes_nothing(tmp_path: Path) -> None:
    database = tmp_path / "penpal.db"
    await live(database, ["cora"])
    copy = await take_backup(database, tmp_path / "backups", NOW)
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(copy.read_bytes()[:4096] + b"\0" * 8192)
    other = tmp_path / "other.db"
    sqlite3.connect(other).close()
    for bad, why in ((damaged, "damaged|not a usable|not a penpal"), (other, "not a penpal"),
                     (tmp_path / "missing.db", "does not exist")):  # fmt: skip
        with pytest.raises(RestoreRefused, match=why):
            restore(bad, database, NOW)
    lock = RunnerLock.take(database)  # a bot is running
    try:
        with pytest.raises(AlreadyRunning):
            restore(copy, database, NOW)
    finally:
        lock.release()
    assert actors(database) == ["cora"]
    assert kept_copies(tmp_path) == []


def kept_copies(folder: Path) -> list[Path]:
    return list(folder.glob("penpal.db.before-restore-*"))

"""Backups of the database: a nightly online copy kept for a number of days, and restoring one.

A copy is taken on a connection of its own with SQLite's online backup API, so it holds exactly
what was committed when it began and the bot's own work goes on meanwhile. Copies are private
(0600) like the database. Restoring checks the copy first and refuses while a bot holds the
database; what it replaces is kept beside it.
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite

from storage.database import PRIVATE, RunnerLock, backup, create_private

NAME = re.compile(r"^penpal-(\d{8}-\d{6})\.db$")
"""How the nightly copies are named: `penpal-YYYYMMDD-HHMMSS.db` (the time they were taken)."""


def backup_name(at: datetime) -> str:
    return f"penpal-{at:%Y%m%d-%H%M%S}.db"


def taken_at(path: Path) -> datetime | None:
    """When a copy in the backup folder was taken (None for any other file)."""
    found = NAME.match(path.name)
    return datetime.strptime(found.group(1), "%Y%m%d-%H%M%S") if found else None


def backups(folder: Path) -> list[Path]:
    """The copies in `folder`, oldest first (other files are not ours and are left alone)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and taken_at(p) is not None]
    return sorted(found, key=lambda p: p.name)


async def take_backup(database: str | Path, folder: Path, at: datetime) -> Path:
    """A copy of the database into `folder` (created private if missing), named for `at`
    (the local time of the machine's clock, without a zone)."""
    await asyncio.to_thread(folder.mkdir, mode=0o700, parents=True, exist_ok=True)
    target = folder / backup_name(at)
    source = await aiosqlite.connect(str(database))  # its own connection: committed data only
    try:
        await backup(source, target)
    finally:
        await source.close()
    return target


def prune(folder: Path, keep_days: int, now: datetime) -> list[Path]:
    """Delete copies taken more than `keep_days` days before `now`; the newest copy is always
    kept, however old (a bot that was down for weeks still has its last one)."""
    copies = backups(folder)
    removed = []
    for path in copies[:-1]:
        when = taken_at(path)
        if when is not None and when < now - timedelta(days=keep_days):
            path.unlink()
            removed.append(path)
    return removed


class RestoreRefused(Exception):
    """The copy cannot be restored (the message says why, for the person at the terminal)."""


@dataclass(frozen=True)
class Restored:
    source: Path
    database: Path
    kept: Path | None  # the database as it was before, kept beside it


def check_copy(path: Path) -> int:
    """The copy's schema version, after checking that it is a whole penpal-bot database."""
    if not path.is_file():
        raise RestoreRefused(f"{path} does not exist")
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as error:
        raise RestoreRefused(f"{path} cannot be opened: {error}") from None
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise RestoreRefused(f"{path} is damaged: {result[0][0]}")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(f"{path} is not a usable database: {error}") from None
    finally:
        conn.close()
    if version == 0 or not {"volunteers", "penpals", "matches", "outbox"} <= tables:
        raise RestoreRefused(f"{path} is not a penpal-bot database")
    return version


def restore(source: Path, database: Path, now: datetime) -> Restored:
    """Replace the database with a checked copy, while no bot runs (its lock is held for the
    whole restore, so none can start meanwhile). The database as it was is kept beside it as
    `DATABASE.before-restore-YYYYMMDD-HHMMSS` (0600)."""
    check_copy(source)
    lock = RunnerLock.take(database)  # AlreadyRunning if a bot holds it
    try:
        kept: Path | None = None
        if database.exists():
            kept = database.with_name(f"{database.name}.before-restore-{now:%Y%m%d-%H%M%S}")
            _copy(database, kept)
        create_private(database)
        _copy(source, database)
        return Restored(source, database, kept)
    finally:
        lock.release()


def _copy(source: Path, target: Path) -> None:
    """SQLite's backup API, file to file (the target's WAL is folded in and emptied)."""
    if not create_private(target):
        os.chmod(target, PRIVATE)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        dst.close()
        src.close()

"""Opening the SQLite database with safe settings, migrating it, and backing it up."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import sqlite3
import stat
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import aiosqlite

log = logging.getLogger(__name__)

PRIVATE = 0o600
"""The mode of every file holding personal data: its owner may read and write it, nobody else."""


def create_private(path: str | Path) -> bool:
    """Create `path` empty with mode 0600 whatever the umask, if it does not exist yet; True
    if it was created. SQLite gives the WAL and shared-memory files the database's own mode."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        return False
    try:
        os.fchmod(descriptor, PRIVATE)  # the umask may have taken bits away, never added them
    finally:
        os.close(descriptor)
    return True


def warn_if_shared(path: str | Path) -> bool:
    """Log a warning when others than the owner may read or write the database or its WAL and
    shared-memory files (made before the bot created them private); True if so."""
    loose = []
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        try:
            mode = stat.S_IMODE(os.stat(name).st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            loose.append(f"{name} ({mode:o})")
    if loose:
        log.warning(
            "readable by others although it holds personal data: %s; fix it with `chmod 600 %s*`",
            ", ".join(loose),
            path,
        )
    return bool(loose)


class AlreadyRunning(Exception):
    """Another bot process is running on this database."""

    def __init__(self, database: str | Path) -> None:
        super().__init__(f"another penpal-bot is already running on {database}")


class RunnerLock:
    """One running bot per database, held by an exclusive lock on `DATABASE.lock` until
    `release` (or the process's death: the kernel drops the lock of a killed process). Only
    the running bot sends, so what a previous process had claimed is safe to give back."""

    def __init__(self, handle: IO[bytes] | None) -> None:
        self._handle = handle

    @classmethod
    def take(cls, database: str | Path) -> RunnerLock:
        if str(database) == ":memory:":
            return cls(None)
        handle = open(f"{database}.lock", "ab")  # noqa: SIM115 (held open while the bot runs)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise AlreadyRunning(database) from None
        return cls(handle)

    def release(self) -> None:
        if self._handle is not None:
            handle, self._handle = self._handle, None
            handle.close()  # closing the file drops the lock


class MigrationError(Exception):
    """A migration failed; the database stays at the previous version."""


def migrations() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped in storage/migrations, as (version, name, sql)."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


async def connect(path: str | Path, busy_timeout_ms: int = 5000) -> aiosqlite.Connection:
    """Open a connection in WAL mode with full sync, foreign keys and a busy timeout. A new
    database file is created private (0600), an existing one that is not gets a warning."""
    if str(path) != ":memory:" and not create_private(path):
        warn_if_shared(path)
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = FULL")
        await conn.execute("PRAGMA foreign_keys = ON")
        # Deleted and overwritten content is zeroed, not just unlinked: after /forgetme her
        # name and ids must not survive in free pages or free space inside pages.
        await conn.execute("PRAGMA secure_delete = ON")
    except BaseException:
        await conn.close()
        raise
    return conn


async def schema_version(conn: aiosqlite.Connection) -> int:
    """The migration version recorded in `PRAGMA user_version`."""
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def upgrade(conn: aiosqlite.Connection) -> list[str]:
    """Apply every migration newer than the database, each in its own transaction."""
    applied = []
    current = await schema_version(conn)
    for version, name, sql in migrations():
        if version <= current:
            continue
        statements = [s for s in sqlite3_split(sql) if s.strip()]
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {version}")
        except sqlite3.Error as exc:
            await conn.execute("ROLLBACK")
            raise MigrationError(f"migration {name} failed: {exc}") from exc
        await conn.execute("COMMIT")
        applied.append(name)
    return applied


def sqlite3_split(script: str) -> list[str]:
    """Split a SQL script into complete statements (comments and semicolons in strings kept)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer)
            buffer = ""
    if buffer.strip():
        statements.append(buffer)
    return statements


async def backup(conn: aiosqlite.Connection, target: str | Path) -> None:
    """Copy the live database to `target` with SQLite's online backup API; the copy is as
    private as the database (0600)."""
    if not create_private(target):
        os.chmod(target, PRIVATE)  # about to hold personal data
    destination = await aiosqlite.connect(str(target))
    try:
        await conn.backup(destination)
    finally:
        await destination.close()


class Database:
    """The one connection of the process, with a lock so each unit of work runs alone."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self.lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path, busy_timeout_ms: int = 5000) -> Database:
        """Connect and bring the schema up to date."""
        conn = await connect(path, busy_timeout_ms)
        try:
            await upgrade(conn)
        except BaseException:
            await conn.close()
            raise
        return cls(conn)

    async def scrub(self) -> bool:
        """Copy every WAL frame into the database file and truncate the WAL to nothing, so that
        old page images (which may hold erased data) leave the disk. False if a reader held
        the WAL open and it could not be emptied."""
        async with self.lock:
            rows = await self.conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
        busy = next(iter(rows))[0] if rows else 1
        return int(busy) == 0

    async def close(self) -> None:
        """Close the connection (an open aiosqlite connection keeps the interpreter alive)."""
        await self.conn.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

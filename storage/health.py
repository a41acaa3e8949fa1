"""What `penpal-bot status` and the health page read about a bot: its loops' heartbeats, the
outbox, the database's size, and whether a bot holds the database. Read-only, from any process.
"""

from __future__ import annotations

import fcntl
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage._common import from_ts, ts
from storage.database import Database


async def beat(db: Database, name: str, at: datetime) -> None:
    """Record that a loop of the running bot completed now."""
    async with db.lock:
        await db.conn.execute(
            "INSERT INTO heartbeats (name, at) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET at = excluded.at",
            (name, ts(at)),
        )


def bot_running(database: str | Path) -> bool:
    """Whether a bot holds the database's lock (asked without taking it for long: a shared
    lock is tried and dropped at once; a running bot holds it exclusively)."""
    lock = Path(f"{database}.lock")
    if not lock.exists():
        return False
    with lock.open("rb") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return False


@dataclass(frozen=True)
class Facts:
    """The database's side of a bot's health, at `now`."""

    heartbeats: dict[str, datetime]
    waiting: int  # pending messages whose time has come
    waiting_since: datetime | None  # the oldest of them was due then
    later: int  # pending messages due in the future (reminders at their hour)
    leased: int  # claimed by a sender right now
    failed: int
    failed_since: datetime | None  # the oldest failure's creation
    size_bytes: int  # the database and its write-ahead log


def read_facts(database: str | Path, now: datetime) -> Facts:
    """Read the facts; the database must exist (it is never created or changed here)."""
    path = Path(database)
    if not path.is_file():
        raise FileNotFoundError(f"no database at {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
    except sqlite3.OperationalError:  # no bot has it open: its WAL index may be missing
        conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        beats = (
            {name: from_ts(at) for name, at in conn.execute("SELECT name, at FROM heartbeats")}
            if "heartbeats" in tables
            else {}
        )
        stamp = ts(now)
        waiting, oldest = conn.execute(
            "SELECT COUNT(*), MIN(due_at) FROM outbox WHERE status = 'pending' AND due_at <= ?",
            (stamp,),
        ).fetchone()
        (later,) = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND due_at > ?", (stamp,)
        ).fetchone()
        (leased,) = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND lease_until > ?", (stamp,)
        ).fetchone()
        failed, failed_first = conn.execute(
            "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'failed'"
        ).fetchone()
    finally:
        conn.close()
    wal = Path(f"{path}-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return Facts(
        beats,
        int(waiting),
        from_ts(oldest) if oldest else None,
        int(later),
        int(leased),
        int(failed),
        from_ts(failed_first) if failed_first else None,
        size,
    )

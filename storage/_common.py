"""Shared helpers of the SQLite repositories: timestamps as text, one-row queries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import aiosqlite


def ts(value: datetime) -> str:
    """Store an aware datetime as fixed-width ISO-8601 UTC text (sorts correctly as text)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    # isoformat is a little cheaper than strftime; without tzinfo it ends with the micros.
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_ts(value: str) -> datetime:
    """Read a timestamp written by `ts`."""
    return datetime.fromisoformat(value).astimezone(UTC)


def day_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def one_row(
    conn: aiosqlite.Connection, sql: str, args: tuple[Any, ...] | dict[str, Any] = ()
) -> aiosqlite.Row | None:
    """The first row of a query, in one trip to the database thread (a cursor takes three)."""
    rows = list(await conn.execute_fetchall(sql, args))
    return rows[0] if rows else None


def like_pattern(text: str) -> str:
    """`text` anywhere in a column, for `LIKE ? ESCAPE '\\'` (its own % and _ taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

"""Clocks: every "now" in the core comes from one of these, always timezone-aware UTC."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to: for tests and the sandbox demo."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (never back)."""
        if delta < timedelta(0):
            raise ValueError("time only moves forward")
        self._now += delta


class FileClock:
    """The sandbox's clock: the time written in a file (ISO 8601, UTC), which the sandbox demo
    moves forward while the real bot process runs. Never used with a real platform."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._seen: tuple[tuple[int, int, int], datetime] | None = None

    def now(self) -> datetime:
        found = os.stat(self.path)  # two writes within one clock tick share an mtime: not only
        stamp = (found.st_ino, found.st_mtime_ns, found.st_size)  # it tells a change
        if self._seen is None or self._seen[0] != stamp:
            with open(self.path, encoding="utf-8") as handle:
                moment = datetime.fromisoformat(handle.read().strip())
            if moment.tzinfo is None:
                raise ValueError("the sandbox clock file needs a time with its offset")
            self._seen = (stamp, moment.astimezone(UTC))
        return self._seen[1]

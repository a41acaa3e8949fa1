"""The sandbox's clock: the demo moves time by writing a file that the real bot reads."""

from __future__ import annotations

import os
from datetime import UTC, datetime


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

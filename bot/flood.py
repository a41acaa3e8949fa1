"""Flood control: one person sending command after command is slowed down, so she cannot
starve everyone else. A sliding window per account, in memory (a restart forgets it)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    """What to do with one more update from someone."""

    OK = "ok"
    WARN = "warn"  # over the limit: tell her to slow down (once a window on Telegram)
    DROP = "drop"  # over the limit and told already: ignore it


@dataclass
class FloodGuard:
    """At most `limit` updates per `window` seconds per account. Counted in real seconds
    (`now`, monotonic): a burst is a matter of the wall clock, not of the program's dates."""

    limit: int = 20
    window: float = 10.0
    now: Callable[[], float] = time.monotonic
    _times: dict[str, deque[float]] = field(default_factory=dict)
    _warned: dict[str, float] = field(default_factory=dict)
    seen: int = 0
    """Updates and interactions looked at since the process started (every one passes here)."""

    def check(self, who: str) -> Verdict:
        self.seen += 1
        now = self.now()
        since = now - self.window
        times = self._times.setdefault(who, deque())
        while times and times[0] <= since:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return Verdict.OK
        warned = self._warned.get(who)
        if warned is not None and warned > since:
            return Verdict.DROP
        self._warned[who] = now
        if len(self._times) > 10_000:
            self._forget(since)
        return Verdict.WARN

    def _forget(self, since: float) -> None:
        """Drop everyone quiet for a whole window (keeps the memory bounded)."""
        for who in [w for w, t in self._times.items() if not t or t[-1] <= since]:
            del self._times[who]
            self._warned.pop(who, None)

"""Benchmark: what the gazetteer behind typed time zones costs the bot: the time to build it
(once per process, in a child process), the memory the bot keeps, and a lookup's time.

    .venv/bin/python benchmarks/gazetteer.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TYPED = ("Houston", "Ciudad de México", "Portland", "Portland, Maine", "CST", "UTC-5",
         "Bogota", "Córdoba", "America/Chicago", "Narnia")  # fmt: skip


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20


def main() -> None:
    from bot.domain import gazetteer, timezones

    before = rss_mb()
    started = time.perf_counter()
    gazetteer.gazetteer()
    built = time.perf_counter() - started
    gc.collect()
    kept = rss_mb() - before
    now = datetime.now(UTC)
    timezones.find_zone("UTC-5", now)  # the zones' largest cities, listed once
    times = []
    for _ in range(20):
        for typed in TYPED:
            started = time.perf_counter()
            timezones.find_zone(typed, now)
            times.append(time.perf_counter() - started)
    print(f"build (child process) and load: {built:.2f} s; memory kept by the bot: {kept:.1f} MB")
    print(f"lookups of {len(TYPED)} typical answers x 20: median {statistics.median(times) * 1e3:.2f} "
          f"ms, max {max(times) * 1e3:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()

"""The sandbox's file clock: every move of the demo is seen, even two within one clock tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sandbox.clock import FileClock


def test_the_file_clock_sees_every_move(tmp_path: Path) -> None:
    path = tmp_path / "clock.txt"
    start = datetime(2026, 3, 2, 14, tzinfo=UTC)
    path.write_text(start.isoformat())
    clock = FileClock(str(path))
    assert clock.now() == start
    for days in range(1, 6):  # far faster than the file system's timestamp resolution
        fresh = tmp_path / "clock.new"
        fresh.write_text((start + timedelta(days=days)).isoformat())
        fresh.replace(path)
        assert clock.now() == start + timedelta(days=days)
    path.write_text("2026-03-02T14:00:00")
    with pytest.raises(ValueError):
        clock.now()

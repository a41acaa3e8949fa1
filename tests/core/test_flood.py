"""Flood control: a sliding window per person; told once per window, then ignored."""

from __future__ import annotations

from bot.flood import FloodGuard, Verdict


def test_a_burst_is_slowed_down_and_others_are_not() -> None:
    now = [0.0]
    guard = FloodGuard(limit=3, window=10.0, now=lambda: now[0])
    assert [guard.check("eve") for _ in range(5)] == [
        Verdict.OK, Verdict.OK, Verdict.OK, Verdict.WARN, Verdict.DROP,
    ]  # fmt: skip
    assert guard.check("ann") is Verdict.OK  # someone else is not affected
    now[0] = 9.9
    assert guard.check("eve") is Verdict.DROP
    now[0] = 10.1  # the first three are out of the window
    assert [guard.check("eve") for _ in range(4)] == [
        Verdict.OK, Verdict.OK, Verdict.OK, Verdict.WARN,
    ]  # fmt: skip


def test_memory_stays_bounded() -> None:
    now = [0.0]
    guard = FloodGuard(limit=1, window=1.0, now=lambda: now[0])
    for n in range(10_001):
        guard.check(f"user{n}")
    now[0] = 5.0
    guard.check("user0")
    guard.check("user0")  # over the limit: a warning, and the quiet ones are forgotten
    assert len(guard._times) == 1

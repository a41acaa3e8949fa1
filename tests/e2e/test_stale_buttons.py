"""Stale and forged volunteer buttons on Telegram: buttons that point to a match that has
ended, callback data that was never issued, and someone else's buttons all get "this menu has
expired" (or nothing happens) and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import FakeClock
from bot.config import Config
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import COORDINATOR, query, running, tokens_for
from tests.e2e.test_letters import move_to, sweep
from tests.e2e.test_matching import ann_matched_on_telegram, seed_registry
from tests.e2e.test_telegram_signup import ANN, EVE, say

START = datetime(2026, 11, 28, 12, tzinfo=UTC)


async def test_buttons_of_an_ended_match_or_never_issued_expire_and_change_nothing(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), clock) as app:
        await ann_matched_on_telegram(tg)
        await say(tg, ANN, "/letter received")
        move_to(clock, datetime(2026, 12, 8, 15, tzinfo=UTC))
        assert await sweep(app) == 1
        nudge = await tg.next_sent(ANN.id)
        ended = await say(tg, COORDINATOR, "/coord end 1 coordinator decision")
        assert "back on the waiting list" in ended.text
        before = query(db_path, "SELECT COUNT(*) FROM letters"), query(
            db_path, "SELECT COUNT(*) FROM snoozes")  # fmt: skip
        for label in ("I've replied", "Remind me in a few days"):
            pressed = await tg.user_presses(ANN, nudge, nudge.button(label)["callback_data"])
            assert "expired" in (await tg.callback_answer(pressed))["text"], label
        for data in ("lt:r:1:-", "lt:s:999:2026-12-01", "ls:1", "rp:999", "sn:999",
                     "cn:k:999:money", "cn:m:999:1", "lv:go:1:1:time", "fg:999", "pf:signal",
                     "pg:nothing:0:", "xx:1", "su:bogus"):  # fmt: skip
            pressed = await tg.user_presses(ANN, nudge, data)
            answer = (await tg.callback_answer(pressed)).get("text", "")
            assert "expired" in answer or "haven't signed up" in answer or answer == "", data
            pressed = await tg.user_presses(EVE, nudge, data)
            await tg.callback_answer(pressed)
        after = query(db_path, "SELECT COUNT(*) FROM letters"), query(
            db_path, "SELECT COUNT(*) FROM snoozes")  # fmt: skip
        assert after == before
        assert query(db_path, "SELECT status FROM matches WHERE id = 1") == [("ended",)]

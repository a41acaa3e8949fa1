"""Stale and forged volunteer buttons on Telegram and Discord: buttons that point to a match that has
ended, callback data that was never issued, and someone else's buttons all get "this menu has
expired" (or nothing happens) and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import (
    COORDINATOR,
    discord_coordinator,
    query,
    running,
    tokens_for,
    with_button,
)
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    EVE,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    as_posted,
    move_to,
    say,
    seed_registry,
    sweep,
)

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


async def test_discord_buttons_of_an_ended_match_or_never_issued_expire(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    coordinator = discord_coordinator(dc)
    eve = Member(310000000000000002, "eve")
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc), clock) as app:
        await ann_matched_on_discord(dc, coordinator)
        await dc.slash(DISCORD_ANN, "letter", [{"type": 1, "name": "received", "options": []}])
        move_to(clock, datetime(2026, 12, 8, 9, tzinfo=UTC))
        mark = len(dc.posted)
        assert await sweep(app) == 1
        nudge = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        ended = as_posted(await dc.slash(coordinator, "coord", [{"type": 1, "name": "end",
            "options": [{"type": 4, "name": "match", "value": 1},
                        {"type": 3, "name": "reason", "value": "coordinator decision"}]}]))  # fmt: skip
        assert "back on the waiting list" in ended.content
        before = query(db_path, "SELECT COUNT(*) FROM letters"), query(
            db_path, "SELECT COUNT(*) FROM snoozes")  # fmt: skip
        for custom_id in nudge.custom_ids():
            answer = as_posted(await dc.click(DISCORD_ANN, nudge, custom_id))
            assert "expired" in answer.content, custom_id
        for custom_id in ("penpal:letter:r:1:-", "penpal:letter:h:999:-", "penpal:rem:rp:999",
                          "penpal:rem:sn:999", "penpal:concern:k:999:money",
                          "penpal:concern:m:999:1", "penpal:leave:go:1:1:time",
                          "penpal:leave:t:9:1:", "penpal:forget:999", "penpal:browse:req:1"):  # fmt: skip
            for member in (DISCORD_ANN, eve):
                answer = as_posted(await dc.click(member, with_button(nudge, custom_id), custom_id))
                text = answer.content  # in her DM, or ephemeral
                assert answer.ephemeral or answer.channel_id == nudge.channel_id
                assert any(
                    words in text
                    for words in ("expired", "haven't signed up", "no active pen pal", "browse")
                ), (member.name, custom_id, text)
        after = query(db_path, "SELECT COUNT(*) FROM letters"), query(
            db_path, "SELECT COUNT(*) FROM snoozes")  # fmt: skip
        assert after == before

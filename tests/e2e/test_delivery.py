"""The delivery engine against the fake platforms: a 429 is honoured and nothing is dropped; a
volunteer who blocked the bot is reported once; closed Discord DMs become a mention that says
only "check your DM settings"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Config
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.test_discord_signup import ANN as DISCORD_ANN
from tests.e2e.test_letters import START, move_to, sweep
from tests.e2e.test_matching import (
    ann_matched_on_discord,
    ann_matched_on_telegram,
    assert_no_canary,
    seed_registry,
)
from tests.e2e.test_telegram_signup import ANN, say


async def test_telegram_429_is_honoured_and_a_blocked_volunteer_is_reported_once(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), clock) as app:
        assert app.services is not None
        await ann_matched_on_telegram(tg)
        await say(tg, ANN, "/letter received")
        move_to(clock, datetime(2026, 12, 8, 15, tzinfo=UTC))
        tg.flood.append(3)
        assert await sweep(app) == 1
        await app.services.outbox.close()
        assert ("sendMessage", 429) in tg.refused
        assert query(db_path, "SELECT status FROM outbox WHERE message_key LIKE 'reminder.%'") == [
            ("pending",)
        ]
        clock.advance(timedelta(seconds=2))
        assert await app.services.outbox.run_once() == 0  # still inside retry_after
        clock.advance(timedelta(seconds=1))
        assert await app.services.outbox.run_once() == 1
        nudge = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "Your reply is due by 2026-12-12" in nudge
        sent = query(db_path, "SELECT status, attempts FROM outbox WHERE message_key LIKE 'rem%'")
        assert sent == [("sent", 1)]  # once, and the 429 did not count as a failed attempt

        tg.blocked.add(ANN.id)
        move_to(clock, datetime(2026, 12, 12, 15, tzinfo=UTC))
        assert await sweep(app) == 1
        await app.services.outbox.close()
        report = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert "I could not reach Ann Writer on telegram" in report
        move_to(clock, datetime(2026, 12, 19, 15, tzinfo=UTC))
        assert await sweep(app) == 1  # the overdue alert; her own reminder is not due again
        await app.services.outbox.close()
        assert "Overdue reply" in (await tg.next_sent(COORDINATOR.id)).text
        reports = query(db_path, "SELECT COUNT(*) FROM outbox WHERE message_key = ?",
                        "coord.delivery_failed")  # fmt: skip
        assert reports == [(1,)]
        assert query(db_path, "SELECT status FROM outbox WHERE target_id = ? AND "
                     "message_key LIKE 'reminder.%' ORDER BY id", str(ANN.id)) == [
            ("sent",), ("failed",)
        ]  # fmt: skip


async def test_discord_closed_dms_become_a_mention_without_details(
    dc: FakeDiscord,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    clock = FakeClock(START)
    coordinator = discord_coordinator(dc)
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc), clock) as app:
        assert app.services is not None
        await ann_matched_on_discord(dc, coordinator)
        await dc.slash(DISCORD_ANN, "letter", [{"type": 1, "name": "received", "options": []}])
        dc.closed_dms.add(DISCORD_ANN.id)
        move_to(clock, datetime(2026, 12, 8, 9, tzinfo=UTC))
        mark = len(dc.posted)
        assert await sweep(app) == 1
        mention = await dc.next_posted("channel", channel_id=dc.reminders_channel_id, after=mark)
        assert mention.content.startswith(f"<@{DISCORD_ANN.id}> you have a reminder")
        assert "Vella" not in mention.content and "2026-12-12" not in mention.content
        assert mention.allowed_mentions == {"parse": [], "users": [DISCORD_ANN.id]}
        report = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert "I could not reach **Ann Writer** on discord" in report.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert_no_canary(public)

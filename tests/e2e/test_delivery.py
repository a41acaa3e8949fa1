"""The delivery engine against the fake platforms: a 429 is honoured and nothing is dropped; a
volunteer who blocked the bot is reported once; closed Discord DMs become a mention that says
only "check your DM settings"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.app.config import Config, SchedulerConfig
from bot.domain.clock import FakeClock, SystemClock
from bot.domain.models import NewOutbound, Platform, TargetKind
from sandbox.bot_process import FIRST_RECIPIENT, copies, seed_volunteers
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from storage.database import Database
from storage.repos import SqliteUnitOfWork
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    START,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    as_posted,
    assert_no_canary,
    move_to,
    press,
    say,
    seed_registry,
    sweep,
)


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
        tg.flood.append(1)
        assert await sweep(app) == 1
        await app.services.outbox.settled()  # it waited the second out, then sent
        assert ("sendMessage", 429) in tg.refused
        nudge = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "Your reply is due by Saturday 12 December" in nudge
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
        assert "Vella" not in mention.content and "Saturday 12 December" not in mention.content
        assert mention.allowed_mentions == {"parse": [], "users": [DISCORD_ANN.id]}
        report = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert "I could not reach **Ann Writer** on discord" in report.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert_no_canary(public)


def first_accepted_send_after(tg: FakeTelegram, index: int) -> int:
    refused = {i for i, _ in tg.refused_calls}
    return next(i for i in range(index + 1, len(tg.calls))
                if tg.calls[i][0] == "sendMessage" and i not in refused)  # fmt: skip


async def test_after_a_telegram_429_in_a_broadcast_the_next_copy_goes_out_within_2_s(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    config = make_config(tg=tg)
    assert config.scheduler.dispatch_interval_seconds == 30  # the timed job will not help
    async with running(config, tokens_for(tg=tg)):
        seed_volunteers(db_path, 40)
        tg.flood_chats[FIRST_RECIPIENT + 20] = 1  # the 21st copy: 429, retry after 1 s
        preview = await say(tg, COORDINATOR, "/coord broadcast all\nLetter night on Thursday")
        await press(tg, COORDINATOR, preview, "Send")
        await tg.wait_until(lambda: len(copies(tg)) == 40, timeout=10)
    [refused] = [i for i, status in tg.refused_calls if status == 429]
    resumed = first_accepted_send_after(tg, refused)
    waited = tg.call_times[resumed] - tg.call_times[refused]
    assert 1.0 <= waited < 2.0  # the wait was honoured, and no longer
    assert sorted(copies(tg).values()) == [1] * 40  # nobody twice, nobody missed


async def test_after_a_discord_429_in_a_broadcast_the_next_copy_goes_out_within_2_s(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    coordinator = discord_coordinator(dc)
    options = [{"type": 1, "name": "broadcast", "options": [
        {"type": 3, "name": "audience", "value": "all"},
        {"type": 3, "name": "text", "value": "Letter night on Thursday"}]}]  # fmt: skip
    async with running(make_config(dc=dc), tokens_for(dc=dc)):
        seed_volunteers(db_path, 20, platform="discord")
        preview = as_posted(await dc.slash(coordinator, "coord", options))
        mark = len(dc.posted)
        dc.rate_limited_posts.append(1.0)
        await dc.click(coordinator, preview,
                       "penpal:bc:send:" + preview.custom_ids()[0].split(":")[-1])  # fmt: skip
        await dc.wait_until(lambda: sum(p.where == "dm" for p in dc.posted[mark:]) == 20, 10)
    [refused] = dc.rate_limited
    resumed = next(i for i in range(refused + 1, len(dc.requests))
                   if dc.requests[i][0] == "POST" and dc.requests[i][1].endswith("/messages"))  # fmt: skip
    waited = dc.request_times[resumed] - dc.request_times[refused]
    assert 1.0 <= waited < 2.0
    assert len({p.channel_id for p in dc.posted[mark:] if p.where == "dm"}) == 20


async def test_a_long_discord_wait_pauses_discord_only_and_costs_no_attempt(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc)) as app:
        assert app.services is not None
        seed_volunteers(db_path, 3, platform="discord")
        seed_volunteers(db_path, 3)
        dc.rate_limited_posts.append(45.0)  # longer than discord.py sits out
        preview = await say(tg, COORDINATOR, "/coord broadcast all\nLetter night on Thursday")
        await press(tg, COORDINATOR, preview, "Send")
        await tg.wait_until(lambda: len(copies(tg)) == 3, timeout=10)  # Telegram went on
        await dc.wait_until(lambda: len(dc.rate_limited) == 1, timeout=10)
        await app.services.outbox.close()
        waiting = query(db_path, "SELECT status, attempts FROM outbox WHERE platform = 'discord' "
                        "AND message_key LIKE 'announcement%'")  # fmt: skip
        assert waiting == [("pending", 0)] * 3  # paused for 45 s, nothing lost or failed
    assert "discord asked to wait 45.0 s" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_restart_keeps_the_gap_to_a_chat_the_killed_process_had_just_sent_to(
    make_config: Callable[..., Config], db_path: Path
) -> None:
    """Telegram allows about one message a second per chat. A process killed between a send and
    its record leaves the row claimed; the next process must not send it again within that
    second (the server here answers 429 as Telegram does)."""
    tg = FakeTelegram(limits=True)
    await tg.start()
    try:
        config = replace(make_config(tg=tg), scheduler=SchedulerConfig(flood_limit=10_000))
        async with await Database.open(db_path) as db:
            clock = SystemClock()
            async with SqliteUnitOfWork(db) as uow:
                await uow.outbox.add(
                    NewOutbound(Platform.TELEGRAM, TargetKind.USER, str(FIRST_RECIPIENT),
                                "announcement", {"text": "Letter night"}, private=True),
                    due_at=clock.now(), now=clock.now(),
                )  # fmt: skip
                await uow.outbox.claim([Platform.TELEGRAM], clock.now(),
                                       clock.now() + timedelta(minutes=5), "dead", 1)  # fmt: skip
                await uow.commit()
        async with aiohttp.ClientSession() as session:  # the dead process's copy arrives
            await session.post(f"{tg.base_url}{tg.token}/sendMessage",
                               json={"chat_id": FIRST_RECIPIENT, "text": "Letter night"})  # fmt: skip
        async with running(config, tokens_for(tg=tg), SystemClock()):
            await tg.wait_until(lambda: copies(tg).get(FIRST_RECIPIENT) == 2, timeout=10)
        assert tg.refused_calls == []
        sends = [t for (name, _), t in zip(tg.calls, tg.call_times, strict=True)
                 if name == "sendMessage"]  # fmt: skip
        assert sends[1] - sends[0] >= 1.0
    finally:
        await tg.stop()

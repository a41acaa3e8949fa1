"""The canary test: a pen pal with a unique committed name, ID number and address goes through
matching, letters, reminders, the overdue escalation, a transfer, a release and the export,
with both platforms running in one process. Her details reach her volunteer privately, and
never a Discord guild-channel message that is not ephemeral, a Telegram group chat, or a log
line; neither do the bot tokens."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app.config import Config
from bot.domain.clock import FakeClock
from bot.domain.models import Actor, Platform
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    CANARY_ADDRESS,
    CANARY_ID,
    ann_matched_on_telegram,
    as_posted,
    assert_no_canary,
    move_to,
    say,
    seed_registry,
    sweep,
)

START = datetime(2026, 11, 28, 12, tzinfo=UTC)


async def test_the_canary_pen_pal_never_leaves_private_places(
    tg: FakeTelegram,
    dc: FakeDiscord,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    clock = FakeClock(START)
    coordinator = discord_coordinator(dc)
    config = make_config(tg=tg, dc=dc, approval=False)
    async with running(config, tokens_for(tg=tg, dc=dc), clock) as app:
        await ann_matched_on_telegram(tg)  # the mailing details reach Ann privately
        history = [m.text for m in tg.messages.values() if m.chat_id == ANN.id]
        assert any(CANARY_ID in text for text in history)

        await say(tg, ANN, "/letter received")
        move_to(clock, datetime(2026, 12, 8, 15, tzinfo=UTC))  # the nudge, 09:00 in Chicago
        assert await sweep(app) == 1
        assert "Your reply is due by" in (await tg.next_sent(ANN.id)).text
        move_to(clock, datetime(2026, 12, 19, 15, tzinfo=UTC))  # a week past the due day
        assert await sweep(app) >= 1
        alert = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id)
        while "Overdue reply" not in alert.content:
            alert = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id,
                                         after=dc.posted.index(alert) + 1)  # fmt: skip

        told = await tg.next_sent(COORDINATOR.id)
        while "Overdue reply" not in told.text:
            told = await tg.next_sent(COORDINATOR.id)
        tg.pending(COORDINATOR.id)
        moved = await say(tg, COORDINATOR, f"/coord transfer 1 {CANARY_ID}-NEW Canary Facility")
        assert "new address" in moved.text
        note = html_to_text((await tg.next_sent(ANN.id)).text)
        while "moved to another facility" not in note:
            note = html_to_text((await tg.next_sent(ANN.id)).text)
        assert f"{CANARY_ID}-NEW" in note and CANARY_ADDRESS in note  # privately, to Ann
        released = await say(tg, COORDINATOR, "/coord release 1 2026-12-20")
        assert "released" in released.text.casefold()

        assert app.services is not None
        rows = await app.services.registry.export_penpals(Actor(Platform.TELEGRAM, "900").label)
        assert any(CANARY_ID in str(row) for row in rows)  # the export file has her data
        for name in ("stats", "audit"):
            listing = as_posted(await dc.slash(coordinator, "coord", [
                {"type": 1, "name": name, "options": []}]))  # fmt: skip
            assert listing.ephemeral

    public_discord = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert any("Overdue reply" in text for text in public_discord)
    assert_no_canary(public_discord)
    groups = [m.text for m in tg.messages.values() if m.chat_id < 0]
    assert_no_canary(groups)
    logged = [record.getMessage() for record in caplog.records]
    logged += [record.exc_text or "" for record in caplog.records]
    assert len(logged) > 20
    assert_no_canary(logged)
    for token in (tg.token, dc.token):
        assert not any(token in line for line in logged), "a bot token reached the logs"

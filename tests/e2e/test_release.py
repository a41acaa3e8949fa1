"""A release date end to end on both platforms: a coordinator sets it, her volunteer is told
shortly before, and on the day the match ends as released with the program's guidance (no
closing letter asked for), privately."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    START,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    as_posted,
    move_to,
    say,
    seed_registry,
)


async def test_telegram_a_release_date_set_told_and_carried_out(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), clock) as app:
        await ann_matched_on_telegram(tg)
        day = (START + timedelta(days=5)).date().isoformat()
        told = html_to_text((await say(tg, COORDINATOR, f"/coord releasedate 1 {day}")).text)
        assert told.startswith("Vella (#1) is expected to be released on Thursday 3 December")
        assert await app.services.releases.daily() == 1
        soon = html_to_text((await tg.next_sent(ANN.id)).text)
        assert soon.startswith("Vella is expected to be released on Thursday 3 December.")
        assert "is expected to be released" in html_to_text(
            (await tg.next_sent(COORDINATOR.id)).text
        )
        move_to(clock, START + timedelta(days=5, hours=3))
        assert await app.services.releases.daily() == 1
        ended = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "she has been released" in ended and "closing letter" not in ended
        guidance = html_to_text((await tg.next_sent(ANN.id)).text)
        assert guidance.startswith("After her release, please don't write to her prison address")
    assert query(db_path, "SELECT status FROM penpals WHERE id = 1") == [("released",)]
    assert query(db_path, "SELECT end_reason FROM matches WHERE penpal_id = 1") == [("released",)]


async def test_discord_the_release_notices_are_private(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    clock = FakeClock(START)
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc), clock) as app:
        await ann_matched_on_discord(dc, coordinator)
        day = (START + timedelta(days=3)).date().isoformat()
        set_date = [{"type": 2, "name": "penpal", "options": [
            {"type": 1, "name": "releasedate", "options": [
                {"type": 4, "name": "penpal", "value": 1},
                {"type": 3, "name": "date", "value": day}]}]}]  # fmt: skip
        told = as_posted(await dc.slash(coordinator, "coord", set_date))
        assert told.ephemeral and "expected to be released on Tuesday 1 December" in told.content
        mark = len(dc.posted)
        await app.services.releases.daily()
        soon = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "**Vella** is expected to be released on Tuesday 1 December" in soon.content
        move_to(clock, START + timedelta(days=3, hours=1))
        mark = len(dc.posted)
        await app.services.releases.daily()
        await app.services.outbox.run_once()
        ended = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "she has been released" in ended.content
        await app.services.outbox.run_once()
    channel = [p.content for p in dc.posted if p.where == "channel"]
    assert any("expected to be released soon" in text for text in channel)
    assert any("was released" in text for text in channel)
    # A release date is personal data: never in the coordinators' channel.
    assert not any("1 December" in text or day in text for text in channel)
    assert query(db_path, "SELECT status FROM penpals WHERE id = 1") == [("released",)]

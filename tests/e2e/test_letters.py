"""Letters and reminders end to end: a letter logged as received, the clock moved forward, the
reminder arrives privately with its buttons, "I've replied" clears it, and an unanswered letter
reaches the coordinators. The pen pal's committed name, ID and address never leave the DMs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    CANARY_ID,
    DISCORD_ANN,
    EVE,
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


async def test_telegram_letter_reminder_buttons_and_overdue(
    tg: FakeTelegram,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), clock) as app:
        await ann_matched_on_telegram(tg)  # Ann lives in Chicago

        assert "Log a letter with /letter sent" in (await say(tg, ANN, "/letter")).text
        bad = await say(tg, ANN, "/letter received 28/11/2026")
        assert "A date like 2026-11-28" in bad.text
        logged = html_to_text((await say(tg, ANN, "/letter received")).text)
        assert "a letter from Vella that reached you on Saturday 28 November" in logged
        assert "Your reply is due by Saturday 12 December" in logged

        move_to(clock, datetime(2026, 12, 8, 14, 59, tzinfo=UTC))  # 08:59 in Chicago
        assert await sweep(app) == 0
        move_to(clock, datetime(2026, 12, 8, 15, tzinfo=UTC))
        assert await sweep(app) == 1
        nudge = await tg.next_sent(ANN.id)
        assert "Your reply is due by" in nudge.text and "Saturday 12 December" in nudge.text
        assert nudge.button("I've replied") and nudge.button("Remind me in a few days")

        forged = await tg.user_presses(EVE, nudge, nudge.button("I've replied")["callback_data"])
        assert "expired" in (await tg.callback_answer(forged))["text"]
        await press(tg, ANN, nudge, "Remind me in a few days")
        assert "remind you again on Friday 11 December" in (await tg.next_sent(ANN.id)).text

        move_to(clock, datetime(2026, 12, 11, 15, tzinfo=UTC))
        assert await sweep(app) == 1
        again = await tg.next_sent(ANN.id)
        await press(tg, ANN, again, "I've replied")
        done = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "Logged your letter to Vella of Friday 11 December" in done
        assert query(db_path, "SELECT direction, dated FROM letters ORDER BY id") == [
            ("from_penpal", "2026-11-28"), ("to_penpal", "2026-12-11"),
        ]  # fmt: skip
        history = html_to_text((await say(tg, ANN, "/letters")).text)
        assert (
            "Saturday 28 November – from Vella" in history
            and "Friday 11 December – to Vella" in history
        )

        # Her next letter goes unanswered: a week after the due day the coordinators are told.
        move_to(clock, datetime(2026, 12, 13, 16, tzinfo=UTC))
        await say(tg, ANN, "/letter received")
        move_to(clock, datetime(2027, 1, 3, 15, tzinfo=UTC))
        assert await sweep(app) == 2
        alerted = await tg.next_sent(COORDINATOR.id)
        alert = html_to_text(alerted.text)
        assert (
            "Overdue reply: Ann Writer has not answered Vella's letter of Sunday 13 December"
            in alert
        )
        assert "7 days late" in alert
        due_today = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "Today your reply to Vella is due" in due_today
        # The alert carries what a coordinator does next.
        assert alerted.button("Remind her now") and alerted.button("Pause her and re-offer")
        forged = await tg.user_presses(
            EVE, alerted, alerted.button("Remind her now")["callback_data"]
        )
        assert "Only the program's coordinators" in (await tg.callback_answer(forged))["text"]
        await press(tg, COORDINATOR, alerted, "Remind her now")
        assert (await tg.next_sent(COORDINATOR.id)).text == "Ann Writer will get a reminder now."
        assert "Vella" in html_to_text((await tg.next_sent(ANN.id)).text)
        # The digest opens the lists it counts.
        assert await app.services.announcements.digest("2027-01-03")
        await app.services.outbox.run_once()
        digest = await tg.next_sent(COORDINATOR.id)
        assert "1 overdue reply" in html_to_text(digest.text)
        await press(tg, COORDINATOR, digest, "Overdue replies")
        opened = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert "Overdue replies (1)" in opened and "Ann Writer → Vella" in opened
        listing = html_to_text((await say(tg, COORDINATOR, "/coord overdue")).text)
        assert "Overdue replies (1)" in listing and "Ann Writer → Vella" in listing
        refused = await say(tg, EVE, "/coord overdue")
        assert "Only the program's coordinators" in refused.text
        assert_no_canary([alert, listing, nudge.text, history])
        # A coordinator types an ID number: what people type must not reach the logs either.
        moved = await say(tg, COORDINATOR, f"/coord transfer 1 {CANARY_ID}-B Canary Facility")
        assert "now has the new address" in moved.text
    assert_no_canary([record.getMessage() for record in caplog.records])


async def test_discord_letter_reminder_buttons_and_overdue(
    dc: FakeDiscord,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    clock = FakeClock(START)
    coordinator = discord_coordinator(dc)
    eve = Member(310000000000000002, "eve")
    received = [{"type": 1, "name": "received", "options": []}]
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc), clock) as app:
        await ann_matched_on_discord(dc, coordinator)  # she lives in London

        logged = as_posted(await dc.slash(DISCORD_ANN, "letter", received))
        assert logged.ephemeral and "reached you on Saturday 28 November" in logged.content
        typed = [{"type": 1, "name": "received", "options": [
            {"type": 3, "name": "penpal", "value": "zed"}]}]  # fmt: skip
        nobody = as_posted(await dc.slash(DISCORD_ANN, "letter", typed))
        assert (
            "None of your pen pals is called “zed”" in nobody.content and "Vella" in nobody.content
        )
        typed[0]["options"][0]["value"] = "vel"  # her name typed, not picked from the list
        again = as_posted(await dc.slash(DISCORD_ANN, "letter", typed))
        assert "reached you on Saturday 28 November" in again.content

        move_to(clock, datetime(2026, 12, 8, 9, tzinfo=UTC))
        mark = len(dc.posted)
        assert await sweep(app) == 1
        nudge = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "Your reply is due by **Saturday 12 December**" in nudge.content
        replied_id = next(c for c in nudge.custom_ids() if c.startswith("penpal:rem:rp:"))
        assert any(c.startswith("penpal:rem:sn:") for c in nudge.custom_ids())

        refused = as_posted(await dc.click(eve, nudge, replied_id))
        assert refused.ephemeral and "expired" in refused.content
        done = as_posted(await dc.click(DISCORD_ANN, nudge, replied_id))
        assert "Logged your letter to **Vella** of Tuesday 8 December" in done.content
        again = as_posted(await dc.click(DISCORD_ANN, nudge, replied_id))
        assert "already logged" in again.content
        history = as_posted(await dc.slash(DISCORD_ANN, "letters"))
        assert history.ephemeral and "Tuesday 8 December – to Vella" in history.content

        move_to(clock, datetime(2026, 12, 10, 12, tzinfo=UTC))
        await dc.slash(DISCORD_ANN, "letter", received)
        move_to(clock, datetime(2027, 1, 1, 9, tzinfo=UTC))
        mark = len(dc.posted)
        assert await sweep(app) == 2
        alert = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert not alert.ephemeral and "Overdue reply: **Ann Writer**" in alert.content
        assert alert.custom_ids() == ["penpal:alert:rm:1", "penpal:reoffer:1"]
        refused = as_posted(await dc.click(eve, alert, "penpal:alert:rm:1"))
        assert refused.ephemeral and "Only the program's coordinators" in refused.content
        mark = len(dc.posted)
        reminded = as_posted(await dc.click(coordinator, alert, "penpal:alert:rm:1"))
        assert reminded.ephemeral and reminded.content == "Ann Writer will get a reminder now."
        assert "Vella" in (await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)).content
        mark = len(dc.posted)
        assert await app.services.announcements.digest("2027-01-01")
        await app.services.outbox.run_once()
        digest = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert digest.custom_ids() == [
            "penpal:alert:ls:pending",
            "penpal:alert:ls:overdue",
            "penpal:alert:ls:concerns",
        ]
        assert "Only the program's" in as_posted(
            await dc.click(eve, digest, "penpal:alert:ls:overdue")).content  # fmt: skip
        opened = as_posted(await dc.click(coordinator, digest, "penpal:alert:ls:overdue"))
        assert opened.ephemeral and "Ann Writer → Vella" in opened.content
        listing = as_posted(await dc.slash(coordinator, "coord", [
            {"type": 1, "name": "overdue", "options": []}]))  # fmt: skip
        assert listing.ephemeral and "Ann Writer → Vella" in listing.content
        refused = as_posted(await dc.slash(eve, "coord", [
            {"type": 1, "name": "overdue", "options": []}]))  # fmt: skip
        assert "Only the program's coordinators" in refused.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert any("Overdue reply" in text for text in public)
    assert_no_canary(public)
    assert_no_canary([record.getMessage() for record in caplog.records])

"""Replies that tell each person the truth about where she stands, on both platforms: /help
tells a coordinator about /coord (and nobody else), Discord shows "sent|received" without a
visible escape, /me in the middle of a sign-up points back to it, and a rejected volunteer is
told why when the coordinator gives a reason."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from sandbox.keep import labels
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    EVE,
    FORM,
    START,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    answer_until_consent,
    as_posted,
    begin_signup,
    fill_form,
    finish_choices,
    move_to,
    press,
    say,
    seed_registry,
    sweep,
)

CORD = "You are also a coordinator: send /coord alone to see the coordinators' commands."


async def test_help_tells_a_coordinator_about_coord_on_both_platforms(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config]
) -> None:
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc)):
        assert html_to_text((await say(tg, COORDINATOR, "/help")).text).endswith(CORD)
        assert CORD in html_to_text((await say(tg, COORDINATOR, "/start")).text)
        assert "/coord" not in (await say(tg, ANN, "/help")).text
        chatted = html_to_text((await say(tg, ANN, "hello, is anyone there?")).text)
        assert chatted.startswith("I answer commands only, so nobody reads what is typed here.")
        assert "/concern" in chatted
        helped = as_posted(await dc.slash(discord_coordinator(dc), "help")).content
        assert helped.endswith(CORD)
        theirs = as_posted(await dc.slash(DISCORD_ANN, "help")).content
        assert "/coord" not in theirs
        assert "/letter sent|received – log a letter" in theirs  # no "\|" on the screen


async def test_me_in_the_middle_of_a_sign_up_points_back_to_it(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config]
) -> None:
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc)):
        await begin_signup(tg, ANN)
        told = html_to_text((await say(tg, ANN, "/me")).text)
        assert told.startswith("Your sign-up isn't finished yet. Send /signup")
        await fill_form(dc, DISCORD_ANN, FORM)
        shown = as_posted(await dc.slash(DISCORD_ANN, "me"))
        assert shown.ephemeral and shown.content.startswith("Your sign-up isn't finished yet.")


REASON = "This season we only take writers who can write in Spanish. Please try again in spring!"


async def test_a_rejected_volunteer_is_told_why_on_both_platforms(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    coordinator = discord_coordinator(dc)
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc)):
        # Telegram: Reject first says how to give the reason; the reason goes to her as written.
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        notice = await tg.next_sent(COORDINATOR.id)
        forged = await tg.user_presses(EVE, notice, notice.button("Reject")["callback_data"])
        assert "Only the program's coordinators" in (await tg.callback_answer(forged))["text"]
        await press(tg, COORDINATOR, notice, "Reject")
        asked = await tg.next_sent(COORDINATOR.id)
        assert "send /coord reject 1 followed by the reason" in html_to_text(asked.text)
        assert asked.button("Reject without a reason")
        done = await say(tg, COORDINATOR, f"/coord reject 1 {REASON}")
        assert done.text == "Rejected volunteer #1 (Ann Writer); she was told why, privately."
        told = html_to_text((await tg.next_sent(ANN.id)).text)
        assert told.endswith(f"wrote this for you:\n{REASON}")
        await press(tg, COORDINATOR, asked, "Reject without a reason")  # too late: nothing
        assert "already handled" in html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert tg.pending(ANN.id) == []

        # Discord: Reject opens a form; its reason reaches her by DM; the notice shows it.
        consent = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        mark = len(dc.posted)
        await dc.click(DISCORD_ANN, consent, "penpal:signup:agree")
        posted = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        refused = as_posted(await dc.click(DISCORD_ANN, posted, "penpal:reject:2"))
        assert refused.ephemeral and "Only the program's coordinators" in refused.content
        form = await dc.click(coordinator, posted, "penpal:reject:2")
        assert form.type == 9
        mark = len(dc.posted)
        edited = await dc.submit_modal(coordinator, form, {"reject-reason": REASON}, posted)
        assert edited.type == 7 and edited.data["content"].endswith(
            "Rejected volunteer #2 (Ann Writer); she was told why, privately."
        )
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "wrote this for you:" in dm.content and "Spanish" in dm.content
    assert query(db_path, "SELECT status FROM volunteers") == [("rejected",), ("rejected",)]


async def test_typing_i_agree_points_to_the_button_and_empty_lists_are_refused(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        consent = await answer_until_consent(tg, ANN)
        hint = await say(tg, ANN, "I agree")
        assert html_to_text(hint.text).startswith("To agree to the guidelines above, please press")
        assert "Do you agree" not in hint.text  # not the whole guidelines again
        assert query(db_path, "SELECT COUNT(*) FROM volunteers") == [(0,)]
        await press(tg, ANN, hint, "I agree")
        assert "You're signed up" in html_to_text((await tg.next_sent(ANN.id)).text)
        assert consent.button("I agree")

        # Interests that are only commas are no answer.
        await begin_signup(tg, EVE)
        pronouns = await say(tg, EVE, "Eve Writer")
        await press(tg, EVE, pronouns, "Skip")
        languages = await tg.next_sent(EVE.id)
        await press(tg, EVE, languages, "English")
        await press(tg, EVE, await tg.next_message(EVE.id), "Done")
        assert "interests" in (await tg.next_sent(EVE.id)).text
        refused = html_to_text((await say(tg, EVE, ",,,")).text)
        assert refused == "Interests: please give an answer.", refused


def shape(commands: list[dict[str, Any]]) -> dict[str, Any]:
    """Commands as names and option names, nested (what an interaction is matched against)."""
    return {
        c["name"]: {"type": c.get("type", 1), "options": shape(c.get("options", []))}
        if c.get("type", 1) in (1, 2) or "options" in c
        else {"type": c["type"], "required": c.get("required", False)}
        for c in commands
    }


async def test_the_tree_synced_is_the_tree_served_and_a_stale_command_gets_an_answer(
    dc: FakeDiscord, make_config: Callable[..., Config], caplog: pytest.LogCaptureFixture
) -> None:
    async with running(make_config(dc=dc), tokens_for(dc=dc)) as app:
        assert app.discord is not None
        guild = discord.Object(dc.guild_id)
        served = [c.to_dict(app.discord.tree) for c in app.discord.tree.get_commands(guild=guild)]
        assert shape(dc.commands[dc.guild_id]) == shape(served)

        # An app still showing an older command list sends what the bot no longer serves.
        caplog.clear()
        stale = as_posted(await dc.slash(DISCORD_ANN, "letter"))  # a group, no subcommand
        assert stale.ephemeral and stale.content.startswith("That command has changed")
        missing = as_posted(await dc.slash(DISCORD_ANN, "coord", [{"type": 1, "name": "gone"}]))
        assert missing.ephemeral and "open it again from the / menu" in missing.content
        levels = {r.levelname for r in caplog.records if "could not run" in r.getMessage()}
        assert levels == {"WARNING"}
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_first_letter_reminder_asks_for_a_letter_not_a_reply_on_telegram(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), clock) as app:
        await ann_matched_on_telegram(tg)  # she lives in Chicago: 09:00 there
        move_to(clock, START + timedelta(days=8, hours=3))
        assert await sweep(app) == 1
        first = await tg.next_sent(ANN.id)
        assert "your first letter" in html_to_text(first.text)
        assert [b["text"] for b in first.buttons] == [
            "I've written to her",
            "Remind me in a few days",
        ]
        await press(tg, ANN, first, "I've written to her")
        assert "Thank you for writing" in html_to_text((await tg.next_sent(ANN.id)).text)


async def test_the_first_letter_reminder_asks_for_a_letter_not_a_reply_on_discord(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc), clock) as app:
        await ann_matched_on_discord(dc, discord_coordinator(dc))
        move_to(clock, START + timedelta(days=8))
        mark = len(dc.posted)
        assert await sweep(app) == 1
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "your first letter" in dm.content and "I've replied" not in dm.content
        assert labels(dm.components) == ["I've written to her", "Remind me in a few days"]

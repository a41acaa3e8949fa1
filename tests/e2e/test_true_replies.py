"""Replies that tell each person the truth about where she stands, on both platforms: /help
tells a coordinator about /coord (and nobody else), Discord shows "sent|received" without a
visible escape, and /me in the middle of a sign-up points back to it."""

from __future__ import annotations

from collections.abc import Callable

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, running, tokens_for
from tests.e2e.helpers import ANN, DISCORD_ANN, FORM, as_posted, begin_signup, fill_form, say

CORD = "You are also a coordinator: send /coord alone to see the coordinators' commands."


async def test_help_tells_a_coordinator_about_coord_on_both_platforms(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config]
) -> None:
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc)):
        assert html_to_text((await say(tg, COORDINATOR, "/help")).text).endswith(CORD)
        assert CORD in html_to_text((await say(tg, COORDINATOR, "/start")).text)
        assert "/coord" not in (await say(tg, ANN, "/help")).text
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

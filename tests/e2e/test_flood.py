"""Flood control end to end: one person sending 50 commands at once gets "slow down" and
cannot starve the others, on both platforms."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import running, tokens_for
from tests.e2e.helpers import ANN, EVE, as_posted, say


def limited(config: Config, limit: int = 12) -> Config:
    return dataclasses.replace(
        config, scheduler=dataclasses.replace(config.scheduler, flood_limit=limit)
    )


async def test_telegram_fifty_commands_at_once_are_slowed_down(
    tg: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    async with running(limited(make_config(tg=tg)), tokens_for(tg=tg)):
        for _ in range(50):
            await tg.user_says(EVE, "/help")
        # Ann, arriving after all of them, is answered at once.
        assert "/signup" in (await say(tg, ANN, "/help")).text
        await tg.wait_until(lambda: len(_sent_to(tg, EVE.id)) >= 13)
        assert "/signup" in (await say(tg, ANN, "/help")).text  # later: all 50 were handled
        texts = _sent_to(tg, EVE.id)
        assert len(texts) == 13, len(texts)
        assert sum("slow down" in t for t in texts) == 1
        assert sum("/signup" in t for t in texts) == 12


def _sent_to(tg: FakeTelegram, chat_id: int) -> list[str]:
    return [m.text for m in tg.messages.values() if m.chat_id == chat_id and m.kind == "send"]


async def test_discord_a_burst_of_commands_gets_slow_down_and_others_are_served(
    dc: FakeDiscord, make_config: Callable[..., Config]
) -> None:
    eve = Member(310000000000000002, "eve")
    ann = Member(310000000000000001, "ann")
    async with running(limited(make_config(dc=dc), 5), tokens_for(dc=dc)):
        answers = [as_posted(await dc.slash(eve, "help")).content for _ in range(8)]
        assert [("slow down" in a) for a in answers] == [False] * 5 + [True] * 3
        mine = as_posted(await dc.slash(ann, "help"))
        assert mine.ephemeral and "/signup" in mine.content

"""Both platforms in one process: one database, coordinators told on both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import COORDINATOR, query, running, tokens_for
from tests.e2e.helpers import ANN as TELEGRAM_ANN
from tests.e2e.helpers import (
    DISCORD_ANN,
    FORM,
    answer_until_consent,
    fill_form,
    finish_choices,
    press,
)


async def test_signups_on_both_platforms_in_one_process(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc)) as app:
        assert app.telegram is not None and app.discord is not None
        consent = await answer_until_consent(tg, TELEGRAM_ANN, name="Tess")
        discord_consent = await finish_choices(
            dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM)
        )
        await press(tg, TELEGRAM_ANN, consent, "I agree")
        await tg.next_sent(TELEGRAM_ANN.id)
        before = len(dc.posted)
        await dc.click(DISCORD_ANN, discord_consent, "penpal:signup:agree")

        # Each sign-up reaches the coordinators on both platforms.
        notices = [await tg.next_sent(COORDINATOR.id), await tg.next_sent(COORDINATOR.id)]
        assert sorted("Tess" in n.text for n in notices) == [False, True]
        channel = [await dc.next_posted("channel", channel_id=dc.coordinator_channel_id)]
        channel.append(await dc.next_posted("channel", channel_id=dc.coordinator_channel_id,
                                            after=dc.posted.index(channel[0]) + 1))  # fmt: skip
        assert {("Tess" in p.content) for p in channel} == {True, False}
        assert before >= 0

        # A Telegram coordinator approves the Discord volunteer; she hears it by DM on Discord.
        discord_notice = next(n for n in notices if "Ann Writer" in n.text)
        mark = len(dc.posted)
        await press(tg, COORDINATOR, discord_notice, "Approve")
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "approved your sign-up" in dm.content
    assert query(db_path, "SELECT display_name, status FROM volunteers ORDER BY display_name") == [
        ("Ann Writer", "active"), ("Tess", "pending"),
    ]  # fmt: skip
    assert query(db_path, "SELECT platform, COUNT(*) FROM outbox WHERE status = 'sent' "
                          "GROUP BY platform ORDER BY platform") == [("discord", 3), ("telegram", 2)]  # fmt: skip

"""Broadcasts end to end: a preview only the coordinator sees, Send, and the volunteers get it
privately, with the coordinator's text escaped (no markup injection, nobody pinged)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    EVE,
    FORM,
    answer_until_consent,
    as_posted,
    fill_form,
    finish_choices,
    press,
    say,
)

TEXT = "Letter-writing night <b>Thursday</b> & friends @everyone"


async def test_telegram_broadcast_preview_and_send(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        preview = await say(tg, COORDINATOR, f"/coord broadcast all\n{TEXT}")
        assert "announcement to all active volunteers (1 person)" in html_to_text(preview.text)
        assert TEXT in html_to_text(preview.text)
        refused = await tg.user_presses(EVE, preview, preview.button("Send")["callback_data"])
        assert "Only the program's coordinators" in (await tg.callback_answer(refused))["text"]
        assert query(
            db_path, "SELECT COUNT(*) FROM outbox WHERE message_key LIKE 'announcement%'"
        ) == [(0,)]
        await press(tg, COORDINATOR, preview, "Send")
        assert "on its way to 1 person" in (await tg.next_sent(COORDINATOR.id)).text
        got = await tg.next_sent(ANN.id)
        assert html_to_text(got.text) == f"From the coordinators of Letters Inside:\n{TEXT}"
        assert got.text.endswith(
            TEXT.replace("<", "&lt;").replace(">", "&gt;").replace("& ", "&amp; ")
        )  # as typed
        usage = await say(tg, COORDINATOR, "/coord broadcast")
        assert "You'll see a preview" in usage.text


async def test_discord_broadcast_preview_and_send(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    coordinator = discord_coordinator(dc)
    options = [{"type": 1, "name": "broadcast", "options": [
        {"type": 3, "name": "audience", "value": "all"},
        {"type": 3, "name": "text", "value": TEXT}]}]  # fmt: skip
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        consent = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        await dc.click(DISCORD_ANN, consent, "penpal:signup:agree")
        refused = as_posted(await dc.slash(Member(310000000000000002, "eve"), "coord", options))
        assert "Only the program's coordinators" in refused.content
        preview = as_posted(await dc.slash(coordinator, "coord", options))
        assert preview.ephemeral and "(1 person)" in preview.content
        mark = len(dc.posted)
        done = await dc.click(
            coordinator, preview, "penpal:bc:send:" + preview.custom_ids()[0].split(":")[-1]
        )
        assert done.type == 7 and "on its way to 1 person" in done.data["content"]
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert dm.content.startswith("**From the coordinators of Letters Inside:**\n")
        assert "\\@everyone" in dm.content or "@\u200beveryone" in dm.content
        assert dm.allowed_mentions in (None, {"parse": []})

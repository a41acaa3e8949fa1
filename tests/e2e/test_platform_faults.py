"""The platforms misbehave for a while: 500s, requests that never get an answer, a dropped
Discord gateway. The bot keeps answering, nothing is lost, and the outbox drains afterwards
with one copy of each message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
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
    FORM,
    START,
    answer_until_consent,
    as_posted,
    fill_form,
    finish_choices,
    press,
    say,
)

TEXT = "Letter night on Thursday"


async def test_telegram_500s_and_timeouts_then_the_outbox_drains_once(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    config = make_config(tg=tg, approval=False)
    assert config.telegram is not None
    config = replace(config, telegram=replace(config.telegram, request_timeout_ms=300))
    tg.stall_seconds = 2.0  # longer than the bot waits
    clock = FakeClock(START)
    async with running(config, tokens_for(tg=tg), clock) as app:
        assert app.services is not None
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)

        # getUpdates fails: polling carries on, and what she sent meanwhile is answered.
        tg.fail_next.append(("getUpdates", 502, "Bad Gateway"))
        await tg.user_says(ANN, "/me")  # ends the current long poll; the next one fails
        await tg.wait_until(lambda: ("getUpdates", 502) in tg.refused, timeout=15)
        await tg.user_says(ANN, "/me")
        for _ in range(2):
            assert "Ann Writer" in html_to_text((await tg.next_sent(ANN.id, timeout=10)).text)

        # Sending to her fails three times: a 500, no answer at all, a 502.
        tg.outage[ANN.id] = [500, 0, 502]
        preview = await say(tg, COORDINATOR, f"/coord broadcast all\n{TEXT}")
        await press(tg, COORDINATOR, preview, "Send")
        assert "on its way to 1 person" in (await tg.next_sent(COORDINATOR.id)).text
        await app.services.outbox.close()
        announcement = "SELECT status, attempts FROM outbox WHERE message_key LIKE 'announcement%'"
        assert query(db_path, announcement) == [("pending", 1)]
        errors = query(
            db_path, "SELECT last_error FROM outbox WHERE message_key LIKE 'announcement%'"
        )
        for wait in (15, 30, 60):  # the backoff between attempts
            assert await app.services.outbox.run_once() == 0  # not before its time
            clock.advance(timedelta(seconds=wait))
            await app.services.outbox.run_once()
            errors += query(db_path, "SELECT last_error FROM outbox WHERE message_key LIKE ?",
                            "announcement%")  # fmt: skip
        # 500, no answer, 502; a success leaves the last error as it was
        assert [e for (e,) in errors] == ["NetworkError", "TimedOut", *["NetworkError"] * 2]
        assert tg.outage[ANN.id] == []
        assert query(db_path, announcement) == [("sent", 4)]
        got = [html_to_text(s.text) for s in tg.pending(ANN.id)]
        assert got == [f"From the coordinators of Letters Inside:\n{TEXT}"]  # one copy only
        assert ("sendMessage", 500) in tg.refused and ("sendMessage", 502) in tg.refused


async def test_discord_gateway_drop_resumes_and_a_500_is_retried(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)) as app:
        assert app.services is not None
        consent = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        await dc.click(DISCORD_ANN, consent, "penpal:signup:agree")

        # The gateway drops and refuses the next two connections (an outage, which the bot
        # rides out with its backoff); her command, sent meanwhile, is replayed on RESUME.
        dc.refuse_connections = 2
        await dc.drop_connections()
        me = as_posted(await dc.slash(DISCORD_ANN, "me", timeout=30))
        assert dc.refused_connections == 2
        assert me.ephemeral and "Ann Writer" in me.content
        assert (dc.identifies, dc.resumes) == (1, 1)  # resumed the same session

        # Discord answers 500 to the first DM: it goes out once all the same.
        dc.failing_posts.append(500)
        options = [{"type": 1, "name": "broadcast", "options": [
            {"type": 3, "name": "audience", "value": "all"},
            {"type": 3, "name": "text", "value": TEXT}]}]  # fmt: skip
        coordinator = discord_coordinator(dc)
        preview = as_posted(await dc.slash(coordinator, "coord", options))
        mark = len(dc.posted)
        await dc.click(
            coordinator, preview, "penpal:bc:send:" + preview.custom_ids()[0].split(":")[-1]
        )
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark, timeout=10)
        assert TEXT in dm.content
        await app.services.outbox.close()
        assert dc.failing_posts == []
        copies = [p for p in dc.posted if p.where == "dm" and TEXT in p.content]
        assert len(copies) == 1
        assert query(
            db_path, "SELECT status FROM outbox WHERE message_key LIKE 'announcement%'"
        ) == [("sent",)]

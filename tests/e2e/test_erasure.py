"""/forgetme reaches every copy of what she typed: the notices about her that were never
delivered are dropped (even while a coordinator's chat is failing), the ones delivered are
edited by the bot to an erased form on both platforms, and neither the database file, its WAL,
nor anything the bot sends afterwards holds any of her canary values."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, FakeUser, html_to_text
from tests.e2e.conftest import COORDINATOR, query, running, tokens_for
from tests.e2e.helpers import answer_until_consent, on_disk, press, say, seed_registry

ZOE = FakeUser(4_817_293_655, "Zoe", "zoe_canary_handle")
NAME = "Zoe Canarywing"
PRONOUNS = "zeh/canarypronoun"
INTEREST = "quokkacanary tending"
CANARIES = (NAME, PRONOUNS, "quokkacanary", ZOE.username, str(ZOE.id))


def assert_clean(texts: list[str], where: str) -> None:
    for text in texts:
        for canary in CANARIES:
            assert canary not in text, f"{canary!r} in {where}: {text[:200]!r}"


def requests_after(tg: FakeTelegram, mark: int) -> list[str]:
    """Every Telegram request from `mark` on, but her own erasure dialogue: it ends with her
    "done" message, and nothing reaches her chat after it."""
    calls = tg.calls[mark:]
    hers = [i for i, (_, params) in enumerate(calls) if params.get("chat_id") == ZOE.id]
    assert hers and "your personal data is erased" in calls[hers[-1]][1]["text"]
    return [json.dumps(params, ensure_ascii=False) for i, (_, params) in enumerate(calls)
            if i not in hers]  # fmt: skip


async def signs_up(tg: FakeTelegram) -> None:
    consent = await answer_until_consent(tg, ZOE, NAME, PRONOUNS, INTEREST)
    await press(tg, ZOE, consent, "I agree")
    assert "coordinator" in (await tg.next_sent(ZOE.id)).text  # waiting for approval


async def forgets_herself(tg: FakeTelegram) -> None:
    ask = await say(tg, ZOE, "/forgetme")
    await press(tg, ZOE, ask, "Erase everything")
    assert "your personal data is erased" in (await tg.next_sent(ZOE.id)).text


async def test_a_notice_that_waited_for_a_failing_chat_is_dropped_not_delivered(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    clock = FakeClock()
    async with running(make_config(tg=tg), tokens_for(tg=tg), clock) as app:
        assert app.services is not None
        tg.outage[COORDINATOR.id] = [502] * 3  # the coordinator's chat fails for a while
        await signs_up(tg)
        await tg.wait_until(lambda: ("sendMessage", 502) in tg.refused)
        [(params,)] = query(db_path, "SELECT params FROM outbox WHERE message_key = ?",
                            "coord.pending_signup")  # fmt: skip
        assert PRONOUNS in params and "quokkacanary" in params  # waiting, with her words
        mark = len(tg.calls)
        await forgets_herself(tg)
        tg.outage.clear()  # the chat comes back; every retry is due
        clock.advance(timedelta(hours=2))
        await app.services.outbox.run_once()
        await app.services.outbox.settled()
        told = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert "erased her personal data" in told
        assert_clean(on_disk(db_path).decode("utf-8", "replace").split("\0"), "the database")
    assert_clean(requests_after(tg, mark), "a request after the erasure")
    assert not [p for name, p in tg.calls[mark:] if name == "sendMessage"
                and "New volunteer sign-up" in p.get("text", "")]  # fmt: skip


async def test_delivered_notices_naming_her_are_edited_on_both_platforms(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock()
    async with running(make_config(tg=tg, dc=dc), tokens_for(tg=tg, dc=dc), clock) as app:
        assert app.services is not None
        await signs_up(tg)
        notice = await tg.next_sent(COORDINATOR.id)
        assert NAME in notice.text and PRONOUNS in notice.text
        channel = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id)
        assert NAME in channel.content and "quokkacanary" in channel.content
        await press(tg, COORDINATOR, notice, "Approve")
        approved = await tg.next_sent(COORDINATOR.id)
        assert NAME in approved.text
        await tg.next_sent(ZOE.id)  # she is told
        await say(tg, COORDINATOR, "/coord match")
        proposal = await tg.next_sent(COORDINATOR.id)
        await tg.next_sent(COORDINATOR.id)
        assert NAME in proposal.text
        await press(tg, COORDINATOR, proposal, "Confirm")
        confirmed = await tg.next_sent(COORDINATOR.id)
        assert NAME in confirmed.text
        await tg.next_sent(ZOE.id)  # her pen pal's mailing details

        tg_mark, dc_mark = len(tg.calls), len(dc.posted)
        await forgets_herself(tg)
        await app.services.outbox.settled()
        await tg.wait_until(lambda: all(
            "erased her data" in tg.messages[(COORDINATOR.id, m.message_id)].text
            for m in (notice, approved, proposal, confirmed)))  # fmt: skip
        await dc.wait_until(lambda: "erased her data" in dc._messages[channel.id].content)
        for shown in (notice, approved, proposal, confirmed):
            now = tg.messages[(COORDINATOR.id, shown.message_id)]
            assert now.reply_markup is None  # no Approve or Confirm left to press
        assert dc._messages[channel.id].components == []
        assert_clean(on_disk(db_path).decode("utf-8", "replace").split("\0"), "the database")
    assert_clean(requests_after(tg, tg_mark), "a Telegram request after the erasure")
    assert_clean([p.content for p in dc.posted[dc_mark:]], "a Discord message after the erasure")
    assert_clean([json.dumps(p.components) for p in dc.posted[dc_mark:]], "Discord components")


async def test_an_edit_the_platform_refuses_is_noted_at_info_and_nothing_else(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.INFO)
    async with running(make_config(tg=tg), tokens_for(tg=tg)) as app:
        assert app.services is not None
        await signs_up(tg)
        notice = await tg.next_sent(COORDINATOR.id)
        del tg.messages[(COORDINATOR.id, notice.message_id)]  # she deleted it in her chat
        await forgets_herself(tg)
        await tg.next_sent(COORDINATOR.id)  # "a volunteer erased her personal data"
        await app.services.outbox.settled()
        await tg.wait_until(lambda: ("editMessageText", 400) in tg.refused)
        await app.services.outbox.close()
    assert query(db_path, "SELECT status, attempts FROM outbox WHERE message_key = ?",
                 "notice.erased") == [("failed", 1)]  # fmt: skip
    assert "telegram could not edit it" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING
                and r.name.startswith(("bot", "conversations"))]  # fmt: skip
    assert query(db_path, "SELECT COUNT(*) FROM outbox WHERE message_key = ?",
                 "coord.delivery_failed") == [(0,)]  # fmt: skip

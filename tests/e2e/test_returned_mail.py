"""Returned mail end to end on both platforms: a volunteer logs a letter that came back, she is
told why reminders stop, the coordinators are asked where the woman is (her details and the
inmate locator only in private answers), and "Still there" ends the doubt; /coord addresses
lists what to check. No canary in a channel or a log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, html_to_text
from sandbox.keep import labels
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    CANARY_ID,
    DISCORD_ANN,
    EVE,
    LOCATOR,
    START,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    as_posted,
    assert_no_canary,
    press,
    say,
    seed_registry,
)


async def test_telegram_a_returned_letter_puts_her_address_in_doubt_until_checked(
    tg: FakeTelegram,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), FakeClock(START)):
        await ann_matched_on_telegram(tg)
        refused = html_to_text((await say(tg, ANN, "/letter returned lost")).text)
        assert refused.startswith("What was printed on the envelope? One of: moved, released")
        told = html_to_text((await say(tg, ANN, "/letter returned moved")).text)
        assert told.startswith("Thank you for telling us. The coordinators will check where")
        alert = await tg.next_sent(COORDINATOR.id)
        assert "came back: not at this address (moved)" in html_to_text(alert.text)
        assert [b["text"] for b in alert.buttons] == [
            "Where is she?", "Still there", "She moved", "Released", "Don't know yet"
        ]  # fmt: skip
        await press(tg, COORDINATOR, alert, "She moved")
        how = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert how.startswith("To record her move, send /coord transfer 1 NEW_ID_NUMBER FACILITY")
        forged = await tg.user_presses(EVE, alert, alert.button("Where is she?")["callback_data"])
        assert "Only the program's coordinators" in (await tg.callback_answer(forged))["text"]
        await press(tg, COORDINATOR, alert, "Where is she?")
        where = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert CANARY_ID in where and f"Inmate locator: {LOCATOR}" in where
        assert "Letters that came back: " in where and "(not at this address (moved))" in where
        listed = html_to_text((await say(tg, COORDINATOR, "/coord addresses")).text)
        assert "Vella · Canary Facility · in doubt since" in listed
        await press(tg, COORDINATOR, alert, "Still there")
        confirmed = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert "is confirmed today" in confirmed
        good = html_to_text((await tg.next_sent(ANN.id)).text)
        assert good.startswith("Good news: Vella is still at the same address.")
    assert query(db_path, "SELECT reason FROM returned_letters") == [("moved",)]
    assert query(db_path, "SELECT address_unconfirmed_at FROM penpals WHERE id = 1") == [(None,)]
    assert_no_canary([record.getMessage() for record in caplog.records])


async def test_discord_a_returned_letter_and_the_private_answers_of_the_check(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    eve = Member(310000000000000002, "eve")
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc), FakeClock(START)):
        await ann_matched_on_discord(dc, coordinator)
        mark = len(dc.posted)
        returned = [{"type": 1, "name": "returned", "options": [
            {"type": 3, "name": "reason", "value": "refused"}]}]  # fmt: skip
        told = as_posted(await dc.slash(DISCORD_ANN, "letter", returned))
        assert told.ephemeral and "The coordinators will check where **Vella** is" in told.content
        alert = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert "came back: refused" in alert.content and CANARY_ID not in alert.content
        assert labels(alert.components) == [
            "Where is she?", "Still there", "She moved", "Released", "Don't know yet"
        ]  # fmt: skip
        assert "Only the program's" in as_posted(
            await dc.click(eve, alert, "penpal:alert:aw:1")).content  # fmt: skip
        where = as_posted(await dc.click(coordinator, alert, "penpal:alert:aw:1"))
        assert where.ephemeral and CANARY_ID in where.content and LOCATOR in where.content
        later = as_posted(await dc.click(coordinator, alert, "penpal:alert:al:1"))
        assert later.ephemeral and "you will be asked about Vella (#1) again on" in later.content
        refused = as_posted(await dc.click(eve, alert, "penpal:alert:am:1"))
        assert "Only the program's" in refused.content  # no form for anyone else
        form = await dc.click(coordinator, alert, "penpal:alert:am:1")
        assert form.type == 9
        pick = form.data["components"][1]  # the facilities as a list, not typed
        assert pick["type"] == 18 and pick["label"] == "New facility"
        assert [o["label"] for o in pick["component"]["options"]] == ["Canary Facility"]
        wrong = as_posted(await dc.submit_modal(coordinator, form, {
            "transfer-id-number": " ", "transfer-facility-pick": "Canary Facility"}))  # fmt: skip
        assert "Her ID number at the new facility, please." in wrong.content
        form = await dc.click(coordinator, alert, "penpal:alert:am:1")
        mark = len(dc.posted)
        moved = as_posted(await dc.submit_modal(coordinator, form, {
            "transfer-id-number": "NEW-7", "transfer-facility-pick": "Canary Facility"}))  # fmt: skip
        assert moved.ephemeral and "now has the new address" in moved.content
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "NEW-7" in dm.content and "may come back" in dm.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert_no_canary(public)
    assert query(db_path, "SELECT reason FROM returned_letters") == [("refused",)]
    assert query(db_path, "SELECT address_unconfirmed_at FROM penpals WHERE id = 1") == [(None,)]


async def test_discord_the_transfer_form_lists_up_to_25_facilities_then_asks_for_a_name() -> None:
    from cogs.forms import PICKABLE, TransferForm

    listed = TransferForm(1, [f"Facility {n:02}" for n in range(PICKABLE)])
    assert listed.picked is not None and listed.typed is None
    assert len(listed.picked.options) == PICKABLE
    typed = TransferForm(1, [f"Facility {n:02}" for n in range(PICKABLE + 1)])
    assert typed.picked is None and typed.typed is not None
    assert typed.typed.custom_id == "transfer-facility"
    assert TransferForm(1, []).typed is not None  # none registered yet: typed (and refused)

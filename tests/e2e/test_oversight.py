"""Coordinators' lists end to end on both fake platforms: pending sign-ups approved from the
list, one volunteer in full, the waiting list with a filter and pages, the numbers and the
audit trail; privately, and never for anyone else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import (
    COORDINATOR,
    discord_coordinator,
    query,
    running,
    tokens_for,
    with_button,
)
from tests.e2e.helpers import (
    ANN,
    CANARY_ID,
    CANARY_NAME,
    DISCORD_ANN,
    EVE,
    FORM,
    answer_until_consent,
    as_posted,
    assert_no_canary,
    fill_form,
    finish_choices,
    press,
    say,
    seed_registry,
)


async def test_telegram_pending_volunteer_penpal_stats_and_audit(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(tg=tg, approval=True), tokens_for(tg=tg)):
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        await tg.next_sent(COORDINATOR.id)  # the sign-up notice

        pending = await say(tg, COORDINATOR, "/coord pending")
        assert "Sign-ups waiting for approval (1)" in html_to_text(pending.text)
        forged = await tg.user_presses(EVE, pending, pending.button("Approve #1")["callback_data"])
        assert "Only the program's coordinators" in (await tg.callback_answer(forged))["text"]
        await press(tg, COORDINATOR, pending, "Approve #1")
        assert "Approved volunteer #1" in (await tg.next_sent(COORDINATOR.id)).text
        assert "No sign-ups are waiting" in (await say(tg, COORDINATOR, "/coord pending")).text

        profile = html_to_text((await say(tg, COORDINATOR, "/coord volunteer ann")).text)
        assert "Volunteer #1: Ann Writer, active" in profile and "telegram ann_writes" in profile
        waiting = html_to_text((await say(tg, COORDINATOR, "/coord penpal")).text)
        assert "Waiting list (" in waiting and "days waiting" in waiting
        spanish = await say(tg, COORDINATOR, "/coord penpal es")
        assert html_to_text(spanish.text).startswith(
            "Nobody matches “es”: no one on the waiting list"
        )
        chess = html_to_text((await say(tg, COORDINATOR, "/coord penpal chess")).text)
        assert "Waiting list (1, filter: chess)" in chess and "Oti" in chess
        stats = html_to_text((await say(tg, COORDINATOR, "/coord stats")).text)
        assert "Volunteers: 1 active" in stats
        audit = await say(tg, COORDINATOR, "/coord audit")
        assert "volunteer.approve" in audit.text and "volunteer.view" in audit.text

        turned = await tg.user_presses(EVE, audit, "pg:audit:0:")
        assert "Only the program's coordinators" in (await tg.callback_answer(turned))["text"]
        for command in ("pending", "volunteer ann", "penpal", "stats", "audit"):
            refused = await say(tg, EVE, f"/coord {command}")
            assert "Only the program's coordinators" in refused.text, command
        assert_no_canary([waiting, spanish.text, profile, stats, audit.text])
    assert query(db_path, "SELECT status FROM volunteers") == [("active",)]


async def test_discord_lists_are_ephemeral_and_pages_check_the_role(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    eve = Member(310000000000000002, "eve")
    async with running(make_config(dc=dc, approval=True), tokens_for(dc=dc)):
        consent = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        await dc.click(DISCORD_ANN, consent, "penpal:signup:agree")
        pending = as_posted(await dc.slash(coordinator, "coord", [
            {"type": 1, "name": "pending", "options": []}]))  # fmt: skip
        assert pending.ephemeral and "Sign-ups waiting for approval (1)" in pending.content
        refused = as_posted(await dc.click(eve, pending, "penpal:approve:1"))
        assert "Only the program's coordinators" in refused.content
        done = as_posted(await dc.click(coordinator, pending, "penpal:approve:1"))
        assert "Approved volunteer #1" in done.content

        listing = as_posted(await dc.slash(coordinator, "coord", [
            {"type": 2, "name": "penpal", "options": [
                {"type": 1, "name": "list", "options": []}]}]))  # fmt: skip
        assert listing.ephemeral and "Waiting list (2" in listing.content
        assert CANARY_NAME not in listing.content and CANARY_ID not in listing.content
        forged = with_button(listing, "penpal:page:penpals:0:")
        page = as_posted(await dc.click(eve, forged, "penpal:page:penpals:0:"))
        assert "Only the program's coordinators" in page.content
        for name in ("stats", "audit"):
            mine = as_posted(await dc.slash(coordinator, "coord", [
                {"type": 1, "name": name, "options": []}]))  # fmt: skip
            assert mine.ephemeral
            theirs = as_posted(await dc.slash(eve, "coord", [
                {"type": 1, "name": name, "options": []}]))  # fmt: skip
            assert "Only the program's coordinators" in theirs.content
        profile = as_posted(await dc.slash(coordinator, "coord", [
            {"type": 1, "name": "volunteer", "options": [
                {"type": 3, "name": "who", "value": "1"}]}]))  # fmt: skip
        assert profile.ephemeral and "Volunteer #1: **Ann Writer**" in profile.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert_no_canary(public)
    assert not any("Waiting list" in text for text in public)

"""Matching end to end on both platforms, with canary values that must stay private.

The canary pen pal's committed name, ID number and address may appear only in the matched
volunteer's private chat or DM (and ephemeral replies); never in a group, a guild channel
message that is not ephemeral, or any log line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    CANARIES,
    CANARY_ADDRESS,
    CANARY_ID,
    CANARY_NAME,
    DISCORD_ANN,
    EVE,
    FORM,
    ann_matched_on_discord,
    ann_matched_on_telegram,
    answer_until_consent,
    as_posted,
    assert_no_canary,
    discord_match_and_confirm,
    fill_form,
    finish_choices,
    press,
    say,
    seed_registry,
)


async def test_telegram_match_confirm_and_details_stay_private(
    tg: FakeTelegram,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)

        refused = await say(tg, EVE, "/coord match")
        assert "Only the program's coordinators" in refused.text
        await tg.user_says(COORDINATOR, "/coord match", chat_id=-100900, chat_type="group")
        assert "private chat" in (await tg.next_sent(-100900)).text

        summary = await say(tg, COORDINATOR, "/coord match")
        assert "2 proposals" in summary.text  # she can take 2; the longest wait comes first
        proposal = await tg.next_sent(COORDINATOR.id)
        assert "Vella" in proposal.text and "Waiting 734 days" in proposal.text
        assert [b["text"] for b in proposal.buttons] == ["Confirm", "Skip", "Someone else"]
        second = await tg.next_sent(COORDINATOR.id)
        assert "Oti" in second.text
        assert_no_canary([proposal.text])

        forged = await tg.user_presses(EVE, proposal, proposal.button("Confirm")["callback_data"])
        assert "Only the program's coordinators" in (await tg.callback_answer(forged))["text"]
        assert query(db_path, "SELECT status FROM matches") == [("proposed",), ("proposed",)]

        await press(tg, COORDINATOR, proposal, "Confirm")
        result = await tg.next_sent(COORDINATOR.id)
        assert "now writes to Vella" in result.text
        details = html_to_text((await tg.next_sent(ANN.id)).text)
        assert all(canary in details for canary in CANARIES)
        assert "Plain white paper only." in details

        mine = html_to_text((await say(tg, ANN, "/mypenpals")).text)
        assert CANARY_ID in mine and "new pen pal" not in mine
        assert "\n\nYour first letter is due by " in mine

        await press(tg, COORDINATOR, second, "Someone else")  # nobody else can write to Oti
        assert (
            "no other volunteer with room can write to Oti"
            in (await tg.next_sent(COORDINATOR.id)).text
        )
    assert query(db_path, "SELECT status FROM matches ORDER BY id") == [("active",), ("skipped",)]
    assert query(db_path, "SELECT status FROM penpals WHERE preferred_name = 'Vella'") == [
        ("matched",)
    ]
    group_texts = [params.get("text", "") for method, params in tg.calls
                   if method == "sendMessage" and int(params["chat_id"]) < 0]  # fmt: skip
    assert group_texts and not any(c in t for t in group_texts for c in CANARIES)
    assert_no_canary([record.getMessage() for record in caplog.records])
    assert_no_canary([row[0] for row in query(db_path, "SELECT subject FROM audit_log")])


async def test_discord_match_confirm_and_details_stay_private(
    dc: FakeDiscord,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    match_option = [{"type": 1, "name": "match", "options": []}]
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        consent = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        await dc.click(DISCORD_ANN, consent, "penpal:signup:agree")

        refused = await dc.slash(Member(310000000000000002, "eve"), "coord", match_option)
        assert refused.message and refused.message.ephemeral
        assert "Only the program's coordinators" in refused.message.content

        mark = len(dc.posted)
        deferred = await dc.slash(coordinator, "coord", match_option)
        assert deferred.type == 5 and deferred.data.get("flags") == 64
        summary = await dc.next_posted("followup", after=mark)
        assert summary.ephemeral and "2 proposals" in summary.content
        proposal = await dc.next_posted("followup", after=dc.posted.index(summary) + 1)
        assert proposal.ephemeral and "Vella" in proposal.content
        confirm_id = next(c for c in proposal.custom_ids() if ":confirm:" in c)

        refused = await dc.click(Member(310000000000000002, "eve"), proposal, confirm_id)
        assert refused.message and "Only the program's coordinators" in refused.message.content
        assert query(db_path, "SELECT status FROM matches") == [("proposed",), ("proposed",)]

        mark = len(dc.posted)
        confirmed = await dc.click(coordinator, proposal, confirm_id)
        assert confirmed.type == 7 and "now writes to Vella" in confirmed.data["content"]
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert all(canary in dm.content for canary in CANARIES)

        mine = as_posted(await dc.slash(DISCORD_ANN, "mypenpals"))
        assert mine.ephemeral and CANARY_ID in mine.content
        assert "new pen pal" not in mine.content
        assert "\n\nYour first letter is due by " in mine.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert_no_canary(public)
    assert_no_canary([record.getMessage() for record in caplog.records])
    assert query(db_path, "SELECT status FROM matches ORDER BY id") == [("active",), ("proposed",)]


async def test_telegram_transfer_end_and_release(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        await ann_matched_on_telegram(tg)
        (penpal_id,) = query(db_path, "SELECT id FROM penpals WHERE preferred_name = 'Vella'")[0]
        (match_id,) = query(db_path, "SELECT id FROM matches WHERE status = 'active'")[0]

        refused = await say(tg, EVE, f"/coord end {match_id} no reply")
        assert "Only the program's coordinators" in refused.text
        usage = await say(tg, COORDINATOR, f"/coord end {match_id} bored")
        assert "I could not read that" in usage.text and "no reply" in usage.text

        moved = await say(tg, COORDINATOR, f"/coord transfer {penpal_id} NEW-55 Canary Facility")
        assert "new address" in moved.text
        told = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "moved to another facility" in told and "NEW-55" in told and CANARY_ADDRESS in told
        assert_no_canary([moved.text])

        ended = await say(tg, COORDINATOR, f"/coord end {match_id} no reply")
        assert "back on the waiting list" in ended.text
        closing = await tg.next_sent(ANN.id)
        assert "closing letter" in closing.text
    assert query(db_path, "SELECT status, end_reason FROM matches WHERE id = ?", match_id) == [
        ("ended", "no reply")
    ]
    assert query(db_path, "SELECT status, waiting_since FROM penpals WHERE id = ?", penpal_id) == [
        ("waiting", "2024-01-02")
    ]
    assert query(
        db_path, "SELECT COUNT(*) FROM custody_records WHERE penpal_id = ?", penpal_id
    ) == [(2,)]


async def test_discord_end_a_match_from_the_coordinator_command(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        details = await ann_matched_on_discord(dc, coordinator)
        assert "Your new pen pal" in details.content
        (match_id,) = query(db_path, "SELECT id FROM matches WHERE status = 'active'")[0]
        end = [{"type": 1, "name": "end", "options": [
            {"type": 4, "name": "match", "value": match_id},
            {"type": 3, "name": "reason", "value": "volunteer stopped"}]}]  # fmt: skip
        (penpal_id,) = query(db_path, "SELECT penpal_id FROM matches WHERE id = ?", match_id)[0]
        bad_date = [{"type": 1, "name": "release", "options": [
            {"type": 4, "name": "penpal", "value": penpal_id},
            {"type": 3, "name": "on", "value": "next Tuesday"}]}]  # fmt: skip
        reply = as_posted(await dc.slash(coordinator, "coord", bad_date))
        assert reply.ephemeral and "a date like 2026-11-28" in reply.content
        assert query(db_path, "SELECT status FROM penpals WHERE id = ?", penpal_id) == [
            ("matched",)
        ]
        refused = await dc.slash(Member(310000000000000002, "eve"), "coord", end)
        assert refused.message and "Only the program's coordinators" in refused.message.content
        mark = dc.posted.index(details) + 1
        ended = as_posted(await dc.slash(coordinator, "coord", end))
        assert ended.ephemeral and "back on the waiting list" in ended.content
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "closing letter" in dm.content
    assert query(db_path, "SELECT end_reason FROM matches WHERE id = ?", match_id) == [
        ("volunteer stopped",)
    ]


CANARY_FORM = {"committed_name": CANARY_NAME, "preferred_name": "Vella", "id_number": CANARY_ID,
               "facility": "Chat Facility", "languages": "English"}  # fmt: skip


async def test_telegram_coordinator_adds_facility_and_pen_pal_in_chat_then_matches(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        template = await say(tg, COORDINATOR, "/coord penpal add")
        assert "committed_name:" in html_to_text(template.text)
        facility = await say(tg, COORDINATOR, "/coord facility add\nname: Chat Facility\n"
                                              f"address_line_1: {CANARY_ADDRESS}\nmail_rules: No glitter.")  # fmt: skip
        assert "Facility added." in facility.text
        bad = await say(tg, COORDINATOR, f"/coord penpal add\ncommitted_name: {CANARY_NAME}\n"
                                         "facility: Chat Facility\nlanguages: English")  # fmt: skip
        assert "Nothing was saved" in bad.text and "id_number: missing" in bad.text
        assert query(db_path, "SELECT COUNT(*) FROM penpals") == [(0,)]
        form = "\n".join(f"{k}: {v}" for k, v in CANARY_FORM.items())
        refused = await say(tg, EVE, f"/coord penpal add\n{form}")
        assert "Only the program's coordinators" in refused.text
        added = await say(tg, COORDINATOR, f"/coord penpal add\n{form}")
        assert "Pen pal added to the waiting list." in added.text
        again = await say(tg, COORDINATOR, f"/coord penpal add\n{form}")
        assert "Nothing changed" in again.text

        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        await say(tg, COORDINATOR, "/coord match")
        proposal = await tg.next_sent(COORDINATOR.id)
        await press(tg, COORDINATOR, proposal, "Confirm")
        await tg.next_sent(COORDINATOR.id)
        details = html_to_text((await tg.next_sent(ANN.id)).text)
        assert all(canary in details for canary in CANARIES) and "No glitter." in details
    assert query(db_path, "SELECT actor, action FROM audit_log WHERE action LIKE 'penpal.add'") == [
        ("telegram:900", "penpal.add")
    ]


async def test_discord_coordinator_adds_facility_and_pen_pal_with_forms_then_matches(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    coordinator = discord_coordinator(dc)

    def sub(group: str) -> list[dict[str, object]]:
        return [{"type": 2, "name": group, "options": [{"type": 1, "name": "add", "options": []}]}]

    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        refused = await dc.slash(Member(310000000000000002, "eve"), "coord", sub("penpal"))
        assert refused.message and "Only the program's coordinators" in refused.message.content
        modal = await dc.slash(coordinator, "coord", sub("facility"))
        saved = as_posted(await dc.submit_modal(coordinator, modal, {
            "registry-name": "Chat Facility", "registry-address": f"Inmate Mail\n{CANARY_ADDRESS}",
            "registry-mail_rules": "No glitter."}))  # fmt: skip
        assert saved.ephemeral and "Facility added." in saved.content
        modal = await dc.slash(coordinator, "coord", sub("penpal"))
        saved = as_posted(await dc.submit_modal(
            coordinator, modal, {f"registry-{k}": v for k, v in CANARY_FORM.items()}))  # fmt: skip
        assert saved.ephemeral and "Pen pal added" in saved.content

        consent = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        await dc.click(DISCORD_ANN, consent, "penpal:signup:agree")
        dm = await discord_match_and_confirm(dc, coordinator)
        assert all(canary in dm.content for canary in CANARIES)
    assert_no_canary([p.content for p in dc.posted if p.where != "dm" and not p.ephemeral])
    assert query(db_path, "SELECT address_lines FROM facilities") == [
        (f'["Inmate Mail", "{CANARY_ADDRESS}"]',)
    ]


async def test_telegram_browse_request_confirmed_by_a_coordinator(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(tg=tg, matching="browse"), tokens_for(tg=tg)):
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        waiting = await say(tg, ANN, "/browse")
        assert "Browsing opens once your sign-up is approved" in waiting.text
        notice = await tg.next_sent(COORDINATOR.id)
        await press(tg, COORDINATOR, notice, "Approve")
        await tg.next_sent(COORDINATOR.id)
        await tg.next_sent(ANN.id)  # approved

        page = await say(tg, ANN, "/browse")
        assert "Vella" in page.text and "Oti" in page.text
        assert_no_canary([page.text])
        await press(tg, ANN, page, "Write to Vella")
        thanks = await tg.next_sent(ANN.id)
        assert "went to the coordinators" in thanks.text
        request = await tg.next_sent(COORDINATOR.id)
        assert "asks to write to Vella" in request.text
        await press(tg, COORDINATOR, request, "Confirm")
        await tg.next_sent(COORDINATOR.id)
        details = html_to_text((await tg.next_sent(ANN.id)).text)
        assert all(canary in details for canary in CANARIES)
    assert query(db_path, "SELECT status FROM matches") == [("active",)]


async def test_discord_browse_without_approval_matches_at_once(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(dc=dc, approval=False, matching="both"), tokens_for(dc=dc)):
        consent = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        await dc.click(DISCORD_ANN, consent, "penpal:signup:agree")
        page = as_posted(await dc.slash(DISCORD_ANN, "browse"))
        assert page.ephemeral and "Vella" in page.content
        assert_no_canary([page.content])
        request_id = next(c for c in page.custom_ids() if c.startswith("penpal:browse:req:"))
        mark = len(dc.posted)
        confirmed = as_posted(await dc.click(DISCORD_ANN, page, request_id))
        assert confirmed.ephemeral and "You now write to Vella!" in confirmed.content
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert all(canary in dm.content for canary in CANARIES)
    assert_no_canary([p.content for p in dc.posted if p.where != "dm" and not p.ephemeral])

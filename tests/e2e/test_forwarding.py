"""Forwarding with review, end to end on both platforms: the volunteer chooses a pen name at
sign-up and is told to sign with it under the program's return address; her letters are handed
in, read, given back for a rewrite or posted; a letter from her pen pal reaches the mailbox,
waits in /coord review and is forwarded; the volunteer is told each time, privately. No canary in
a channel or a log."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
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
    DISCORD_ANN,
    FORM,
    START,
    answer_until_consent,
    as_posted,
    assert_no_canary,
    discord_match_and_confirm,
    fill_form,
    press,
    say,
    seed_registry,
)

RETURN_ADDRESS = "Letters Inside\nPO Box 123\nSpringfield ST 00001"


def forwarding(config: Config) -> Config:
    program = replace(
        config.program, forwarding=True, review_letters=True, return_address=RETURN_ADDRESS
    )
    return replace(config, program=program)


def letter_number(text: str) -> str:
    found = re.search(r"\(#(\d+)\)", text)
    assert found, text
    return found.group(1)


async def test_telegram_letters_pass_through_the_program_and_she_is_told_each_time(
    tg: FakeTelegram,
    make_config: Callable[..., Config],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await seed_registry(db_path)
    config = forwarding(make_config(tg=tg, approval=False))
    async with running(config, tokens_for(tg=tg), FakeClock(START)):
        consent = await answer_until_consent(tg, ANN, pen_name="Robin")
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        await say(tg, COORDINATOR, "/coord match")
        proposal = await tg.next_sent(COORDINATOR.id)
        await tg.next_sent(COORDINATOR.id)
        await press(tg, COORDINATOR, proposal, "Confirm")
        await tg.next_sent(COORDINATOR.id)
        details = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "never your own:\nLetters Inside\nPO Box 123" in details
        assert "Sign your letters as Robin: she writes back to that name" in details
        assert "Signs her letters as: Robin" in html_to_text((await say(tg, ANN, "/me")).text)

        # Her letter is handed in; the coordinator gives it back with the reason.
        handed = html_to_text((await say(tg, ANN, "/letter sent")).text)
        assert handed.startswith("Logged: your letter to Vella, handed to the program on")
        ask = await tg.next_sent(COORDINATOR.id)
        assert "Ann Writer handed in her letter to Vella (match 1)" in html_to_text(ask.text)
        assert [b["text"] for b in ask.buttons] == [
            "Post it",
            "Hold for now",
            "Give back to rewrite",
        ]
        number = letter_number(html_to_text(ask.text))
        await press(tg, COORDINATOR, ask, "Give back to rewrite")
        how = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert how == (
            f"To give letter #{number} back for a rewrite, send /coord review return {number} "
            "followed by the reason for her volunteer."
        )
        refused = html_to_text((await say(tg, COORDINATOR, f"/coord review return {number}")).text)
        assert refused.startswith("Write the reason for her volunteer: /coord review return")
        given = await say(tg, COORDINATOR, f"/coord review return {number} Leave out your town")
        assert "goes back to its volunteer to rewrite" in html_to_text(given.text)
        back = html_to_text((await tg.next_sent(ANN.id)).text)
        assert back.startswith("The coordinators give your letter to Vella back to you to rewrite:")
        assert "Leave out your town" in back and "log it with /letter sent" in back

        # Written again, handed in, and posted.
        await say(tg, ANN, "/letter sent")
        ask = await tg.next_sent(COORDINATOR.id)
        await press(tg, COORDINATOR, ask, "Post it")
        assert "posted on" in html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        posted = html_to_text((await tg.next_sent(ANN.id)).text)
        assert posted.startswith("Your letter to Vella was read and posted by the program on")

        # Her pen pal's answer reaches the mailbox and waits to be read, then is forwarded.
        logged = html_to_text((await say(tg, COORDINATOR, "/coord letter 1")).text)
        assert "It waits in /coord review until you forward it" in logged
        ask = await tg.next_sent(COORDINATOR.id)
        assert "from Vella for Ann Writer (match 1)" in html_to_text(ask.text)
        queue = await say(tg, COORDINATOR, "/coord review")
        assert "1 letter at the program" in html_to_text(queue.text)
        assert [b["text"] for b in queue.buttons] == ["Forward it", "Hold for now"]
        await press(tg, COORDINATOR, queue, "Forward it")
        assert "forwarded on" in html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        waiting = html_to_text((await tg.next_sent(ANN.id)).text)
        assert waiting.startswith("A letter from Vella reached the program's mailbox on")
        assert "Your reply is due by" in waiting
        told = html_to_text((await say(tg, ANN, "/letter received")).text)
        assert told.startswith("In this program the coordinators log your pen pal's letters")
        mine = html_to_text((await say(tg, ANN, "/letters")).text)
        assert "(given back to you to rewrite: Leave out your town)" in mine
        assert "(posted by the program on" in mine and "(reached the program on" in mine
        assert html_to_text((await say(tg, COORDINATOR, "/coord review")).text) == (
            "No letter is waiting at the program."
        )
    assert query(db_path, "SELECT direction, state FROM letters ORDER BY id") == [
        ("to_penpal", "returned"), ("to_penpal", ""), ("from_penpal", "")
    ]  # fmt: skip
    actions = query(
        db_path, "SELECT action FROM audit_log WHERE action LIKE 'letter.%' ORDER BY id"
    )
    assert [a for (a,) in actions] == [
        "letter.to_penpal", "letter.returned_for_rewrite", "letter.to_penpal", "letter.posted",
        "letter.arrived", "letter.forwarded",
    ]  # fmt: skip
    assert_no_canary([record.getMessage() for record in caplog.records])


async def test_discord_pen_name_form_and_the_review_buttons_in_the_channel(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    eve = Member(310000000000000002, "eve")
    config = forwarding(make_config(dc=dc, approval=False))
    async with running(config, tokens_for(dc=dc), FakeClock(START)):
        step = await fill_form(dc, DISCORD_ANN, FORM)
        for custom_id, value in (("kinds", "friendship"), ("woman", "yes"), ("capacity", "1"),
                                 ("frequency", "weekly")):  # fmt: skip
            step = as_posted(
                await dc.select(DISCORD_ANN, step, f"penpal:signup:answer:{custom_id}", [value])
            )
        assert "Which name do you sign your letters with?" in step.content
        assert labels(step.components) == ["Choose a pen name", "Sign with my name", "Cancel"]
        form = await dc.click(DISCORD_ANN, step, "penpal:signup:pen_name")
        assert form.type == 9 and form.data["title"] == "Your pen name"
        step = as_posted(await dc.submit_modal(DISCORD_ANN, form, {"signup-pen_name": "Robin"}))
        assert "guidelines" in step.content
        await dc.click(DISCORD_ANN, step, "penpal:signup:agree")
        details = await discord_match_and_confirm(dc, coordinator)
        assert "Sign your letters as Robin" in details.content

        mark = len(dc.posted)
        sent = [{"type": 1, "name": "sent", "options": []}]
        handed = as_posted(await dc.slash(DISCORD_ANN, "letter", sent))
        assert handed.ephemeral and "handed to the program on" in handed.content
        ask = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert "handed in her letter to Vella" in ask.content
        assert labels(ask.components) == ["Post it", "Hold for now", "Give back to rewrite"]
        number = letter_number(ask.content)
        refused = as_posted(await dc.click(eve, ask, f"penpal:review:rh:{number}"))
        assert "Only the program's" in refused.content  # no form for anyone else
        form = await dc.click(coordinator, ask, f"penpal:review:rh:{number}")
        assert form.type == 9 and form.data["title"] == f"Hold letter #{number}"
        mark = len(dc.posted)
        kept = as_posted(
            await dc.submit_modal(coordinator, form, {"review-note": "A stamp is missing"})
        )
        assert kept.ephemeral and "is held at the program" in kept.content
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "holding your letter to **Vella** at the program for now: A stamp is missing" in (
            dm.content
        )
        review = [{"type": 1, "name": "review", "options": []}]
        queue = as_posted(await dc.slash(coordinator, "coord", review))
        assert queue.ephemeral and "held: A stamp is missing" in queue.content
        assert labels(queue.components) == ["Post it", "Hold for now", "Give back to rewrite"]
        mark = len(dc.posted)
        posted = as_posted(await dc.click(coordinator, queue, f"penpal:review:rf:{number}"))
        assert posted.ephemeral and "posted on" in posted.content
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "was read and posted by the program on" in dm.content
        again = as_posted(await dc.click(coordinator, queue, f"penpal:review:rf:{number}"))
        assert "is no longer waiting at the program" in again.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert_no_canary(public)

"""Sign-up end to end on Discord: the real discord.py against the fake REST API and gateway."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord, Member
from tests.e2e.conftest import query, running, tokens_for
from tests.e2e.helpers import DISCORD_ANN as ANN
from tests.e2e.helpers import FORM, as_posted, fill_form, finish_choices

EVE = Member(310000000000000002, "eve")


async def test_a_zone_that_could_be_several_places_is_chosen_from_a_menu(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(dc=dc), tokens_for(dc=dc)):
        step = await fill_form(dc, ANN, {**FORM, "signup-timezone": "CST"})
        assert "Time zone:" not in step.content  # nothing guessed
        kinds = as_posted(await dc.select(ANN, step, "penpal:signup:answer:kinds", ["friendship"]))
        step = as_posted(await dc.select(ANN, kinds, "penpal:signup:answer:woman", ["yes"]))
        step = as_posted(await dc.select(ANN, step, "penpal:signup:answer:capacity", ["1"]))
        which = as_posted(await dc.select(ANN, step, "penpal:signup:answer:frequency", ["weekly"]))
        assert "Which one is yours?" in which.content and which.ephemeral
        menu = which.component("penpal:signup:answer:timezone")
        offered = {o["value"]: o["label"] for o in menu["options"]}
        assert offered["America/Chicago"] == "Central time (Chicago)"
        assert "Asia/Shanghai" in offered and "penpal:signup:form" in which.custom_ids()
        chosen = as_posted(
            await dc.select(ANN, which, "penpal:signup:answer:timezone", ["America/Chicago"])
        )
        assert "Time zone: Central time (Chicago) (it is 06:00 there now)." in chosen.content
        assert "penpal:signup:agree" in chosen.custom_ids()
    [(answers,)] = query(db_path, "SELECT answers FROM signup_drafts")
    assert json.loads(answers)["timezone"] == "America/Chicago"


async def test_full_signup_with_form_menus_and_consent(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(dc=dc), tokens_for(dc=dc)):
        assert sorted(c["name"] for c in dc.commands[dc.guild_id]) == [
            "browse", "circle", "concern", "coord", "forgetme", "help", "language", "leave", "letter", "letters", "link", "me", "mydata",
            "mypenpals", "pause", "resume", "signup", "unlink",
        ]  # fmt: skip
        step = await fill_form(dc, ANN, FORM)
        assert "Time zone: London (it is 12:00 there now)." in step.content
        consent = await finish_choices(dc, ANN, step)
        before = len(dc.posted)
        done = as_posted(await dc.click(ANN, consent, "penpal:signup:agree"))
        assert "A coordinator will review it soon" in done.content and done.ephemeral
        notice = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=before)
        assert "New volunteer sign-up" in notice.content and "Ann Writer" in notice.content
        assert notice.allowed_mentions == {"parse": []}
        assert notice.custom_ids() == ["penpal:approve:1", "penpal:reject:1"]
    rows = query(db_path, "SELECT display_name, pronouns, languages, interests, capacity, "
                          "frequency, timezone, status FROM volunteers")  # fmt: skip
    assert query(db_path, "SELECT kinds, woman_writer FROM volunteers") == [
        ('["friendship", "creative"]', 1)
    ]
    assert rows == [("Ann Writer", "she/her", '["en", "fr"]', '["poetry", "hiking"]', 3,
                     "weekly", "Europe/London", "pending")]  # fmt: skip
    # Nothing with her answers was ever posted publicly.
    assert all(p.ephemeral or p.channel_id == dc.coordinator_channel_id for p in dc.posted)


async def test_approval_buttons_survive_a_restart_and_refuse_non_coordinators(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    config = make_config(dc=dc)
    async with running(config, tokens_for(dc=dc)):
        consent = await finish_choices(dc, ANN, await fill_form(dc, ANN, FORM))
        before = len(dc.posted)
        await dc.click(ANN, consent, "penpal:signup:agree")
        notice = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=before)
    async with running(config, tokens_for(dc=dc)):
        # A member without the coordinator role presses the real button: refused, nothing changes.
        refused = await dc.click(EVE, notice, "penpal:approve:1")
        assert refused.message and refused.message.ephemeral
        assert "Only the program's coordinators" in refused.message.content
        assert query(db_path, "SELECT status FROM volunteers") == [("pending",)]
        # So is a forged custom id for a volunteer that does not exist, even from a coordinator.
        coordinator = Member(310000000000000009, "cora", roles=(dc.coordinator_role_id,))
        tampered = replace(
            notice,
            components=[
                {
                    "type": 1,
                    "components": [
                        {
                            "type": 2,
                            "style": 1,
                            "label": "Approve",
                            "custom_id": "penpal:approve:999",
                        }
                    ],
                }
            ],
        )
        forged = await dc.click(coordinator, tampered, "penpal:approve:999")
        assert forged.message and "expired" in forged.message.content
        before = len(dc.posted)
        approved = await dc.click(coordinator, notice, "penpal:approve:1")
        assert approved.type == 7 and "Approved volunteer #1" in approved.data["content"]
        assert approved.data["components"] == []
        dm = await dc.next_posted("dm", user_id=ANN.id, after=before)
        assert "a coordinator approved your sign-up" in dm.content
    assert query(db_path, "SELECT status FROM volunteers") == [("active",)]
    assert query(db_path, "SELECT action, actor FROM audit_log ORDER BY id") == [
        ("volunteer.signup", f"discord:{ANN.id}"),
        ("volunteer.approve", f"discord:{coordinator.id}"),
    ]


async def test_bad_answers_are_listed_and_the_form_reopens(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        bad = {**FORM, "signup-languages": "Elvish", "signup-name": "x" * 5000}
        step = await fill_form(dc, ANN, bad)
        assert "I don't recognise Elvish" in step.content
        assert "at most 60 characters" in step.content
        assert step.custom_ids() == ["penpal:signup:form", "penpal:signup:cancel"]
        modal = await dc.click(ANN, step, "penpal:signup:form")
        assert modal.type == 9
        prefilled = {c["component"]["custom_id"] if "component" in c else
                     c["components"][0]["custom_id"]: c for c in modal.data["components"]}  # fmt: skip
        assert len(prefilled) == 5
        step = as_posted(await dc.submit_modal(ANN, modal, {**FORM}))
        consent = await finish_choices(dc, ANN, step)
        done = as_posted(await dc.click(ANN, consent, "penpal:signup:agree"))
        assert "You're signed up" in done.content
        me = as_posted(await dc.slash(ANN, "me"))
        assert me.ephemeral and "Status: active" in me.content
        helped = as_posted(await dc.slash(ANN, "help"))
        assert helped.ephemeral and "/signup" in helped.content and "/cancel" not in helped.content


async def test_restart_mid_signup_then_finish_and_cancel(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    config = make_config(dc=dc, approval=False)
    async with running(config, tokens_for(dc=dc)):
        step = await fill_form(dc, ANN, FORM)
        assert "penpal:signup:none:kinds" in step.custom_ids()  # a menu cannot send nothing
        assert "Choose any that fit, or none." in step.content
        step = as_posted(await dc.click(ANN, step, "penpal:signup:none:kinds"))
        step = as_posted(await dc.select(ANN, step, "penpal:signup:answer:woman", ["no"]))
        step = as_posted(await dc.select(ANN, step, "penpal:signup:answer:capacity", ["1"]))
    async with running(config, tokens_for(dc=dc)):
        # The menu on the old message still works after the restart: the draft is in the database.
        step = as_posted(await dc.select(ANN, step, "penpal:signup:answer:frequency", ["monthly"]))
        done = as_posted(await dc.click(ANN, step, "penpal:signup:agree"))
        assert "You're signed up" in done.content
        # Eve starts, then cancels with the button.
        step = await fill_form(dc, EVE, {**FORM, "signup-name": "Eve"})
        cancelled = as_posted(await dc.click(EVE, step, "penpal:signup:cancel"))
        assert "Sign-up cancelled" in cancelled.content
    assert query(db_path, "SELECT display_name, capacity, frequency FROM volunteers") == [
        ("Ann Writer", 1, "monthly")
    ]
    assert query(db_path, "SELECT COUNT(*) FROM signup_drafts") == [(0,)]


async def test_hostile_text_is_escaped_and_pings_no_one(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(dc=dc), tokens_for(dc=dc)):
        hostile = "**Ann** @everyone <@&840000000000000001> \u202eevil\u200b"
        consent = await finish_choices(
            dc, ANN, await fill_form(dc, ANN, {**FORM, "signup-name": hostile})
        )
        before = len(dc.posted)
        await dc.click(ANN, consent, "penpal:signup:agree")
        notice = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=before)
        assert "\\*\\*Ann\\*\\*" in notice.content
        assert "@everyone" not in notice.content and "@\u200beveryone" in notice.content
        assert "<@&840000000000000001>" not in notice.content
        assert "\u202e" not in notice.content and "\u200b" + "evil" not in notice.content
        assert notice.allowed_mentions == {"parse": []}
    assert query(db_path, "SELECT display_name FROM volunteers") == [
        ("**Ann** @everyone <@&840000000000000001> evil",)
    ]

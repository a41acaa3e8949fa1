"""A writing circle on both platforms: two members on Discord, one on Telegram. Approved,
joined, matched; a letter arrives, the member whose turn it is is reminded and passes, the next
replies and the turn moves on; a member leaves. The circle's channel hears whose turn it is and
never the woman's committed name, ID number or address; each member gets those privately."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app.config import Config
from bot.domain.clock import FakeClock
from sandbox.fake_discord import FakeDiscord, Member, Posted
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, discord_coordinator, query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    CANARY_ID,
    CANARY_NAME,
    DISCORD_ANN,
    EVE,
    FORM,
    START,
    answer_until_consent,
    as_posted,
    assert_no_canary,
    fill_form,
    finish_choices,
    move_to,
    press,
    say,
    seed_registry,
    sweep,
)

BEA = Member(310000000000000002, "bea")


def sub(command: str, **options: str) -> list[dict[str, Any]]:
    """A /circle subcommand with its string options."""
    given = [{"type": 3, "name": k, "value": v} for k, v in options.items()]
    return [{"type": 1, "name": command, "options": given}]


async def posted_in(dc: FakeDiscord, channel: int, text: str, after: int) -> Posted:
    """The first post in this channel or thread after `after` that says `text` (the circle's
    notices come in the order they were written, others may come between)."""
    post = await dc.next_posted("channel", channel_id=channel, after=after)
    while text not in post.content:
        post = await dc.next_posted("channel", channel_id=channel, after=dc.posted.index(post) + 1)
    return post


async def discord_volunteer(dc: FakeDiscord, member: Member, name: str) -> None:
    consent = await finish_choices(
        dc, member, await fill_form(dc, member, {**FORM, "signup-name": name})
    )
    await dc.click(member, consent, "penpal:signup:agree")


async def test_a_circle_of_three_writes_in_turn_on_both_platforms(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    config = make_config(tg=tg, dc=dc, approval=False)
    async with running(config, tokens_for(tg=tg, dc=dc), clock) as app:
        await discord_volunteer(dc, DISCORD_ANN, "Ann Writer")
        await discord_volunteer(dc, BEA, "Bea Writer")
        consent = await answer_until_consent(tg, ANN, name="Tess")
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        tg.pending(COORDINATOR.id)
        while tg.pending(COORDINATOR.id):
            await tg.next_sent(COORDINATOR.id)

        made = as_posted(await dc.slash(DISCORD_ANN, "circle", sub("create", name="Night Owls")))
        assert made.ephemeral and "Night Owls" in made.content and "approved" in made.content
        early = as_posted(await dc.slash(DISCORD_ANN, "circle", sub("invite", who="@bea")))
        assert "waits for a coordinator's approval" in early.content
        notice = await tg.next_sent(COORDINATOR.id)
        while "new writing circle" not in notice.text:
            notice = await tg.next_sent(COORDINATOR.id)
        mark = len(dc.posted)
        await press(tg, COORDINATOR, notice, "Approve")
        assert "is approved; its lead was told" in (await tg.next_sent(COORDINATOR.id)).text
        approved = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "is approved" in approved.content

        # The lead makes the circle's place: a private thread, with her in it.
        here = as_posted(await dc.slash(DISCORD_ANN, "circle", sub("here")))
        assert "I made the private thread “Night Owls” here" in here.content
        ((thread, made),) = dc.threads.items()
        assert made["type"] == 12 and made["members"] == [DISCORD_ANN.id]

        # The lead invites Bea (Discord) and Tess (Telegram); each joins with her own button.
        mark = len(dc.posted)
        sent = as_posted(await dc.slash(DISCORD_ANN, "circle", sub("invite", who="@bea")))
        assert "Bea Writer is invited" in sent.content
        invitation = await dc.next_posted("dm", user_id=BEA.id, after=mark)
        join = next(c for c in invitation.custom_ids() if ":cj:" in c)
        stranger = as_posted(await dc.click(DISCORD_ANN, invitation, join))
        assert "expired" in stranger.content  # not hers
        joined = as_posted(await dc.click(BEA, invitation, join))
        assert "Welcome to **Night Owls**" in joined.content
        assert made["members"] == [DISCORD_ANN.id, BEA.id]  # she is in the thread at once
        as_posted(await dc.slash(DISCORD_ANN, "circle", sub("invite", who="@ann_writes")))
        invited = await tg.next_sent(ANN.id)
        assert "invites you to the writing circle" in html_to_text(invited.text)
        await press(tg, ANN, invited, "Join")
        assert "Welcome to" in (await tg.next_sent(ANN.id)).text

        refused = as_posted(await dc.slash(BEA, "circle", sub("here")))
        assert "Only the circle's lead" in refused.content and len(dc.threads) == 1

        # A coordinator matches Vella to the circle: details to each member, privately.
        mark = len(dc.posted)
        matched = await say(tg, COORDINATOR, "/coord circle match 1 Night Owls")
        assert "“Night Owls” writes to Vella. Ann Writer writes first" in matched.text
        for member in (DISCORD_ANN, BEA):
            details = await dc.next_posted("dm", user_id=member.id, after=mark)
            assert CANARY_NAME in details.content and CANARY_ID in details.content
        tess_details = html_to_text((await tg.next_sent(ANN.id)).text)
        assert CANARY_ID in tess_details and "Ann Writer writes first" in tess_details
        await posted_in(dc, thread, "writes to **Vella** now", mark)

        # A letter from her: Tess logs it; it is the lead's turn, and she is told.
        mark = len(dc.posted)
        logged = await say(tg, ANN, "/letter received")
        assert "Vella" in logged.text
        turn = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "it is your turn to answer" in turn.content
        move_to(clock, datetime(2026, 12, 8, 9, tzinfo=UTC))  # the nudge, in her morning
        mark = len(dc.posted)
        assert await sweep(app) == 1
        nudge = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "Your reply is due by" in nudge.content

        # She passes; Bea answers; the turn moves on to Tess.
        mark = len(dc.posted)
        passed = as_posted(await dc.slash(DISCORD_ANN, "circle", sub("pass")))
        assert "Your turn went to Bea Writer" in passed.content
        told = await dc.next_posted("dm", user_id=BEA.id, after=mark)
        assert "passed her turn" in told.content and "please answer Vella by" in told.content
        not_hers = as_posted(await dc.slash(DISCORD_ANN, "circle", sub("pass")))
        assert "not your turn" in not_hers.content
        logged_out = as_posted(
            await dc.slash(BEA, "letter", [{"type": 1, "name": "sent", "options": []}])
        )
        assert "Vella" in logged_out.content
        up_next = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "Bea Writer answered Vella. You write the circle's next letter" in up_next
        shown = as_posted(await dc.slash(BEA, "circle", sub("show")))
        assert "Vella: Tess's turn (2 letters logged)" in shown.content

        # Tess leaves; her turn goes to the next member who can write.
        mark = len(dc.posted)
        left = await say(tg, ANN, "/circle leave")
        assert "You left “Night Owls”" in left.text
        back = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "Tess left your circle" in back.content or "your turn" in back.content
        await posted_in(dc, thread, "Tess left", mark)
        overview = await say(tg, COORDINATOR, "/coord circle list")
        assert "2 members, in turn: Ann Writer, Bea Writer" in html_to_text(overview.text)
        group = await say(tg, ANN, "/circle here")
        assert "not in a private chat" in group.text

        # Bea leaves too: out of the thread; the lead alone is asked what becomes of Vella.
        mark = len(dc.posted)
        gone = as_posted(await dc.slash(BEA, "circle", sub("leave")))
        assert "You left “Night Owls”" in gone.content
        assert made["members"] == [DISCORD_ANN.id]
        ask = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        while "one member left" not in ask.content:
            ask = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=dc.posted.index(ask) + 1)
        end = next(c for c in ask.custom_ids() if ":cq:" in c)
        assert (
            "Only the circle's lead or a coordinator"
            in as_posted(await dc.click(BEA, ask, end)).content
        )
        ended = as_posted(await dc.click(DISCORD_ANN, ask, end))
        assert "waits again with her original date" in ended.content
        told = await tg.next_sent(COORDINATOR.id)
        while "one member left" not in told.text:
            told = await tg.next_sent(COORDINATOR.id)
    assert query(db_path, "SELECT status FROM penpals WHERE preferred_name = 'Vella'") == [
        ("waiting",)
    ]

    channel = [p.content for p in dc.posted if p.where == "channel" and p.channel_id == thread]
    said = "\n".join(channel)
    for line in ("writes to **Vella** now", "A letter from Vella came: Ann Writer answers it, by",
                 "Ann Writer passed her turn with Vella to Bea Writer",
                 "Bea Writer answered Vella. Next turn: Tess.",
                 "Tess's turn with Vella goes to Ann Writer.", "Tess left “Night Owls”."):  # fmt: skip
        assert line in said, line
    assert_no_canary(channel)
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert_no_canary(public)


GROUP = -1001234567


async def test_a_telegram_circle_talks_in_its_group_without_her_details(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    clock = FakeClock(START)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg), clock):
        for user, name in ((ANN, "Tess"), (EVE, "Eve Writer")):
            consent = await answer_until_consent(tg, user, name=name)
            await press(tg, user, consent, "I agree")
            await tg.next_sent(user.id)
        tg.pending(COORDINATOR.id)
        made = await say(tg, ANN, "/circle create Library Circle")
        assert "Library Circle" in made.text
        notice = await tg.next_sent(COORDINATOR.id)
        await press(tg, COORDINATOR, notice, "Approve")
        await tg.next_sent(COORDINATOR.id)
        await tg.next_sent(ANN.id)  # approved
        typo = await say(tg, ANN, "/circle invte @eve")
        assert "/circle invite @name" in html_to_text(typo.text)  # how to write it
        await say(tg, ANN, "/circle invite @eve")
        await press(tg, EVE, await tg.next_sent(EVE.id), "Join")
        await tg.next_sent(EVE.id)
        await tg.next_sent(ANN.id)  # Eve joined

        # In the group: only /circle here, and only the lead links it.
        await tg.user_says(EVE, "/circle here", chat_id=GROUP, chat_type="group")
        assert "Only the circle's lead" in (await tg.next_sent(GROUP)).text
        await tg.user_says(ANN, "/circle", chat_id=GROUP, chat_type="group")
        assert "private chat" in (await tg.next_sent(GROUP)).text
        await tg.user_says(ANN, "/circle here", chat_id=GROUP, chat_type="group")
        assert "talks here now" in (await tg.next_sent(GROUP)).text

        matched = await say(tg, COORDINATOR, "/coord circle match 1 library circle")
        assert "writes to Vella" in matched.text
        assert CANARY_ID in (await tg.next_sent(ANN.id)).text  # privately
        assert CANARY_ID in (await tg.next_sent(EVE.id)).text
        assert "writes to <b>Vella</b> now" in (await tg.next_sent(GROUP)).text
        await say(tg, EVE, "/letter received")
        assert "Tess answers it" in html_to_text((await tg.next_sent(GROUP)).text)
        assert "your turn to answer" in html_to_text((await tg.next_sent(ANN.id)).text)
        await say(tg, ANN, "/letter sent")
        assert "Next turn: Eve Writer" in (await tg.next_sent(GROUP)).text
        assert "You write the circle's next letter" in (await tg.next_sent(EVE.id)).text
        shown = html_to_text((await say(tg, EVE, "/circle")).text)
        assert "Vella: Eve Writer's turn (2 letters logged)" in shown

    in_groups = [m.text for m in tg.messages.values() if m.chat_id < 0]
    assert len(in_groups) >= 6
    assert_no_canary(in_groups)


async def test_without_the_right_to_make_threads_the_circle_talks_in_the_channel(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    dc.may_make_threads = False
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        await discord_volunteer(dc, DISCORD_ANN, "Ann Writer")
        await dc.slash(DISCORD_ANN, "circle", sub("create", name="Night Owls"))
        pending = as_posted(await dc.slash(DISCORD_ANN, "circle", sub("here")))
        assert "waits for a coordinator's approval" in pending.content
        cora = discord_coordinator(dc)
        notice = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id)
        while "new writing circle" not in notice.content:
            notice = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id,
                                          after=dc.posted.index(notice) + 1)  # fmt: skip
        approve = next(c for c in notice.custom_ids() if ":ca:" in c)
        stranger = as_posted(await dc.click(DISCORD_ANN, notice, approve))
        assert "Only the program's coordinators" in stranger.content
        assert "is approved" in as_posted(await dc.click(cora, notice, approve)).content
        here = as_posted(await dc.slash(DISCORD_ANN, "circle", sub("here")))
        assert "“Night Owls” talks here now" in here.content and not dc.threads
        listed = as_posted(await dc.slash(cora, "coord", [{"type": 2, "name": "circle",
                                                          "options": sub("list")}]))  # fmt: skip
        assert (
            "Night Owls** (active; takes 1 pen pal; has its place)" in listed.content
            and listed.ephemeral
        )

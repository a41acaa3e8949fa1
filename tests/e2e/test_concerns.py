"""/concern end to end on both fake platforms: a private report in steps, the coordinators told
at once without the words (which may hold a pen pal's private data), the words only in
/coord concerns, answered through the bot, marked handled with a note (she is told, without the
note) and listed once handled. Non-coordinators get nothing."""

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
    ann_matched_on_discord,
    ann_matched_on_telegram,
    as_posted,
    press,
    say,
    seed_registry,
)

WORDS = "She asked me to wire money to cousin Quintessa-7731"


async def test_telegram_concern_in_steps_then_handled(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        await ann_matched_on_telegram(tg)
        assert "send /concern followed by" in (await say(tg, ANN, "/concern")).text
        ask = await say(tg, ANN, f"/concern {WORDS}\nShe was insistent.")
        assert "What is it about?" in ask.text
        forged = await tg.user_presses(EVE, ask, ask.button("Money requests")["callback_data"])
        assert "expired" in (await tg.callback_answer(forged))["text"]
        await press(tg, ANN, ask, "Money requests")
        which = await tg.next_sent(ANN.id)
        assert "Which pen pal" in which.text and which.button("Not about one pen pal")
        await press(tg, ANN, which, "Vella")
        assert "Sent to the coordinators" in (await tg.next_sent(ANN.id)).text

        alert = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert "New concern #1 (Money requests) from Ann Writer, about: Vella" in alert
        assert "Quintessa" not in alert
        assert "Only the program's coordinators" in (await say(tg, EVE, "/coord concerns")).text
        listing = html_to_text((await say(tg, COORDINATOR, "/coord concerns")).text)
        assert "Open concerns (1)" in listing and WORDS in listing
        full = html_to_text((await say(tg, COORDINATOR, "/coord concerns 1")).text)
        assert "She was insistent." in full
        answered = await say(tg, COORDINATOR, "/coord answer 1 We called the facility.\nWrite on.")
        assert answered.text == "Your answer to concern #1 went to Ann Writer, privately."
        told = html_to_text((await tg.next_sent(ANN.id)).text)
        assert told.startswith("A coordinator answers the concern you raised on ")
        assert told.endswith(":\nWe called the facility.\nWrite on.")
        assert "Add a note" in (await say(tg, COORDINATOR, "/coord handled 1")).text
        assert "No concern has been marked handled" in (
            await say(tg, COORDINATOR, "/coord handled")).text  # fmt: skip
        done = await say(tg, COORDINATOR, "/coord handled 1 Called her; no money sent.")
        assert "Concern #1 is marked handled" in done.text
        closed = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "marked it handled" in closed and "Called her" not in closed  # the note stays inside
        assert "No open concerns" in (await say(tg, COORDINATOR, "/coord concerns")).text
        handled = html_to_text((await say(tg, COORDINATOR, "/coord handled")).text)
        assert handled.startswith("Concerns handled (1), the latest first:")
        assert "Handled: Called her; no money sent." in handled
        assert "Answered her on " in handled and "We called the facility." in handled
    assert query(db_path, "SELECT kind, status, note, match_id FROM concerns") == [
        ("money", "handled", "Called her; no money sent.", 1)
    ]


async def test_discord_concern_is_ephemeral_and_the_channel_never_sees_the_words(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    coordinator = discord_coordinator(dc)
    eve = Member(310000000000000002, "eve")
    async with running(make_config(dc=dc, approval=False), tokens_for(dc=dc)):
        await ann_matched_on_discord(dc, coordinator)
        what = [{"type": 3, "name": "what", "value": WORDS}]
        ask = as_posted(await dc.slash(DISCORD_ANN, "concern", what))
        assert ask.ephemeral and "What is it about?" in ask.content
        kind = next(c for c in ask.custom_ids() if c.endswith(":threats"))
        refused = as_posted(await dc.click(eve, ask, kind))
        assert "expired" in refused.content
        which = as_posted(await dc.click(DISCORD_ANN, ask, kind))
        assert "Which pen pal" in which.content
        mark = len(dc.posted)
        pal = next(c for c in which.custom_ids() if not c.endswith(":0"))
        sent = as_posted(await dc.click(DISCORD_ANN, which, pal))
        assert sent.ephemeral and "Sent to the coordinators" in sent.content
        alert = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert "New concern #1 (Threats) from Ann Writer, about: Vella" in alert.content

        concerns = [{"type": 1, "name": "concerns", "options": []}]
        assert "Only the program's coordinators" in as_posted(
            await dc.slash(eve, "coord", concerns)).content  # fmt: skip
        listing = as_posted(await dc.slash(coordinator, "coord", concerns))
        assert listing.ephemeral and "Quintessa-7731" in listing.content
        handled = [{"type": 1, "name": "handled", "options": [
            {"type": 4, "name": "number", "value": 1},
            {"type": 3, "name": "note", "value": "Spoke with her."}]}]  # fmt: skip
        assert "Only the program's coordinators" in as_posted(
            await dc.slash(eve, "coord", handled)).content  # fmt: skip
        mark = len(dc.posted)
        done = as_posted(await dc.slash(coordinator, "coord", handled))
        assert done.ephemeral and "marked handled" in done.content
        closed = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "marked it handled" in closed.content
        answer = [{"type": 1, "name": "answer", "options": [
            {"type": 4, "name": "number", "value": 1},
            {"type": 3, "name": "text", "value": "Thank you, we are on it."}]}]  # fmt: skip
        assert "Only the program's coordinators" in as_posted(
            await dc.slash(eve, "coord", answer)).content  # fmt: skip
        mark = len(dc.posted)
        sent_back = as_posted(await dc.slash(coordinator, "coord", answer))
        assert sent_back.ephemeral and "went to Ann Writer, privately" in sent_back.content
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert dm.content.endswith("Thank you, we are on it.")
        listed = as_posted(await dc.slash(coordinator, "coord", [{"type": 1, "name": "handled"}]))
        assert listed.ephemeral and "Quintessa-7731" in listed.content
    public = [p.content for p in dc.posted if p.where != "dm" and not p.ephemeral]
    assert public and not any("Quintessa" in text for text in public)
    assert query(db_path, "SELECT kind, status FROM concerns") == [("threats", "handled")]

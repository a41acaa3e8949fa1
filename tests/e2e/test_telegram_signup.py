"""Sign-up end to end on Telegram: the real python-telegram-bot against the fake Bot API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app.config import Config
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, query, running, tokens_for
from tests.e2e.helpers import ANN, EVE, answer_until_consent, begin_signup, press, say


async def test_full_signup_and_coordinator_approval(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        commands = await tg.wait_for_call("setMyCommands")
        assert [c["command"] for c in commands["commands"]] == [
            "start", "signup", "me", "mypenpals", "letter", "letters", "browse", "circle", "pause",
            "resume", "concern", "leave", "link", "unlink", "mydata", "forgetme", "language", "cancel",
            "help",
        ]  # fmt: skip
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        done = await tg.next_sent(ANN.id)
        assert "A coordinator will review it soon" in done.text
        rows = query(db_path, "SELECT display_name, pronouns, languages, interests, capacity, "
                              "frequency, timezone, status FROM volunteers")  # fmt: skip
        assert rows == [("Ann Writer", "", '["en", "es"]', '["books", "gardening"]', 2,
                         "monthly", "America/Chicago", "pending")]  # fmt: skip
        assert query(db_path, "SELECT kinds, woman_writer FROM volunteers") == [
            ('["friendship"]', 1)
        ]

        # Every coordinator is told, in her private chat, with approve and reject buttons.
        notice = await tg.next_sent(COORDINATOR.id)
        assert "New volunteer sign-up" in notice.text and "Ann Writer" in notice.text

        # A volunteer who forges the coordinator's button gets nothing.
        forged = await tg.user_presses(EVE, notice, notice.button("Approve")["callback_data"])
        answer = await tg.callback_answer(forged)
        assert answer.get("show_alert") and "Only the program's coordinators" in answer["text"]
        assert query(db_path, "SELECT status FROM volunteers") == [("pending",)]

        approved = await press(tg, COORDINATOR, notice, "Approve")
        assert "Approved volunteer" in (await tg.callback_answer(approved))["text"]
        told = await tg.next_sent(ANN.id)
        assert "a coordinator approved your sign-up" in told.text
        assert query(db_path, "SELECT status FROM volunteers") == [("active",)]
        assert query(db_path, "SELECT actor, action FROM audit_log ORDER BY id") == [
            ("telegram:111", "volunteer.signup"), ("telegram:900", "volunteer.approve"),
        ]  # fmt: skip

        me = await say(tg, ANN, "/me")
        assert "Status: active" in html_to_text(me.text)


async def test_restart_in_the_middle_of_a_signup_continues(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    config = make_config(tg=tg, approval=False)
    async with running(config, tokens_for(tg=tg)):
        await begin_signup(tg, ANN)
        ask = await say(tg, ANN, "Ann Writer")
        assert "pronouns" in ask.text
    # A new process on the same database: the next answer continues where it stopped.
    async with running(config, tokens_for(tg=tg)):
        ask = await say(tg, ANN, "she/her")
        assert "Which languages" in ask.text
        ask = await say(tg, ANN, "English")
        assert "interests" in ask.text
        for text in ("music", "-", "no", "1", "weekly"):
            await say(tg, ANN, text)
        await tg.user_says(ANN, "London")
        await tg.next_sent(ANN.id)
        consent = await tg.next_sent(ANN.id)
        await press(tg, ANN, consent, "I agree")
        done = await tg.next_sent(ANN.id)
        assert "You're signed up" in done.text
    assert query(db_path, "SELECT display_name, pronouns, status FROM volunteers") == [
        ("Ann Writer", "she/her", "active")
    ]


async def test_cancel_drops_the_signup(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        await begin_signup(tg, ANN)
        cancelled = await say(tg, ANN, "/cancel")
        assert "Sign-up cancelled" in cancelled.text
        hint = await say(tg, ANN, "Ann Writer")
        assert "/signup" in hint.text  # no sign-up in progress: the help text
        again = await say(tg, ANN, "/cancel")
        assert "nothing to cancel" in again.text
    assert query(db_path, "SELECT COUNT(*) FROM signup_drafts") == [(0,)]
    assert query(db_path, "SELECT COUNT(*) FROM volunteers") == [(0,)]


async def test_bad_answer_then_retry(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        await begin_signup(tg, ANN)
        for text in ("Ann", "-", "English", "books", "-", "yes", "9"):
            reply = await say(tg, ANN, text)
        assert "a whole number from 1 to 5" in reply.text
        again = await say(tg, ANN, "3")
        assert "How often" in again.text
        reply = await say(tg, ANN, "every century")
        assert "weekly, fortnightly or monthly" in reply.text
        await say(tg, ANN, "fortnightly")
        reply = await say(tg, ANN, "Narnia")
        assert "I couldn't find “Narnia”" in html_to_text(reply.text)
        which = await say(tg, ANN, "UTC+2")  # an offset: several places, never a guess
        assert "Which one is yours?" in which.text
        places = [b["text"] for b in which.buttons]
        assert "Cairo, Egypt" in places and len(places) <= 4
        assert query(db_path, "SELECT answers FROM signup_drafts")[0][0].count("timezone") == 1
        await press(tg, ANN, which, "Cairo, Egypt")
        note = await tg.next_sent(ANN.id)
        assert html_to_text(note.text) == "Time zone: Cairo, Egypt (it is 14:00 there now)."
        assert "guidelines" in (await tg.next_sent(ANN.id)).text
        assert "cancelled" in (await say(tg, ANN, "/cancel")).text
        await begin_signup(tg, ANN)
        for text in ("Ann", "-", "English", "books", "-", "yes", "3", "fortnightly"):
            reply = await say(tg, ANN, text)
        assert "Where do you live" in reply.text
        await tg.user_says(ANN, "est")
        note = await tg.next_sent(ANN.id)
        assert (
            html_to_text(note.text) == "Time zone: Eastern time (New York) (it is 07:00 there now)."
        )


async def test_hostile_text_is_stored_normalised_and_shown_escaped(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        await begin_signup(tg, ANN)
        too_long = await say(tg, ANN, "x" * 5000)
        assert "at most 60 characters" in too_long.text
        assert query(db_path, "SELECT answers FROM signup_drafts") == [("{}",)]
        hostile = "<b>Ann</b> & @everyone \u202eevil\u200b"
        ask = await say(tg, ANN, hostile)
        assert "pronouns" in ask.text
        await tg.user_says(ANN, "/me")
        await tg.next_sent(ANN.id)  # not signed up yet: fine, the fake accepted valid HTML
        for text in ("-", "English", "books", "creative", "no", "1", "weekly"):
            await say(tg, ANN, text)
        await tg.user_says(ANN, "UTC")
        await tg.next_sent(ANN.id)
        consent = await tg.next_sent(ANN.id)
        await press(tg, ANN, consent, "I agree")
        done = await tg.next_sent(ANN.id)
        # The fake rejects invalid HTML like Telegram, so reaching here proves the escaping.
        assert "&lt;b&gt;Ann&lt;/b&gt; &amp; @everyone evil" in done.text
    assert query(db_path, "SELECT display_name FROM volunteers") == [
        ("<b>Ann</b> & @everyone evil",)
    ]


async def test_group_chat_is_pointed_to_a_private_chat(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        await tg.user_says(ANN, "/signup", chat_id=-100500, chat_type="supergroup")
        reply = await tg.next_sent(-100500)
        assert "private chat" in reply.text and reply.reply_markup is None
        await tg.user_says(ANN, "/start")
        welcome = await tg.next_sent(ANN.id)
        assert "<b>Letters Inside</b>" in welcome.text
    assert query(db_path, "SELECT COUNT(*) FROM signup_drafts") == [(0,)]

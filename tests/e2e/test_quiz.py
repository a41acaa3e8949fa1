"""The training quiz end to end on both platforms: written at the end of the program's
guidelines file, asked with buttons right after "I agree", failed once (with the right answers
shown), retaken with /quiz and passed; only then do the coordinators get her sign-up, with her
score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord
from sandbox.fake_telegram import FakeTelegram, html_to_text
from sandbox.keep import labels
from tests.e2e.conftest import COORDINATOR, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    FORM,
    answer_until_consent,
    as_posted,
    fill_form,
    finish_choices,
    press,
    say,
)

GUIDELINES = """Never give your home address.

## Quiz
? Whose address goes on the envelope?
- Mine
* The program's return address
? May you send her money?
* No
- Yes, a little
"""


def with_quiz(config: Config, folder: Path) -> Config:
    (folder / "guidelines.en.txt").write_text(GUIDELINES, encoding="utf-8")
    pattern = str(folder / "guidelines.{language}.txt")
    return replace(config, program=replace(config.program, guidelines_file=pattern))


async def test_telegram_the_quiz_comes_before_the_coordinators_see_her(
    tg: FakeTelegram, make_config: Callable[..., Config], tmp_path: Path
) -> None:
    config = with_quiz(make_config(tg=tg), tmp_path)
    async with running(config, tokens_for(tg=tg)):
        consent = await answer_until_consent(tg, ANN)
        assert "Never give your home address." in consent.text and "## Quiz" not in consent.text
        await press(tg, ANN, consent, "I agree")
        done = html_to_text((await tg.next_sent(ANN.id)).text)
        assert "One more step before a coordinator looks at your sign-up" in done
        first = await tg.next_sent(ANN.id)
        assert html_to_text(first.text).endswith(
            "Question 1 of 2\nWhose address goes on the envelope?"
        )
        assert [b["text"] for b in first.buttons] == ["Mine", "The program's return address"]
        await press(tg, ANN, first, "Mine")
        second = await tg.next_sent(ANN.id)
        await press(tg, ANN, second, "No")
        failed = html_to_text((await tg.next_sent(ANN.id)).text)
        assert failed.startswith("You got 1 of 2 right.")
        assert "The right answer: The program's return address" in failed
        stale = await tg.user_presses(ANN, first, first.button("Mine")["callback_data"])
        assert "expired" in (await tg.callback_answer(stale))["text"]
        again = await say(tg, ANN, "/quiz")
        await press(tg, ANN, again, "The program's return address")
        await press(tg, ANN, await tg.next_sent(ANN.id), "No")
        passed = html_to_text((await tg.next_sent(ANN.id)).text)
        assert passed.startswith("All 2 right: thank you! A coordinator will now look")
        signup = html_to_text((await tg.next_sent(COORDINATOR.id)).text)
        assert signup.startswith("New volunteer sign-up")
        assert signup.endswith("Quiz: 1 of 2 right at the first try, passed after 2 tries")
        listed = html_to_text((await say(tg, COORDINATOR, "/coord pending")).text)
        assert "Quiz: 1 of 2 right at the first try" in listed


async def test_discord_the_quiz_buttons_and_the_score_in_the_channel(
    dc: FakeDiscord, make_config: Callable[..., Config], tmp_path: Path
) -> None:
    config = with_quiz(make_config(dc=dc), tmp_path)
    async with running(config, tokens_for(dc=dc)):
        step = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        mark = len(dc.posted)
        await dc.click(DISCORD_ANN, step, "penpal:signup:agree")
        question = await dc.next_posted("followup", after=mark)
        assert question.ephemeral and "Question 1 of 2" in question.content
        assert labels(question.components) == ["Mine", "The program's return address"]
        step = as_posted(await dc.click(DISCORD_ANN, question, "penpal:quiz:0:1"))
        assert "Question 2 of 2" in step.content
        mark = len(dc.posted)
        done = as_posted(await dc.click(DISCORD_ANN, step, "penpal:quiz:1:0"))
        assert done.content.startswith("All 2 right: thank you!")
        told = await dc.next_posted("channel", channel_id=dc.coordinator_channel_id, after=mark)
        assert "New volunteer sign-up" in told.content
        assert "Quiz: passed at the first try (2 of 2 right)" in told.content
        again = as_posted(await dc.slash(DISCORD_ANN, "quiz"))
        assert "You have passed the quiz already" in again.content


def test_the_programs_own_text_is_read_as_a_little_markdown_and_stays_safe() -> None:
    """Headings and **bold** are bold, `- ` lines are bullets, and nothing else in the text
    can change how either platform shows it (HTML on Telegram, markdown and mentions on
    Discord)."""
    from bot.messages import msg
    from bot.messages.forms import ByLanguage
    from cogs.render import to_markdown
    from conversations.render import to_html

    text = (
        "## Our rules\n- Use **our** address\n* No <b>money</b> @everyone\n"
        "A [link](http://x) and `code` and 2 ** 3"
    )
    shown = msg("literal", text=ByLanguage((("en", text),), msg("signup.guidelines")))
    assert to_html(shown) == (
        "<b>Our rules</b>\n• Use <b>our</b> address\n• No &lt;b&gt;money&lt;/b&gt; @everyone\n"
        "A [link](http://x) and `code` and 2 ** 3"
    )
    discord = to_markdown(shown)
    assert discord.startswith("**Our rules**\n• Use **our** address\n• No <b>money</b>")
    assert "@everyone" not in discord  # a mention is broken up
    assert "\\[link]" in discord and "\\`code\\`" in discord and "2 \\*\\* 3" in discord

"""Updated guidelines end to end: the volunteer is asked privately with an "I agree" button on
Telegram and on Discord, and pressing it records her acceptance (a stranger's press does not)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app.config import Config
from bot.messages import msg
from bot.messages.forms import ByLanguage
from bot.questions import Guidelines
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import query, running, tokens_for
from tests.e2e.helpers import (
    ANN,
    DISCORD_ANN,
    EVE,
    FORM,
    answer_until_consent,
    as_posted,
    fill_form,
    finish_choices,
    press,
)

NEW = Guidelines(ByLanguage((("en", "Be kind. Write back soon."),), msg("signup.guidelines")), "v2")


async def test_updated_guidelines_are_accepted_again_on_both_platforms(
    tg: FakeTelegram, dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(make_config(tg=tg, dc=dc, approval=False), tokens_for(tg=tg, dc=dc)) as app:
        consent = await answer_until_consent(tg, ANN)
        await press(tg, ANN, consent, "I agree")
        await tg.next_sent(ANN.id)
        step = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
        await dc.click(DISCORD_ANN, step, "penpal:signup:agree")
        app.services.consents.guidelines = NEW  # the program changed its guidelines file
        mark = len(dc.posted)
        assert await app.services.consents.check() == 2
        asked = await tg.next_sent(ANN.id)
        assert "updated its guidelines (version v2)" in html_to_text(asked.text)
        assert "Be kind. Write back soon." in html_to_text(asked.text)
        forged = await tg.user_presses(EVE, asked, asked.button("I agree")["callback_data"])
        assert "expired" in (await tg.callback_answer(forged))["text"]
        await press(tg, ANN, asked, "I agree")
        assert "Thank you for accepting" in (await tg.next_sent(ANN.id)).text
        dm = await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)
        assert "updated its guidelines" in dm.content and dm.custom_ids() == [
            "penpal:guidelines:agree:2"
        ]
        refused = as_posted(
            await dc.click(Member(310000000000000002, "eve"), dm, dm.custom_ids()[0])
        )
        assert "expired" in refused.content
        accepted = as_posted(await dc.click(DISCORD_ANN, dm, dm.custom_ids()[0]))
        assert "Thank you for accepting" in accepted.content
    assert query(db_path, "SELECT guidelines_version FROM volunteers") == [("v2",), ("v2",)]
    assert query(db_path, "SELECT COUNT(*) FROM consent_requests") == [(0,)]

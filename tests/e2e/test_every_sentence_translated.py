"""No sentence bypasses the catalogue: a pseudo-language wraps every catalogue sentence in ⟦ ⟧,
a whole sign-up is played in it on both platforms, and nothing the person sees (messages,
buttons, pop-ups, form titles and labels) has a word outside the brackets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

import bot.messages
from bot.app.config import Config
from bot.messages import CATALOGUE
from bot.messages.forms import Plural
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, FakeUser, html_to_text
from tests.e2e.conftest import running, tokens_for
from tests.e2e.helpers import as_posted, press, say

PSEUDO = "eo"  # a locale Babel knows (dates, plural rule, language names), spoken by no program


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    wrapped: dict[str, Any] = {
        key: tuple(f"⟦{t}⟧" for t in (e.one, e.other)) if isinstance(e, Plural) else f"⟦{e}⟧"
        for key, e in CATALOGUE.items()
    }
    real = bot.messages.translations
    monkeypatch.setattr(
        bot.messages, "translations", lambda lang: wrapped if lang == PSEUDO else real(lang)
    )
    yield


def outside(text: str) -> str:
    """What is left of a text once every bracketed sentence (and what it holds) is gone (one
    cut short by a platform's length limit, such as a menu's placeholder, too)."""
    text = re.sub(r"⟦[^⟦⟧]*$", "", text)
    while True:
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", "", text)
        if shorter == text:
            return text
        text = shorter


def assert_all_wrapped(texts: list[str]) -> None:
    assert texts
    for text in texts:
        assert not re.search(r"[^\W\d_]", outside(text)), f"not from the catalogue: {text!r}"


def in_pseudo(config: Config) -> Config:
    return replace(config, program=replace(config.program, languages=("en", "es", PSEUDO)))


WRITER = FakeUser(444, "Wren", "wren", language_code=PSEUDO)


def seen_on_telegram(tg: FakeTelegram, chat: int) -> list[str]:
    texts = []
    for method, params in tg.calls:
        if str(params.get("chat_id")) == str(chat) and "text" in params:
            texts.append(html_to_text(str(params["text"])))
        markup = params.get("reply_markup") or {}
        if isinstance(markup, dict) and str(params.get("chat_id")) == str(chat):
            texts += [b["text"] for row in markup.get("inline_keyboard", []) for b in row]
        if method == "answerCallbackQuery" and params.get("text"):
            texts.append(str(params["text"]))
    return texts


async def test_a_telegram_sign_up_says_nothing_outside_the_catalogue(
    tg: FakeTelegram, make_config: Callable[..., Config], pseudo: None
) -> None:
    async with running(in_pseudo(make_config(tg=tg, approval=False)), tokens_for(tg=tg)):
        await say(tg, WRITER, "/help")
        await say(tg, WRITER, "/me")
        await tg.user_says(WRITER, "/signup")
        await tg.next_sent(WRITER.id)
        await tg.next_sent(WRITER.id)
        pronouns = await say(tg, WRITER, "Wren Writes")
        await press(tg, WRITER, pronouns, "⟦Skip⟧")
        langs = await tg.next_sent(WRITER.id)
        await press(tg, WRITER, langs, "⟦angla⟧")
        await press(tg, WRITER, await tg.next_message(WRITER.id), "⟦Done⟧")
        await tg.next_sent(WRITER.id)
        kinds = await say(tg, WRITER, "poetry")
        await press(tg, WRITER, kinds, "⟦Done⟧")
        await press(tg, WRITER, await tg.next_sent(WRITER.id), "⟦Yes⟧")
        await press(tg, WRITER, await tg.next_sent(WRITER.id), "⟦1 pen pal⟧")
        await press(tg, WRITER, await tg.next_sent(WRITER.id), "⟦Once a month⟧")
        await tg.next_sent(WRITER.id)
        await say(tg, WRITER, "Chicago")
        consent = await tg.next_sent(WRITER.id)
        await press(tg, WRITER, consent, "⟦I agree⟧")
        await tg.next_message(WRITER.id)
        await tg.next_sent(WRITER.id)
        await say(tg, WRITER, "/me")
        await say(tg, WRITER, "/nonsense")
        await say(tg, WRITER, "/letter sent 2026-13-01")
    assert_all_wrapped(seen_on_telegram(tg, WRITER.id))


WRITER_ON_DISCORD = Member(310000000000000044, "wren", locale=PSEUDO)


async def test_a_discord_sign_up_says_nothing_outside_the_catalogue(
    dc: FakeDiscord, make_config: Callable[..., Config], pseudo: None
) -> None:
    seen: list[str] = []
    async with running(in_pseudo(make_config(dc=dc, approval=False)), tokens_for(dc=dc)):
        modal = await dc.slash(WRITER_ON_DISCORD, "signup")
        seen.append(modal.data["title"])
        seen += [
            c["label"] for row in modal.data["components"] for c in row.get("components", [row])
            if "label" in c
        ]  # fmt: skip
        values = {"signup-name": "Wren Writes", "signup-languages": "English",
                  "signup-interests": "poetry", "signup-timezone": "Chicago"}  # fmt: skip
        step = as_posted(await dc.submit_modal(WRITER_ON_DISCORD, modal, values))
        for custom_id, value in (("kinds", "friendship"), ("woman", "yes"), ("capacity", "1"),
                                 ("frequency", "monthly")):  # fmt: skip
            seen.append(step.content)
            seen += step_labels(step)
            step = as_posted(
                await dc.select(
                    WRITER_ON_DISCORD, step, f"penpal:signup:answer:{custom_id}", [value]
                )
            )
        seen += [step.content, *step_labels(step)]
        done = as_posted(await dc.click(WRITER_ON_DISCORD, step, "penpal:signup:agree"))
        seen.append(done.content)
        seen.append(as_posted(await dc.slash(WRITER_ON_DISCORD, "me")).content)
        seen.append(as_posted(await dc.slash(WRITER_ON_DISCORD, "help")).content)
    assert_all_wrapped(seen)


def step_labels(step: Any) -> list[str]:
    """Button labels, menu placeholders and option labels under a message."""
    found: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            for key in ("label", "placeholder"):
                if item.get(key):
                    found.append(str(item[key]))
            found.extend(str(o["label"]) for o in item.get("options", []))
            walk(item.get("components", []))

    walk(step.components)
    return found


BOSS = FakeUser(900, "Cora", "cora_coord", language_code=PSEUDO)  # the configured coordinator


async def test_the_coordinators_console_says_nothing_outside_the_catalogue(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Any, pseudo: None
) -> None:
    from tests.e2e.helpers import seed_registry

    await seed_registry(db_path)
    async with running(in_pseudo(make_config(tg=tg, approval=True)), tokens_for(tg=tg)):
        for command in ("/coord", "/coord statz", "/coord end one", "/coord stats",
                        "/coord pending", "/coord penpal", "/coord audit", "/coord overdue",
                        "/coord concerns", "/coord volunteer 1", "/coord match",
                        "/coord penpal add", "/coord broadcast all\nHello",
                        "/coord release 1 soon", "/language"):  # fmt: skip
            await tg.user_says(BOSS, command)
            await tg.next_message(BOSS.id)
    assert_all_wrapped(seen_on_telegram(tg, BOSS.id))

"""Rendering catalogue messages and prompts as Telegram HTML and inline keyboards."""

from __future__ import annotations

import html
import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes, ExtBot

from bot.domain.models import AccountRef, Actor, Button, Platform
from bot.domain.text import Markup, split_rendered, utf16_units
from bot.locales import LocaleService
from bot.messages import Message, render
from bot.questions import Prompt, Question
from bot.services import Services

PARSE_MODE = "HTML"
MAX_TEXT = 4096
MARKUP = Markup(re.compile(r"<[^>]*>|&#?\w+;|.", re.S), ("<b>", "</b>"), utf16_units)
"""Cut Telegram HTML between tags and entities, never inside them (4,096 UTF-16 units)."""


def pieces(text: str) -> list[str]:
    """Text as messages Telegram accepts, cut at line breaks where possible."""
    return split_rendered(text, MAX_TEXT, MARKUP) or [text]


class SplittingBot(ExtBot):  # type: ignore[type-arg]
    """The application's bot: a text longer than one Telegram message goes out in parts, cut
    at line breaks and never inside a tag or an entity; the keyboard goes under the last part.
    (Every reply and outbox message passes through here, `reply_text` included.)"""

    __slots__ = ()

    async def send_message(self, chat_id: Any, text: str, *args: Any, **kwargs: Any) -> Any:
        parts = [text] if args else pieces(text)
        if len(parts) == 1:
            return await super().send_message(chat_id, text, *args, **kwargs)
        keyboard = kwargs.pop("reply_markup", None)
        for part in parts[:-1]:
            await super().send_message(chat_id, part, **kwargs)
        return await super().send_message(chat_id, parts[-1], reply_markup=keyboard, **kwargs)

    async def edit_message_text(self, text: str, *args: Any, **kwargs: Any) -> Any:
        chat_id = kwargs.get("chat_id")
        parts = [text] if args or chat_id is None else pieces(text)
        if len(parts) == 1:
            return await super().edit_message_text(text, *args, **kwargs)
        keyboard = kwargs.pop("reply_markup", None)
        edited = await super().edit_message_text(parts[0], **kwargs)
        mode = {"parse_mode": kwargs["parse_mode"]} if "parse_mode" in kwargs else {}
        for part in parts[1:-1]:
            await self.send_message(chat_id, part, **mode)
        await self.send_message(chat_id, parts[-1], reply_markup=keyboard, **mode)
        return edited


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _bold(text: str) -> str:
    return f"<b>{text}</b>"


def to_html(message: Message) -> str:
    """A catalogue message as Telegram HTML, with every user-provided part escaped."""
    return render(message, escape=_escape, bold=_bold)


def label(message: Message) -> str:
    """A button label (plain text: Telegram does not parse markup in buttons)."""
    return render(message)


def account(user: object) -> AccountRef:
    """The core's reference to a Telegram user."""
    return AccountRef(Platform.TELEGRAM, str(user.id), getattr(user, "username", None) or "")  # type: ignore[attr-defined]


def prompt_keyboard(prompt: Prompt) -> InlineKeyboardMarkup | None:
    """Inline buttons for a prompt's choices (toggles with ✓ for multi-choice questions)."""
    rows: list[list[InlineKeyboardButton]] = []
    q = prompt.question
    if prompt.multi:
        buttons = [
            InlineKeyboardButton(
                ("✓ " if c.value in prompt.selected else "") + label(c.label),
                callback_data=f"su:tog:{q.value}:{c.value}",
            )
            for c in prompt.choices
        ]
        rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
        done = InlineKeyboardButton(
            label(Message("button.done")), callback_data=f"su:done:{q.value}"
        )
        rows.append([done])
    elif q is Question.PRONOUNS:
        rows = [[InlineKeyboardButton(label(Message("button.skip")), callback_data="su:skip")]]
    elif q is Question.PEN_NAME:
        mine = InlineKeyboardButton(
            label(Message("button.use_my_name")), callback_data="su:skip:pen_name"
        )
        rows = [[mine]]
    elif prompt.choices:
        rows = [
            [InlineKeyboardButton(label(c.label), callback_data=f"su:{q.value}:{c.value}")]
            for c in prompt.choices
        ]
    return InlineKeyboardMarkup(rows) if rows else None


def outbox_keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """Buttons of an outbound message; callback data is `action:arg`."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label(Message(b.label_key)), callback_data=f"{b.action}:{b.arg}"
                )
                for b in buttons
            ]
        ]
    )


def actor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Actor:
    """Who is acting; a coordinator only if her user id is in the config (checked every time)."""
    assert update.effective_user is not None
    user_id = update.effective_user.id
    coordinators: frozenset[int] = context.application.bot_data["coordinator_ids"]
    return Actor(Platform.TELEGRAM, str(user_id), is_coordinator=user_id in coordinators)


def language_keyboard(locales: LocaleService, then: str = "") -> InlineKeyboardMarkup:
    """A button per language the program speaks, each named in itself (`then`: what goes on
    once she has chosen, e.g. "su" for the sign-up)."""
    suffix = f":{then}" if then else ""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(render(name), callback_data=f"lg:{code}{suffix}")]
            for code, name in locales.offered()
        ]
    )


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The core services, kept in the application's bot_data."""
    services: Services = context.application.bot_data["services"]
    return services


async def say(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    message: Message,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Send a catalogue message to the chat the update came from."""
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id, to_html(message), parse_mode=PARSE_MODE, reply_markup=keyboard
    )

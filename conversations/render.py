"""Rendering catalogue messages and prompts as Telegram HTML and inline keyboards."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.messages import Message, render
from bot.models import AccountRef, Button, Platform
from bot.questions import Prompt, Question
from bot.services import Services

PARSE_MODE = "HTML"
MAX_TEXT = 4096


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
        [[InlineKeyboardButton(label(Message(b.label_key)), callback_data=f"{b.action}:{b.arg}")
          for b in buttons]]
    )  # fmt: skip


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The core services, kept in the application's bot_data."""
    services: Services = context.application.bot_data["services"]
    return services


async def say(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:  # fmt: skip
    """Send a catalogue message to the chat the update came from."""
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, to_html(message),
                                   parse_mode=PARSE_MODE, reply_markup=keyboard)  # fmt: skip

"""Telegram: /concern in a private chat (her words, then the kind, then which pen pal)."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.concerns import KINDS, ConcernStep
from bot.messages import msg
from conversations.render import account, label, say, services_of

WORDS = re.compile(r"^/concern(?:@\w+)?\s*(.*)$", re.DOTALL)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("concern", concern, filters.ChatType.PRIVATE))
    application.add_handler(
        CallbackQueryHandler(step, pattern=r"^cn:(k:\d{1,18}:[a-z]{1,12}|m:\d{1,18}:\d{1,18})$")
    )


def _keyboard(found: ConcernStep) -> InlineKeyboardMarkup | None:
    if found.ask_kind:
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        label(msg(f"concern.kind.{kind}")),
                        callback_data=f"cn:k:{found.concern_id}:{kind}",
                    )
                ]
                for kind in KINDS
            ]
        )
    if found.choices:
        rows = [
            [
                InlineKeyboardButton(
                    c.name[:60], callback_data=f"cn:m:{found.concern_id}:{c.match_id}"
                )
            ]
            for c in found.choices
        ]
        rows.append(
            [
                InlineKeyboardButton(
                    label(msg("concern.no_match")), callback_data=f"cn:m:{found.concern_id}:0"
                )
            ]
        )
        return InlineKeyboardMarkup(rows)
    return None


async def concern(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/concern what happened` (the words may span several lines)."""
    assert update.effective_user is not None and update.effective_message is not None
    found = WORDS.match(update.effective_message.text or "")
    words = found.group(1) if found else ""
    first = await services_of(context).concerns.start(account(update.effective_user), words)
    await say(update, context, first.message, _keyboard(first))


async def step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The kind, then the pen pal; ownership is checked by the service on each press."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    _, what, concern_id, value = query.data.split(":")
    service = services_of(context).concerns
    who = account(update.effective_user)
    if what == "k":
        found = await service.choose_kind(who, int(concern_id), value)
        await query.answer()
        await query.edit_message_reply_markup(None)
        await say(update, context, found.message, _keyboard(found))
        return
    result = await service.submit(who, int(concern_id), int(value))
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)

"""Telegram: coordinators' approve and reject buttons, re-checked on every press."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.domain.models import Actor, Platform, SentPart
from bot.messages import msg, plain
from bot.services import Services
from conversations.render import PARSE_MODE, to_html


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the coordinator handlers and a catch-all for buttons nobody issued."""
    application.add_handler(CallbackQueryHandler(decide, pattern=r"^(approve|reject):\d{1,18}$"))
    application.add_handler(CallbackQueryHandler(expired))


def actor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Actor:
    """Who pressed; a coordinator only if her user id is in the config (checked every time)."""
    assert update.effective_user is not None
    user_id = update.effective_user.id
    coordinators: frozenset[int] = context.application.bot_data["coordinator_ids"]
    return Actor(Platform.TELEGRAM, str(user_id), is_coordinator=user_id in coordinators)


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    verdict, _, volunteer_id = query.data.partition(":")
    services: Services = context.application.bot_data["services"]
    result = await services.volunteers.decide(
        int(volunteer_id), verdict == "approve", actor(update, context)
    )
    await query.answer(plain(result)[:200])
    await query.edit_message_reply_markup(None)
    if update.effective_chat is not None:
        chat = update.effective_chat.id
        told = await context.bot.send_message(chat, to_html(result), parse_mode=PARSE_MODE)
        await services.volunteers.shown(
            int(volunteer_id), Platform.TELEGRAM, [SentPart(str(chat), str(told.message_id))]
        )


async def expired(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons with data we never issued (or no longer understand) change nothing."""
    assert update.callback_query is not None
    await update.callback_query.answer(plain(msg("error.expired")), show_alert=True)

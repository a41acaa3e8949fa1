"""Telegram: coordinators' Approve and Reject buttons under a sign-up, re-checked on every press."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.domain.models import Platform, SentPart
from bot.messages import plain
from conversations.render import PARSE_MODE, actor, services_of, to_html


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(decide, pattern=r"^(approve|reject):\d{1,18}$"))


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    verdict, _, volunteer_id = query.data.partition(":")
    volunteers = services_of(context).volunteers
    result = await volunteers.decide(
        int(volunteer_id), verdict == "approve", actor(update, context)
    )
    await query.answer(plain(result)[:200])
    await query.edit_message_reply_markup(None)
    if update.effective_chat is not None:
        chat = update.effective_chat.id
        told = await context.bot.send_message(chat, to_html(result), parse_mode=PARSE_MODE)
        await volunteers.shown(
            int(volunteer_id), Platform.TELEGRAM, [SentPart(str(chat), str(told.message_id))]
        )

"""Telegram: coordinators' Approve and Reject buttons under a sign-up, re-checked on every press."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.domain.models import Platform, SentPart
from bot.messages import msg, plain
from conversations.render import PARSE_MODE, actor, label, services_of, to_html


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(decide, pattern=r"^(approve|rj):\d{1,18}$"))
    application.add_handler(CallbackQueryHandler(reject_ask, pattern=r"^reject:\d{1,18}$"))


async def reject_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reject: first how to give her the reason, with a button to reject without one."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    volunteer_id = int(query.data.partition(":")[2])
    asked, pending = await services_of(context).volunteers.reject_ask(
        volunteer_id, actor(update, context)
    )
    await query.answer()
    keyboard = None
    if pending:
        plain_reject = InlineKeyboardButton(
            label(msg("button.reject_plain")), callback_data=f"rj:{volunteer_id}"
        )
        keyboard = InlineKeyboardMarkup([[plain_reject]])
    await context.bot.send_message(
        update.effective_chat.id, to_html(asked), parse_mode=PARSE_MODE, reply_markup=keyboard
    )


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

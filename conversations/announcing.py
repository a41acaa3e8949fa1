"""Telegram: an announcement's preview with Send and Cancel (the coordinator right is checked in
the core on every press)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.messages import Message, msg, plain
from conversations.render import PARSE_MODE, actor, label, services_of, to_html


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(decide, pattern=r"^bc:\d{1,18}:(send|cancel)$"))


async def show_preview(
    context: ContextTypes.DEFAULT_TYPE, chat: int, preview: Message, draft: int
) -> None:
    """The announcement as it will read, with Send and Cancel."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label(msg("button.send")), callback_data=f"bc:{draft}:send"),
                InlineKeyboardButton(
                    label(msg("button.cancel")), callback_data=f"bc:{draft}:cancel"
                ),
            ]
        ]
    )
    await context.bot.send_message(
        chat, to_html(preview), parse_mode=PARSE_MODE, reply_markup=keyboard
    )


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, draft, choice = query.data.split(":")
    announcements = services_of(context).announcements
    who = actor(update, context)
    if choice == "send":
        result = await announcements.send(who, int(draft))
    else:
        result = await announcements.cancel(who, int(draft))
    await query.answer(plain(result)[:200])
    await query.edit_message_reply_markup(None)
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, to_html(result), parse_mode=PARSE_MODE)

"""Telegram: coordinators' /coord broadcast (preview, then Send or Cancel), /coord remind and
/coord schedule. The coordinator right is checked in the core on every call and press."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.domain.models import Actor
from bot.messages import Message, msg, plain
from conversations.coordinators import actor
from conversations.render import PARSE_MODE, label, services_of, to_html

COMMANDS = ("broadcast", "remind", "schedule", "unschedule")


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(decide, pattern=r"^bc:\d{1,18}:(send|cancel)$"))


async def coord(update: Update, context: ContextTypes.DEFAULT_TYPE, who: Actor) -> None:
    """`/coord broadcast AUDIENCE` / `/coord schedule DAYS HH:MM TZ AUDIENCE` with the text on
    the next lines, or `/coord remind @handle`."""
    assert update.effective_chat is not None and update.effective_message is not None
    first, _, text = (update.effective_message.text or "").partition("\n")
    command, *args = first.split()[1:]
    announcements = services_of(context).announcements
    chat = update.effective_chat.id
    result: Message
    if command == "broadcast" and len(args) == 1:
        preview, draft = await announcements.preview(who, args[0], text)
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        label(msg("button.send")), callback_data=f"bc:{draft}:send"
                    ),
                    InlineKeyboardButton(
                        label(msg("button.cancel")), callback_data=f"bc:{draft}:cancel"
                    ),
                ]
            ]
        )
        await context.bot.send_message(
            chat, to_html(preview), parse_mode=PARSE_MODE, reply_markup=keyboard
        )
        return
    if command == "remind" and len(args) == 1:
        result = await announcements.remind(who, args[0])
    elif command == "unschedule" and len(args) == 1 and args[0].isdigit():
        result = await announcements.stop_schedule(who, int(args[0]))
    elif command == "schedule" and len(args) == 4:
        days, at, timezone, audience = args
        result = await announcements.add_schedule(who, days, at, timezone, audience, text)
    else:
        usage = {
            "broadcast": "broadcast.usage",
            "schedule": "schedule.usage",
            "unschedule": "schedule.usage",
        }
        result = msg(usage.get(command, "remind.usage"))
    await context.bot.send_message(chat, to_html(result), parse_mode=PARSE_MODE)


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

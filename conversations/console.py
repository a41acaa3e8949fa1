"""Telegram: the coordinators' /coord console. The commands, their arguments and the service
each calls are the core's table (bot/console.py); here a typed line is read with it and the
outcome shown with Telegram's buttons."""

from __future__ import annotations

import re

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot import console
from bot.domain.errors import BotError
from bot.messages import Message
from bot.oversight import Page
from bot.sheets import MAX_BYTES, Sheet
from conversations import announcing, matching, oversight
from conversations.render import PARSE_MODE, actor, outbox_keyboard, services_of, to_html

AFTER_COMMAND = re.compile(r"^/coord(?:@\w+)?(.*)$", re.DOTALL | re.IGNORECASE)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("coord", coord, filters.ChatType.PRIVATE))
    # a spreadsheet sent with "/coord import penpals" as its caption
    captioned = filters.Document.ALL & filters.CaptionRegex(r"^/coord(?:@\w+)?\s")
    application.add_handler(MessageHandler(captioned & filters.ChatType.PRIVATE, coord))


async def coord(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/coord COMMAND ARGUMENTS` (free text may follow on the next lines); the coordinator
    right is checked before the line is read. A command that takes a file reads the document
    the message carries (its caption is the command), or the one it replies to."""
    message = update.effective_message
    assert update.effective_chat is not None and message is not None
    who = actor(update, context)
    console.authorize(who)
    typed = AFTER_COMMAND.match(message.text or message.caption or "")
    command, values = console.read_line(typed.group(1) if typed else "")
    if any(arg.kind is console.Kind.FILE for arg in command.args):
        replied = message.reply_to_message
        document = message.document or (replied.document if replied is not None else None)
        if document is not None:
            if (document.file_size or 0) > MAX_BYTES:
                raise BotError("sheet.too_big", max=MAX_BYTES // 1_000_000)
            found = await context.bot.get_file(document.file_id)
            values = {**values, "file": bytes(await found.download_as_bytearray())}
    outcome = await console.run(services_of(context), who, command, values)
    await show(context, update.effective_chat.id, outcome)


async def show(context: ContextTypes.DEFAULT_TYPE, chat: int, outcome: console.Outcome) -> None:
    """An outcome with the buttons it needs."""
    match outcome:
        case console.Proposals(answers):
            await matching.show_answers(context, chat, answers)
        case console.Preview(message, draft):
            await announcing.show_preview(context, chat, message, draft)
        case Page():
            await oversight.show_page(context, chat, outcome)
        case Sheet():
            await context.bot.send_document(
                chat,
                InputFile(outcome.content, filename=outcome.filename),
                caption=to_html(outcome.caption),
                parse_mode=PARSE_MODE,
            )
        case console.Actions(message, buttons):
            await context.bot.send_message(
                chat, to_html(message), parse_mode=PARSE_MODE, reply_markup=outbox_keyboard(buttons)
            )
        case console.FormWanted(message=message) | (Message() as message):
            await context.bot.send_message(chat, to_html(message), parse_mode=PARSE_MODE)

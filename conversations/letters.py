"""Telegram: /letter sent|received [date], /letters, the buttons under reminders, and the
coordinators' re-offer button. Everything here happens in private chats."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.addresses import reason_of
from bot.letters import PenPalChoice
from bot.messages import msg, plain
from conversations.render import account, actor, say, services_of

DIRECTIONS = {"sent": "s", "received": "r"}
DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
"""The last word of `/letter returned ...` when it is the day the letter came back."""


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the letter handlers (before the catch-all for unknown buttons)."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("letter", letter, private))
    application.add_handler(CommandHandler("letters", letters, private))
    application.add_handler(
        CallbackQueryHandler(chosen, pattern=r"^lt:[rs]:\d{1,18}:(\d{4}-\d{2}-\d{2}|-)$")
    )
    application.add_handler(CallbackQueryHandler(history, pattern=r"^ls:\d{1,18}$"))
    application.add_handler(
        CallbackQueryHandler(
            returned_chosen, pattern=r"^lr:\d{1,18}:[a-z_]{1,12}:(\d{4}-\d{2}-\d{2}|-)$"
        )
    )
    application.add_handler(CallbackQueryHandler(reminder, pattern=r"^(rp|sn):\d{1,18}$"))
    application.add_handler(CallbackQueryHandler(reoffer, pattern=r"^po:\d{1,18}$"))


def _choices(choices: list[PenPalChoice], data: str) -> InlineKeyboardMarkup:
    """One button per pen pal; `data` has `{id}` where the match goes."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(c.name[:60], callback_data=data.format(id=c.match_id))]
            for c in choices
        ]
    )


async def letter(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/letter sent|received [YYYY-MM-DD]`: log it, or ask which pen pal when she has several."""
    assert update.effective_user is not None
    args = [a.casefold() for a in context.args or []]
    if args and args[0] == "returned":
        await _returned(update, context, args[1:])
        return
    if not args or args[0] not in DIRECTIONS or len(args) > 2:
        await say(update, context, msg("letter.usage"))
        return
    day = args[1] if len(args) == 2 else None
    incoming = args[0] == "received"
    result = await services_of(context).letters.log(
        account(update.effective_user), incoming, None, day
    )
    if isinstance(result, list):
        data = f"lt:{DIRECTIONS[args[0]]}:{{id}}:{day or '-'}"
        await say(update, context, msg("letter.choose"), _choices(result, data))
        return
    await say(update, context, result)


async def _returned(update: Update, context: ContextTypes.DEFAULT_TYPE, words: list[str]) -> None:
    """`/letter returned [WHAT WAS PRINTED ON IT] [YYYY-MM-DD]`."""
    assert update.effective_user is not None
    day = words.pop() if words and DATE_LIKE.match(words[-1]) else None
    why = reason_of(" ".join(words)).value
    result = await services_of(context).addresses.returned(
        account(update.effective_user), None, why, day
    )
    if isinstance(result, list):
        data = f"lr:{{id}}:{why}:{day or '-'}"
        await say(update, context, msg("letter.choose"), _choices(result, data))
        return
    await say(update, context, result)


async def returned_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The pen pal picked for a returned letter; ownership is checked again."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    _, match_id, why, day = query.data.split(":")
    result = await services_of(context).addresses.returned(
        account(update.effective_user), int(match_id), why, None if day == "-" else day
    )
    assert not isinstance(result, list)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The pen pal picked for a letter; ownership and the date are checked again."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    _, direction, match_id, day = query.data.split(":")
    result = await services_of(context).letters.log(
        account(update.effective_user),
        direction == "r",
        int(match_id),
        None if day == "-" else day,
    )
    assert not isinstance(result, list)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def letters(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/letters`: the letters logged with a pen pal (asks which when she has several)."""
    assert update.effective_user is not None
    result = await services_of(context).letters.history(account(update.effective_user), None)
    if isinstance(result, list):
        await say(update, context, msg("letter.choose"), _choices(result, "ls:{id}"))
        return
    await say(update, context, result)


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    result = await services_of(context).letters.history(
        account(update.effective_user), int(query.data.partition(":")[2])
    )
    assert not isinstance(result, list)
    await query.answer()
    await say(update, context, result)


async def reminder(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "I've replied" and "Remind me in a few days" under a reminder (hers only)."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    kind, _, reminder_id = query.data.partition(":")
    letters_service = services_of(context).letters
    who = account(update.effective_user)
    if kind == "rp":
        result = await letters_service.replied(who, int(reminder_id))
    else:
        result = await letters_service.snooze(who, int(reminder_id))
    await query.answer(plain(result)[:200])
    await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def reoffer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Coordinators: end a match whose replies lapsed, pause her, re-offer the pen pal."""
    query = update.callback_query
    assert query is not None and query.data is not None
    result = await services_of(context).custody.reoffer(
        int(query.data.partition(":")[2]), actor(update, context)
    )
    await query.answer(plain(result)[:200])
    await query.edit_message_reply_markup(None)
    await say(update, context, result)

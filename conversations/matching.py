"""Telegram: proposals with Confirm, Skip and Someone else for coordinators; volunteers'
/mypenpals."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.domain.models import Platform, SentPart
from bot.matching.service import Answer
from bot.messages import msg, plain
from conversations.render import PARSE_MODE, account, actor, label, services_of, to_html


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the matching handlers (before the catch-all for unknown buttons)."""
    application.add_handler(CommandHandler("mypenpals", mine, filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(decide, pattern=r"^(mc|mk|mw):\d{1,18}$"))


async def show_answers(
    context: ContextTypes.DEFAULT_TYPE, chat: int, answers: list[Answer]
) -> None:
    """Each answer in the chat; a proposal with Confirm, Skip and Someone else, remembered where
    it was shown (so that the volunteer's erasure reaches it)."""
    services = services_of(context)
    for answer in answers:
        buttons = None
        if answer.proposal is not None:
            buttons = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            label(msg(f"button.{verdict}")),
                            callback_data=f"{code}:{answer.proposal}",
                        )
                        for verdict, code in (("confirm", "mc"), ("skip", "mk"), ("swap", "mw"))
                    ]
                ]
            )
        shown = await context.bot.send_message(
            chat, to_html(answer.message), parse_mode=PARSE_MODE, reply_markup=buttons
        )
        if answer.proposal is not None:
            where = [SentPart(str(chat), str(shown.message_id))]
            await services.matches.shown(answer.proposal, Platform.TELEGRAM, where)


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm or Skip under a proposal; the presser's coordinator right is checked each time."""
    query = update.callback_query
    assert query is not None and query.data is not None
    kind, _, match_id = query.data.partition(":")
    matches = services_of(context).matches
    if kind == "mw":  # someone else for her: the next proposal comes with its own buttons
        answer = await matches.swap(int(match_id), actor(update, context))
        await query.answer(plain(answer.message)[:200])
        await query.edit_message_reply_markup(None)
        if update.effective_chat is not None:
            await show_answers(context, update.effective_chat.id, [answer])
        return
    result = await matches.decide(int(match_id), kind == "mc", actor(update, context))
    await query.answer(plain(result)[:200])
    await query.edit_message_reply_markup(None)
    if update.effective_chat is not None:
        chat = update.effective_chat.id
        told = await context.bot.send_message(chat, to_html(result), parse_mode=PARSE_MODE)
        await services_of(context).matches.shown(
            int(match_id), Platform.TELEGRAM, [SentPart(str(chat), str(told.message_id))]
        )


async def mine(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/mypenpals`: her pen pals' mailing details, in this private chat only."""
    assert update.effective_user is not None and update.effective_chat is not None
    for message in await services_of(context).matches.mine(account(update.effective_user)):
        await context.bot.send_message(
            update.effective_chat.id, to_html(message), parse_mode=PARSE_MODE
        )

"""Telegram: /language, a button per language the program speaks; the answer comes in the
language chosen."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.messages import LANGUAGE, msg
from conversations.render import account, language_keyboard, say, services_of


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("language", ask))
    application.add_handler(CallbackQueryHandler(choose, pattern=r"^lg:[a-z]{2,3}$"))


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = language_keyboard(services_of(context).locales)
    await say(update, context, msg("language.ask"), keyboard)


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Her choice, said in the language chosen."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    language = query.data.split(":")[1]  # "lg:es", or "lg:es:su" at the start of a sign-up
    told = await services_of(context).locales.choose(account(update.effective_user), language)
    LANGUAGE.set(language)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, told)

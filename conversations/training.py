"""Telegram: the program's training quiz, one question at a time with a button per answer
(after sign-up, and again with /quiz)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.messages import LANGUAGE, Message
from bot.training import QuizStep
from conversations.render import account, label, say, services_of


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("quiz", quiz, filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(answer, pattern=r"^qz:\d{1,2}:\d$"))


def keyboard(step: QuizStep) -> InlineKeyboardMarkup:
    """One answer per row (answers may be a sentence long)."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label(choice), callback_data=f"qz:{step.question}:{n}")]
            for n, choice in enumerate(step.choices)
        ]
    )


async def show(
    update: Update, context: ContextTypes.DEFAULT_TYPE, step: QuizStep | Message
) -> None:
    if isinstance(step, QuizStep):
        await say(update, context, step.message, keyboard(step))
    else:
        await say(update, context, step)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The quiz's first question (after sign-up, or /quiz)."""
    assert update.effective_user is not None
    who = account(update.effective_user)
    await show(update, context, await services_of(context).quiz.start(who, LANGUAGE.get()))


async def quiz(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await start(update, context)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button under a question: the next question, or her result."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    _, question, choice = query.data.split(":")
    step = await services_of(context).quiz.answer(
        account(update.effective_user), int(question), int(choice)
    )
    await query.answer()
    await query.edit_message_reply_markup(None)
    await show(update, context, step)

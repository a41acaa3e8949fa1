"""Telegram: /start, /help, /signup as a conversation kept in the database, /cancel and /me."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.domain.errors import InvalidAnswer
from bot.domain.models import Platform
from bot.messages import LANGUAGE, Message, msg
from bot.questions import Prompt, Question
from bot.signup import Step
from conversations import locales, training
from conversations.render import (
    PARSE_MODE,
    account,
    actor,
    label,
    language_keyboard,
    prompt_keyboard,
    say,
    services_of,
    to_html,
)

PRIVATE = filters.ChatType.PRIVATE


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the sign-up handlers."""
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, group_chat))
    application.add_handler(CommandHandler("start", start, PRIVATE))
    application.add_handler(CommandHandler("help", help_command, PRIVATE))
    application.add_handler(CommandHandler("signup", signup, PRIVATE))
    application.add_handler(CommandHandler("cancel", cancel, PRIVATE))
    application.add_handler(CommandHandler("me", me, PRIVATE))
    application.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, answer))
    application.add_handler(CallbackQueryHandler(button, pattern=r"^su:"))
    application.add_handler(CallbackQueryHandler(chosen_then_begin, pattern=r"^lg:[a-z]{2,3}:su$"))


async def _reply(update: Update, message: Message, prompt: Prompt | None = None) -> None:
    assert update.effective_chat is not None
    await update.get_bot().send_message(
        update.effective_chat.id,
        to_html(message),
        parse_mode=PARSE_MODE,
        reply_markup=prompt_keyboard(prompt) if prompt else None,
    )


async def _ask(update: Update, prompt: Prompt) -> None:
    await _reply(update, prompt.text, prompt)


async def _after(update: Update, step: Step) -> None:
    for note in (*step.notes, *step.problems):
        await _reply(update, note)
    if step.prompt is not None:
        await _ask(update, step.prompt)


async def group_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Commands in a group get a pointer to the private chat; nothing is asked there."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        to_html(msg("group_chat_private")), parse_mode=PARSE_MODE
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context)
    listed = _commands(update, context)
    await _reply(update, msg("welcome", intro=services.introduction(), commands=listed))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, msg("help", commands=_commands(update, context)))


def _commands(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Message:
    """The commands for this person (a coordinator is also told about /coord)."""
    coordinator = actor(update, context).is_coordinator
    return services_of(context).commands(Platform.TELEGRAM, coordinator)


async def signup(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/signup`; when her app told no language (and the program speaks several), which one
    is asked first, and the sign-up goes on in it."""
    assert update.effective_user is not None
    user = update.effective_user
    locales = services_of(context).locales
    if await locales.should_ask(account(user), user.language_code):
        await say(update, context, msg("language.ask"), language_keyboard(locales, then="su"))
        return
    await begin(update, context)


async def chosen_then_begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A language chosen at the start of a sign-up: said in it, and the sign-up begins."""
    await locales.choose(update, context)
    await begin(update, context)


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None
    intro, prompt = await services_of(context).signup.start(account(update.effective_user))
    await _reply(update, intro)
    await _ask(update, prompt)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None
    dropped = await services_of(context).signup.cancel(account(update.effective_user))
    await _reply(update, msg("signup.cancelled" if dropped else "signup.nothing_to_cancel"))


async def me(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None
    await _reply(
        update, await services_of(context).volunteers.profile(account(update.effective_user))
    )


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A typed message in the private chat answers the question waiting for an answer."""
    assert update.effective_user is not None and update.effective_message is not None
    step = await services_of(context).signup.answer_waiting(
        account(update.effective_user), update.effective_message.text or ""
    )
    if step is None:  # not in a sign-up: what she can do instead
        await _reply(update, msg("help.free_text", commands=_commands(update, context)))
        return
    await _after(update, step)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline buttons of the sign-up: languages, skip, capacity, frequency, consent."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    services = services_of(context)
    who = account(update.effective_user)
    parts = (query.data or "").split(":", 2)
    kind = parts[1] if len(parts) > 1 else ""
    value = parts[2] if len(parts) > 2 else ""
    if kind == "tog":
        question, _, choice = value.partition(":")
        prompt = await services.signup.toggle(who, _question(question), choice)
        await query.answer()
        await query.edit_message_reply_markup(prompt_keyboard(prompt))
        return
    if kind == "cancel" or (kind == "consent" and value == "cancel"):
        await query.answer()
        await query.edit_message_reply_markup(None)
        await cancel(update, context)
        return
    if kind == "consent":
        outcome = await services.signup.agree(who, LANGUAGE.get())
        await query.answer()
        await query.edit_message_reply_markup(None)
        await _reply(update, outcome.message)
        if outcome.quiz:  # the program's quiz comes before the coordinators see her
            await training.start(update, context)
        return
    if kind == "done":
        step = await services.signup.done(who, _question(value))
    elif kind == "skip":  # no pronouns; or her sign-up name as her pen name
        skipped = Question.PEN_NAME if value == Question.PEN_NAME.value else Question.PRONOUNS
        step = await services.signup.answer(who, skipped, "")
    else:
        try:
            question = Question(kind)
        except ValueError:
            await query.answer(label(msg("error.expired")), show_alert=True)
            return
        step = await services.signup.answer(who, question, value)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _after(update, step)


def _question(value: str) -> Question:
    try:
        return Question(value)
    except ValueError:
        raise InvalidAnswer("error.expired") from None

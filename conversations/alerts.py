"""Telegram: the buttons under coordinators' alerts and the daily digest: remind the volunteer
now, mark the pen pal's address as checked, open a list the digest counts. The right is checked
in the core on every press."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot import console
from conversations.console import show
from conversations.render import actor, say, services_of


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(remind, pattern=r"^rm:\d{1,18}$"))
    application.add_handler(CallbackQueryHandler(address_checked, pattern=r"^ac:\d{1,18}$"))
    application.add_handler(CallbackQueryHandler(address, pattern=r"^(aw|ao|am|ar|al):\d{1,18}$"))
    application.add_handler(CallbackQueryHandler(after_release, pattern=r"^(rc|re):\d{1,18}$"))
    application.add_handler(CallbackQueryHandler(review, pattern=r"^(rf|rh|rr):\d{1,18}$"))
    application.add_handler(
        CallbackQueryHandler(open_list, pattern=r"^ls:(pending|overdue|concerns|review)$")
    )


async def remind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    volunteer = query.data.partition(":")[2]
    result = await services_of(context).announcements.remind(actor(update, context), volunteer)
    await query.answer()
    await say(update, context, result)


async def address_checked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    match_id = int(query.data.partition(":")[2])
    result = await services_of(context).custody.confirm_address(match_id, actor(update, context))
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def address(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An address in doubt: where is she (private details), still there, released, or not
    known yet."""
    query = update.callback_query
    assert query is not None and query.data is not None
    action, _, penpal = query.data.partition(":")
    result = await console.address_action(
        services_of(context), actor(update, context), action, int(penpal)
    )
    await query.answer()
    if action not in ("aw", "am"):
        await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def after_release(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After a release: go on through the program, or let it end."""
    query = update.callback_query
    assert query is not None and query.data is not None
    action, _, penpal = query.data.partition(":")
    releases = services_of(context).releases
    result = await releases.decide(actor(update, context), int(penpal), action == "rc")
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A letter at the program: forward or post it; keep it or give it back (how to write the
    note)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    action, _, letter = query.data.partition(":")
    result = await console.review_action(
        services_of(context), actor(update, context), action, int(letter)
    )
    await query.answer()
    if action == "rf":
        await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def open_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_chat is not None
    who = actor(update, context)
    outcome = await console.run_list(services_of(context), who, query.data.partition(":")[2])
    await query.answer()
    await show(context, update.effective_chat.id, outcome)

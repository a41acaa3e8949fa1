"""Telegram: /circle (a volunteer's writing circle) and its buttons: join or decline an
invitation, approve a circle's lead (coordinators), and what becomes of a circle left with one
member. In a group chat only `/circle here` is read: the circle talks in that group."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot.domain.errors import BotError
from bot.domain.models import Destination, Platform, TargetKind
from bot.messages import Message, msg
from conversations import browse
from conversations.render import account, actor, say, services_of


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("circle", circle, filters.ChatType.PRIVATE))
    # (before the answer to every other command in a group, which points to a private chat)
    application.add_handler(CommandHandler("circle", in_group, filters.ChatType.GROUPS), group=-1)
    application.add_handler(CallbackQueryHandler(button, pattern=r"^(cj|cd|ca|cg|cq):\d{1,18}$"))


async def circle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/circle [create NAME | invite WHO | browse | pass | ask | leave]` in her private
    chat."""
    assert update.effective_user is not None and update.message is not None
    action, _, rest = (update.message.text or "").partition(" ")[2].strip().partition(" ")
    if action.casefold() == "browse":  # the lead: women every member could write to
        page = await services_of(context).browse.circle_page(account(update.effective_user))
        await browse.show(update, context, page)
        return
    await say(update, context, await run(update, context, action.casefold(), rest.strip()))


async def run(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, rest: str
) -> Message:
    assert update.effective_user is not None
    circles = services_of(context).circles
    who = account(update.effective_user)
    if action == "":
        return await circles.show(who)
    if action == "create":
        return await circles.create(who, rest)
    if action == "invite":
        return await circles.invite(who, rest)
    if action == "capacity":
        return await circles.capacity(who, rest)
    if action == "pass":
        return await circles.pass_turn(who)
    if action == "ask":
        return await circles.ask_help(who)
    if action == "leave":
        return await circles.leave(who)
    if action == "here":
        return msg("circle.here_private")
    return msg("circle.usage")


async def in_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a group: `/circle here [NAME]` makes it the circle's place; anything else is
    answered with where to use /circle (nothing of the circle is said in a group)."""
    assert update.effective_chat is not None and update.message is not None
    action, _, rest = (update.message.text or "").partition(" ")[2].strip().partition(" ")
    if action.casefold() != "here":
        await say(update, context, msg("circle.in_private"))
        raise ApplicationHandlerStop
    place = Destination(Platform.TELEGRAM, TargetKind.CHANNEL, str(update.effective_chat.id))
    try:
        result = await services_of(context).circles.here(actor(update, context), place, rest)
    except BotError as error:  # (answered here: the handlers after this one are skipped)
        result = error.message
    await say(update, context, result)
    raise ApplicationHandlerStop


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Join or decline an invitation (its number); approve a lead, or, for a circle left with
    one member, hand its pen pal to her or end it (the circle's number)."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    action, _, number = query.data.partition(":")
    circles = services_of(context).circles
    if action in ("cj", "cd"):
        result = await circles.answer(account(update.effective_user), int(number), action == "cj")
    elif action == "ca":
        result = await circles.approve(actor(update, context), int(number))
    else:
        choice = "hand" if action == "cg" else "end"
        result = await circles.settle(actor(update, context), int(number), choice)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)

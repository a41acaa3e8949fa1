"""Telegram: the coordinators' /coord pending, volunteer, penpal [filter], stats, audit and
reassign, with page buttons (checked again on every press)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.domain.models import Actor
from bot.messages import Message, msg
from bot.oversight import Page
from conversations.coordinators import actor
from conversations.render import PARSE_MODE, label, services_of, to_html

COMMANDS = ("pending", "volunteer", "penpal", "stats", "audit")


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(
        CallbackQueryHandler(turn, pattern=r"^pg:(pending|penpals|audit):\d{1,5}:.{0,11}$")
    )


def keyboard(page: Page) -> InlineKeyboardMarkup | None:
    """Approve and Reject for each sign-up on a pending page; Previous and Next."""
    rows = [
        [
            InlineKeyboardButton(
                label(msg("button.approve_n", id=i)), callback_data=f"approve:{i}"
            ),
            InlineKeyboardButton(label(msg("button.reject_n", id=i)), callback_data=f"reject:{i}"),
        ]
        for i in page.ids
    ]
    turns = [
        InlineKeyboardButton(label(msg(key)), callback_data=f"pg:{page.kind}:{to}:{page.arg}")
        for key, to, shown in (
            ("button.previous", page.page - 1, page.has_previous),
            ("button.next", page.page + 1, page.has_next),
        )
        if shown
    ]
    if turns:
        rows.append(turns)
    return InlineKeyboardMarkup(rows) if rows else None


async def coord(update: Update, context: ContextTypes.DEFAULT_TYPE, who: Actor) -> Message | None:
    """Answer one of COMMANDS; None when the answer was sent here (a page with buttons)."""
    assert update.effective_chat is not None
    args = context.args or []
    command, rest = args[0].casefold(), args[1:]
    service = services_of(context).oversight
    page: Page | None = None
    if command == "pending" and not rest:
        page = await service.pending(who)
    elif command == "penpal":
        page = await service.penpals(who, " ".join(rest))
    elif command == "audit" and not rest:
        page = await service.audit(who)
    elif command == "stats" and not rest:
        return await service.stats(who)
    elif command == "volunteer":
        return await service.volunteer(who, " ".join(rest))
    else:
        raise ValueError(command)  # /coord answers with its usage
    await context.bot.send_message(
        update.effective_chat.id,
        to_html(page.message),
        parse_mode=PARSE_MODE,
        reply_markup=keyboard(page),
    )
    return None


async def turn(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Previous or Next: the presser's coordinator right is checked by the service."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, kind, number, arg = query.data.split(":", 3)
    page = await services_of(context).oversight.page(actor(update, context), kind, int(number), arg)
    await query.answer()
    await query.edit_message_text(
        to_html(page.message), parse_mode=PARSE_MODE, reply_markup=keyboard(page)
    )

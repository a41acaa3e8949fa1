"""Telegram: the coordinators' lists (sign-ups waiting, the waiting list, the audit log) with their
Previous and Next buttons, and Approve and Reject on a page of sign-ups (checked on every press)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from bot.messages import msg
from bot.oversight import Page
from conversations.render import PARSE_MODE, actor, label, services_of, to_html


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


async def show_page(context: ContextTypes.DEFAULT_TYPE, chat: int, page: Page) -> None:
    """A page of a list, with its buttons."""
    await context.bot.send_message(
        chat, to_html(page.message), parse_mode=PARSE_MODE, reply_markup=keyboard(page)
    )


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

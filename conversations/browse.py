"""Telegram: /browse, anonymised profiles a page at a time, and "Write to ..." buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.browse import BrowsePage
from bot.messages import msg, plain
from bot.services import Services
from conversations.render import PARSE_MODE, account, label, to_html


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the browse handlers."""
    application.add_handler(CommandHandler("browse", browse, filters.ChatType.PRIVATE))
    application.add_handler(
        CallbackQueryHandler(button, pattern=r"^br:(page|req|cpage|creq):\d{1,9}$")
    )


def render_page(page: BrowsePage) -> tuple[str, InlineKeyboardMarkup | None]:
    """The page as one HTML message with a button per profile and page navigation."""
    text = "\n\n".join([to_html(page.heading), *(to_html(p) for _, _, p in page.profiles)])
    c = "c" if page.circle else ""  # a circle's lead browses for her circle
    rows = [
        [
            InlineKeyboardButton(
                label(msg("button.request", name=name))[:64], callback_data=f"br:{c}req:{penpal_id}"
            )
        ]
        for penpal_id, name, _ in page.profiles
    ]
    nav = []
    if page.page > 1:
        nav.append(
            InlineKeyboardButton(
                label(msg("button.previous")), callback_data=f"br:{c}page:{page.page - 1}"
            )
        )
    if page.page < page.pages:
        nav.append(
            InlineKeyboardButton(
                label(msg("button.next")), callback_data=f"br:{c}page:{page.page + 1}"
            )
        )
    if nav:
        rows.append(nav)
    return text, InlineKeyboardMarkup(rows) if rows else None


async def browse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None
    services: Services = context.application.bot_data["services"]
    await show(update, context, await services.browse.page(account(update.effective_user)))


async def show(update: Update, context: ContextTypes.DEFAULT_TYPE, page: BrowsePage) -> None:
    """The first page (for herself, or for her circle)."""
    assert update.effective_chat is not None
    text, keyboard = render_page(page)
    await context.bot.send_message(
        update.effective_chat.id, text, parse_mode=PARSE_MODE, reply_markup=keyboard
    )


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    services: Services = context.application.bot_data["services"]
    _, kind, number = query.data.split(":")
    who = account(update.effective_user)
    if kind in ("page", "cpage"):
        browse = services.browse.circle_page if kind == "cpage" else services.browse.page
        text, keyboard = render_page(await browse(who, int(number)))
        await query.answer()
        await query.edit_message_text(text, parse_mode=PARSE_MODE, reply_markup=keyboard)
        return
    ask = services.browse.circle_request if kind == "creq" else services.browse.request
    result = await ask(who, int(number))
    await query.answer(plain(result)[:200])
    if update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id, to_html(result), parse_mode=PARSE_MODE
        )

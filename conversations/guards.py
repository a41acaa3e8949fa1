"""Telegram: what runs before every handler. The same update delivered twice (or three times,
even at once) is handled once; someone sending too much at once is slowed down; a sticker,
photo, voice note, file or forwarded message in a private chat gets a polite answer and
touches nothing; so does a command no handler knows."""

from __future__ import annotations

from collections import deque

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.flood import Verdict
from bot.messages import LANGUAGE, msg, plain
from conversations.render import account, say, services_of

REMEMBERED = 10_000
"""Update ids remembered in this process (Telegram's offset covers anything older)."""


class SeenUpdates:
    """A bounded set of update ids. Checked and added with no await in between, so concurrent
    copies of one update cannot both pass."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self._order: deque[int] = deque()
        self._ids: set[int] = set()
        self._size = size

    def first_time(self, update_id: int) -> bool:
        if update_id in self._ids:
            return False
        self._ids.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._size:
            self._ids.discard(self._order.popleft())
        return True


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Guards in the groups before the handlers (group 0)."""
    seen = SeenUpdates()

    async def once(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not seen.first_time(update.update_id):
            raise ApplicationHandlerStop

    async def not_too_fast(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None:
            return
        # Her language first: every answer to this update (a refusal too) is written in it.
        coordinator = user.id in context.application.bot_data["coordinator_ids"]
        locales = services_of(context).locales
        spoken = await locales.of(account(user), user.language_code, keep=coordinator)
        LANGUAGE.set(spoken.language)
        verdict = services_of(context).flood.check(f"telegram:{user.id}")
        if verdict is Verdict.OK:
            return
        if verdict is Verdict.WARN:
            if update.callback_query is not None:
                await update.callback_query.answer(plain(msg("error.slow_down")), show_alert=True)
            elif update.effective_chat is not None:
                await say(update, context, msg("error.slow_down"))
        raise ApplicationHandlerStop

    application.add_handler(TypeHandler(Update, once), group=-3)
    application.add_handler(TypeHandler(Update, not_too_fast), group=-2)
    # (a spreadsheet sent with a /coord command as its caption is for the console)
    sheet = filters.Document.ALL & filters.CaptionRegex(r"^/coord(?:@\w+)?\s")
    not_for_me = filters.ChatType.PRIVATE & (filters.FORWARDED | (~filters.TEXT & ~sheet))
    application.add_handler(MessageHandler(not_for_me, text_only), group=-1)


def register_last(application: Application) -> None:  # type: ignore[type-arg]
    """After every other handler: a command nobody knows, in a private chat, gets a pointer to
    /help (it used to get no answer at all); a button with data nobody issued changes nothing."""
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command)
    )
    application.add_handler(CallbackQueryHandler(expired))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await say(update, context, msg("error.unknown_command"))


async def expired(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons with data we never issued (or no longer understand) change nothing."""
    assert update.callback_query is not None
    await update.callback_query.answer(plain(msg("error.expired")), show_alert=True)


async def text_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await say(update, context, msg("error.text_only"))
    raise ApplicationHandlerStop

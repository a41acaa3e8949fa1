"""Building the python-telegram-bot Application, its one error handler, and the outbox sender."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults

from bot.app.config import TelegramConfig
from bot.domain.errors import BotError
from bot.domain.models import OutboundMessage, Platform, SentPart, TargetKind
from bot.messages import Message, msg, params_from_json, render
from bot.outbox import PermanentSendError, RateLimited
from bot.services import Services
from conversations import (
    alerts,
    announcing,
    browse,
    circles,
    concerns,
    console,
    guards,
    letters,
    lifecycle,
    locales,
    matching,
    oversight,
    signup,
    training,
    volunteers,
)
from conversations._aiohttp_request import AiohttpRequest
from conversations.render import PARSE_MODE, SplittingBot, outbox_keyboard, pieces, to_html

log = logging.getLogger(__name__)

# python-telegram-bot 22 is moving its time periods (such as RetryAfter.retry_after) from int
# seconds to timedelta; opt in, so that reading them neither warns nor changes type later.
os.environ.setdefault("PTB_TIMEDELTA", "true")

COMMANDS = (
    "start",
    "signup",
    "me",
    "mypenpals",
    "letter",
    "letters",
    "browse",
    "circle",
    "pause",
    "resume",
    "concern",
    "leave",
    "link",
    "unlink",
    "mydata",
    "forgetme",
    "language",
    "cancel",
    "help",
)


def command_menu(language: str, quiz: bool = False) -> list[BotCommand]:
    """The command menu set with setMyCommands, its descriptions in `language` (/quiz after
    /signup when the program has a quiz)."""
    names = [*COMMANDS[:2], "quiz", *COMMANDS[2:]] if quiz else list(COMMANDS)
    return [BotCommand(name, render(msg(f"cmd.{name}"), language=language)[:256]) for name in names]


async def set_command_menus(
    bot: Any, languages: Sequence[str], default: str, quiz: bool = False
) -> None:
    """One menu per language (Telegram shows each person the one of her app's language), and
    the program's default for everyone else."""
    await bot.set_my_commands(command_menu(default, quiz))
    for language in languages:
        await bot.set_my_commands(command_menu(language, quiz), language_code=language)


class PassedOnRetryAfter(logging.Filter):
    """PTB's rate limiter logs each 429 it passes on at ERROR, with a traceback, before it
    raises it. Whoever called handles it (the outbox waits and resumes by itself; a reply's
    handler logs it once, as a warning), so that record is dropped: ERROR is for real failures."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], RetryAfter))


def _quiet_rate_limiter() -> None:
    limiter_log = logging.getLogger("telegram.ext.AIORateLimiter")
    if not any(isinstance(f, PassedOnRetryAfter) for f in limiter_log.filters):
        limiter_log.addFilter(PassedOnRetryAfter())


def build_application(token: str, cfg: TelegramConfig, services: Services) -> Application:  # type: ignore[type-arg]
    """An Application pointed at `cfg.api_base_url`, with every handler registered."""
    _quiet_rate_limiter()
    wait = cfg.request_timeout_ms / 1000
    requests = AiohttpRequest(
        pool_size=32,
        read_timeout=wait,
        write_timeout=wait,
        connect_timeout=wait,
        # a reply takes a place in the pacing of what the bot sends on its own
        on_message_sent=lambda chat: services.outbox.note_sent(Platform.TELEGRAM, chat),
    )
    file_url = cfg.api_file_url or cfg.api_base_url.removesuffix("/bot") + "/file/bot"
    bot = SplittingBot(
        token,
        base_url=cfg.api_base_url,
        base_file_url=file_url,
        request=requests,
        get_updates_request=AiohttpRequest(pool_size=1, read_timeout=cfg.poll_timeout + 10),
        rate_limiter=AIORateLimiter() if cfg.rate_limit else None,
        # no previews: a link the bot sends (a workspace login) is not fetched by Telegram
        defaults=Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)),
    )
    application = ApplicationBuilder().bot(bot).concurrent_updates(True).build()
    application.bot_data["services"] = services
    application.bot_data["coordinator_ids"] = frozenset(cfg.coordinator_ids)
    guards.register(application)
    signup.register(application)
    console.register(application)
    matching.register(application)
    browse.register(application)
    circles.register(application)
    letters.register(application)
    announcing.register(application)
    lifecycle.register(application)
    concerns.register(application)
    locales.register(application)
    oversight.register(application)
    volunteers.register(application)
    alerts.register(application)
    training.register(application)
    guards.register_last(application)
    application.add_error_handler(on_error)
    return application


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: a BotError becomes a friendly reply, anything else an apology."""
    error = context.error
    if isinstance(error, RetryAfter):  # a flood limit: nothing can be sent to her just now
        log.warning("Telegram asked to wait %.1f s; a reply was not sent", _seconds(error))
        return
    if isinstance(error, BotError):
        text = to_html(error.message)
    else:
        log.error("handler failed", exc_info=error)
        text = to_html(msg("error.unexpected"))
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        await update.callback_query.answer(
            text=_plain(error.message if isinstance(error, BotError) else msg("error.unexpected")),
            show_alert=True,
        )
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, parse_mode=PARSE_MODE)


def _plain(message: Message) -> str:
    from bot.messages import plain

    return plain(message)[:200]


class TelegramSender:
    """Sends outbox rows with the bot; private content only ever goes to a private chat."""

    def __init__(self, bot: object) -> None:
        self.bot = bot

    async def send(self, message: OutboundMessage) -> tuple[SentPart, ...]:
        chat_id = int(message.target_id)
        if message.private and (message.target_kind is not TargetKind.USER or chat_id < 0):
            raise PermanentSendError("private content may only go to a private chat")
        text = to_html(Message(message.message_key, params_from_json(message.params)))
        try:
            if message.edit:
                for part in message.edit:  # no reply_markup: the buttons go
                    await self.bot.edit_message_text(  # type: ignore[attr-defined]
                        text,
                        chat_id=int(part.chat_id),
                        message_id=int(part.message_id),
                        parse_mode=PARSE_MODE,
                    )
                return message.edit
            *first, last = pieces(text)
            keyboards = [None] * len(first) + [outbox_keyboard(message.buttons)]
            sent = []
            for piece, keyboard in zip([*first, last], keyboards, strict=True):
                sent.append(
                    await self.bot.send_message(  # type: ignore[attr-defined]
                        chat_id=chat_id, text=piece, parse_mode=PARSE_MODE, reply_markup=keyboard
                    )
                )
        except RetryAfter as exc:
            raise RateLimited(_seconds(exc)) from exc
        except Forbidden as exc:
            raise PermanentSendError("the user blocked the bot") from exc
        except BadRequest as exc:
            raise PermanentSendError(f"Telegram refused the message: {exc.message}") from exc
        return tuple(SentPart(str(chat_id), str(m.message_id)) for m in sent)


def _seconds(exc: RetryAfter) -> float:
    """`retry_after` in seconds, whether this PTB version gives an int or a timedelta."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    total = getattr(value, "total_seconds", None)
    return float(total() if total else value)  # type: ignore[arg-type]

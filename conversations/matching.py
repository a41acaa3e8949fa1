"""Telegram: coordinators' /coord match with Confirm and Skip buttons; volunteers' /mypenpals."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.domain.errors import NotAllowed
from bot.domain.models import Actor, EndReason, Platform, SentPart
from bot.matching.service import Answer
from bot.messages import Message, msg, plain
from bot.registry import FACILITY_COLUMNS, PENPAL_COLUMNS
from bot.services import Services
from conversations import announcing, concerns, oversight
from conversations.coordinators import actor
from conversations.render import PARSE_MODE, account, label, services_of, to_html


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the matching handlers (before the catch-all for unknown buttons)."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("coord", coord, private))
    application.add_handler(CommandHandler("mypenpals", mine, private))
    application.add_handler(CallbackQueryHandler(decide, pattern=r"^(mc|mk|mw):\d{1,18}$"))


def _usage() -> Message:
    return msg("coord.usage", reasons=", ".join(r.value for r in EndReason))


async def coord(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/coord match|end|transfer|release ...`; the coordinator right is checked first."""
    assert update.effective_chat is not None
    who = actor(update, context)
    if not who.is_coordinator:
        raise NotAllowed()
    chat = update.effective_chat.id
    command, *args = [*(context.args or []), ""]
    args = [a for a in args if a]
    services = services_of(context)
    result: Message
    if command.casefold() in announcing.COMMANDS:
        await announcing.coord(update, context, who)
        return
    try:
        if command.casefold() in concerns.COMMANDS:
            result = await concerns.coord(update, context, who)
        elif command.casefold() in oversight.COMMANDS and args[:1] != ["add"]:
            answer = await oversight.coord(update, context, who)
            if answer is None:
                return
            result = answer
        elif command.casefold() == "reassign" and len(args) >= 2:
            reason = EndReason(" ".join(args[1:]).casefold())
            await _show(context, chat, await services.custody.reassign(int(args[0]), reason, who))
            return
        elif command.casefold() == "match":
            await _show(context, chat, await services.matches.run(who))
            return
        elif command.casefold() in ("penpal", "facility") and args[:1] == ["add"]:
            result = await _save_form(update, services, command.casefold(), who)
        elif command.casefold() == "letter" and len(args) in (1, 2):
            day = args[1] if len(args) == 2 else None
            result = await services.letters.forwarded(who, int(args[0]), day)
        elif command.casefold() == "overdue" and not args:
            result = await services.letters.overdue(who)
        elif command.casefold() == "end" and len(args) >= 2:
            reason = EndReason(" ".join(args[1:]).casefold())
            result = await services.custody.end_match(int(args[0]), reason, who)
        elif command.casefold() == "transfer" and len(args) >= 3:
            result = await services.custody.transfer(int(args[0]), args[1], " ".join(args[2:]), who)
        elif command.casefold() == "release" and len(args) in (1, 2):
            on = date.fromisoformat(args[1]) if len(args) == 2 else None
            result = await services.custody.release(int(args[0]), on, who)
        else:
            result = _usage()
    except ValueError:
        result = msg("coord.bad_arguments", usage=_usage())
    await context.bot.send_message(chat, to_html(result), parse_mode=PARSE_MODE)


FORM_EXAMPLES = {
    "penpal": "committed_name: Jane Example Doe\nid_number: W12345\n"
    "facility: Example Women's Correctional Facility\nlanguages: English, Spanish\n"
    "interests: books, music",
    "facility": "name: Example Facility\naddress_line_1: PO Box 100\n"
    "address_line_2: Springfield ST 00001\nmail_rules: White paper only.",
}


async def _save_form(update: Update, services: Services, kind: str, who: Actor) -> Message:
    """`/coord penpal add` (or facility) followed by `column: value` lines in one message.

    One message rather than a multi-step conversation: nothing to lose in a restart, and the
    same checks as a spreadsheet row (every problem named per column)."""
    text = update.effective_message.text if update.effective_message else ""
    cells: dict[str, str] = {}
    for line in (text or "").splitlines()[1:]:
        column, sep, value = line.partition(":")
        if sep:
            cells[column.strip().casefold().replace(" ", "_")] = value.strip()
    if not cells:
        columns = PENPAL_COLUMNS if kind == "penpal" else FACILITY_COLUMNS
        return msg(
            "registry.telegram_form",
            kind=kind,
            example=FORM_EXAMPLES[kind],
            columns=", ".join(columns),
        )
    if kind == "penpal":
        return await services.registry.save_penpal(who, cells)
    return await services.registry.save_facility(who, cells)


async def _show(context: ContextTypes.DEFAULT_TYPE, chat: int, answers: list[Answer]) -> None:
    """Each answer in the chat; a proposal with its Confirm and Skip buttons, remembered where
    it was shown (so that the volunteer's erasure reaches it)."""
    services = services_of(context)
    for answer in answers:
        buttons = None
        if answer.proposal is not None:
            buttons = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            label(msg("button.confirm")), callback_data=f"mc:{answer.proposal}"
                        ),
                        InlineKeyboardButton(
                            label(msg("button.skip")), callback_data=f"mk:{answer.proposal}"
                        ),
                    ]
                ]
            )
        shown = await context.bot.send_message(
            chat, to_html(answer.message), parse_mode=PARSE_MODE, reply_markup=buttons
        )
        if answer.proposal is not None:
            where = [SentPart(str(chat), str(shown.message_id))]
            await services.matches.shown(answer.proposal, Platform.TELEGRAM, where)


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm or Skip under a proposal; the presser's coordinator right is checked each time."""
    query = update.callback_query
    assert query is not None and query.data is not None
    kind, _, match_id = query.data.partition(":")
    matches = services_of(context).matches
    if kind == "mw":  # someone else for her: the next proposal comes with its own buttons
        answer = await matches.swap(int(match_id), actor(update, context))
        await query.answer(plain(answer.message)[:200])
        await query.edit_message_reply_markup(None)
        if update.effective_chat is not None:
            await _show(context, update.effective_chat.id, [answer])
        return
    result = await matches.decide(int(match_id), kind == "mc", actor(update, context))
    await query.answer(plain(result)[:200])
    await query.edit_message_reply_markup(None)
    if update.effective_chat is not None:
        chat = update.effective_chat.id
        told = await context.bot.send_message(chat, to_html(result), parse_mode=PARSE_MODE)
        await services_of(context).matches.shown(
            int(match_id), Platform.TELEGRAM, [SentPart(str(chat), str(told.message_id))]
        )


async def mine(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/mypenpals`: her pen pals' mailing details, in this private chat only."""
    assert update.effective_user is not None and update.effective_chat is not None
    for message in await services_of(context).matches.mine(account(update.effective_user)):
        await context.bot.send_message(
            update.effective_chat.id, to_html(message), parse_mode=PARSE_MODE
        )

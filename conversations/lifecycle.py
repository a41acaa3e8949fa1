"""Telegram: /pause [date], /resume, /leave, /link, /unlink, /mydata and /forgetme, in private
chats."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.lifecycle import LEAVE_REASONS, PREFERENCES, LeaveMenu
from bot.messages import msg
from conversations.render import PARSE_MODE, account, label, say, services_of, to_html

LEAVE_DATA = r"^lv:(no|t:\d{1,3}:\d{1,2}|go:\d{1,3}:\d{1,2}:[a-z]{1,10})$"


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Add the handlers (before the catch-all for unknown buttons)."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("pause", pause, private))
    application.add_handler(CommandHandler("resume", resume, private))
    application.add_handler(CommandHandler("mydata", mydata, private))
    application.add_handler(CommandHandler("forgetme", forgetme, private))
    application.add_handler(CommandHandler("leave", leave, private))
    application.add_handler(CommandHandler("link", link, private))
    application.add_handler(CommandHandler("unlink", unlink, private))
    application.add_handler(CallbackQueryHandler(prefer, pattern=r"^pf:(telegram|discord|both)$"))
    application.add_handler(CallbackQueryHandler(reconsent, pattern=r"^ga:\d{1,18}$"))
    application.add_handler(CallbackQueryHandler(forget, pattern=r"^fg:(\d{1,18}|no)$"))
    application.add_handler(
        CallbackQueryHandler(
            leave_step, pattern=r"^lv:(no|t:\d{1,3}:\d{1,2}|go:\d{1,3}:\d{1,2}:[a-z]{1,10})$"
        )
    )


async def pause(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/pause` or `/pause 2026-12-31`."""
    assert update.effective_user is not None
    args = context.args or []
    if len(args) > 1:
        await say(update, context, msg("pause.usage"))
        return
    result = await services_of(context).lifecycle.pause(
        account(update.effective_user), args[0] if args else None
    )
    await say(update, context, result)


async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None
    await say(
        update, context, await services_of(context).lifecycle.resume(account(update.effective_user))
    )


async def mydata(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Her record as a JSON file, in this private chat."""
    assert update.effective_user is not None and update.effective_chat is not None
    export = await services_of(context).lifecycle.my_data(account(update.effective_user))
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(export.content, filename=export.filename),
        caption=to_html(msg("mydata.caption")),
        parse_mode=PARSE_MODE,
    )


async def forgetme(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The confirm step: what erasure does, with "Erase everything" and "Cancel"."""
    assert update.effective_user is not None
    ask, volunteer_id = await services_of(context).lifecycle.forget_ask(
        account(update.effective_user)
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label(msg("button.forget")), callback_data=f"fg:{volunteer_id}"
                ),
                InlineKeyboardButton(label(msg("button.keep")), callback_data="fg:no"),
            ]
        ]
    )
    await say(update, context, ask, keyboard)


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Erase, if the button is hers (the service checks the presser's own account)."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    choice = query.data.partition(":")[2]
    if choice == "no":
        result = msg("forget.cancelled")
    else:
        result = await services_of(context).lifecycle.forget(
            account(update.effective_user), int(choice)
        )
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)


def _leave_keyboard(menu: LeaveMenu) -> InlineKeyboardMarkup:
    """A button per pen pal (ticked: the correspondence ends), the reasons (each one confirms),
    and Cancel. The state lives in the callback data; the service checks it again."""
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if menu.chosen(i) else "") + name[:50],
                callback_data=f"lv:t:{menu.mask ^ (1 << i)}:{menu.count}",
            )
        ]
        for i, name in enumerate(menu.names)
    ]
    rows += [
        [
            InlineKeyboardButton(
                label(msg(f"leave.reason.{reason}")),
                callback_data=f"lv:go:{menu.mask}:{menu.count}:{reason}",
            )
        ]
        for reason in LEAVE_REASONS
    ]
    rows.append([InlineKeyboardButton(label(msg("button.keep")), callback_data="lv:no")])
    return InlineKeyboardMarkup(rows)


async def leave(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/leave`: which matches end, then why."""
    assert update.effective_user is not None
    menu = await services_of(context).lifecycle.leave_menu(account(update.effective_user))
    await say(update, context, menu.message, _leave_keyboard(menu))


async def leave_step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    parts = query.data.split(":")
    service = services_of(context).lifecycle
    who = account(update.effective_user)
    if parts[1] == "t":
        menu = await service.leave_menu(who, int(parts[2]), int(parts[3]))
        await query.answer()
        await query.edit_message_text(
            to_html(menu.message), parse_mode=PARSE_MODE, reply_markup=_leave_keyboard(menu)
        )
        return
    if parts[1] == "no":
        result = msg("leave.cancelled")
    else:
        result = await service.leave(who, int(parts[2]), int(parts[3]), parts[4])
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/link`: a code to enter on Discord; `/link CODE`: the code shown on Discord."""
    assert update.effective_user is not None
    service = services_of(context).lifecycle
    who = account(update.effective_user)
    if not context.args:
        await say(update, context, await service.link_code(who))
        return
    result = await service.link(who, " ".join(context.args))
    keyboard = None
    if result.linked:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(label(msg(f"link.where.{p}")), callback_data=f"pf:{p}")
                    for p in PREFERENCES
                ]
            ]
        )
    await say(update, context, result.message, keyboard)


async def unlink(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/unlink`: this account leaves the sign-up it was joined to."""
    assert update.effective_user is not None
    who = account(update.effective_user)
    await say(update, context, await services_of(context).lifecycle.unlink(who))


async def reconsent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "I agree" under the updated guidelines (hers only)."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    who = account(update.effective_user)
    result = await services_of(context).consents.agree(who, int(query.data.partition(":")[2]))
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)


async def prefer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    result = await services_of(context).lifecycle.prefer(
        account(update.effective_user), query.data.partition(":")[2]
    )
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, result)

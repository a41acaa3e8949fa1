"""Rendering catalogue messages for Discord, replying ephemerally, and the one error handler."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.app.config import DiscordConfig
from bot.domain.errors import BotError
from bot.domain.models import AccountRef, Actor, Platform
from bot.domain.text import Markup, split_rendered
from bot.messages import LANGUAGE, Message, msg, render
from bot.services import Services

log = logging.getLogger(__name__)
MAX_CONTENT = 2000


def _escape(text: str) -> str:
    escaped = discord.utils.escape_markdown(text)
    # One | is plain text on Discord (a spoiler needs two): its escape would only show.
    return discord.utils.escape_mentions(LONE_PIPE.sub("|", escaped))


LONE_PIPE = re.compile(r"(?<!\\\|)\\\|(?!\\\|)")
"""An escaped | with no escaped | beside it."""


def _bold(text: str) -> str:
    return f"**{text}**"


MARKUP = Markup(re.compile(r"\\.|\*\*|.", re.S), ("**", "**"))
"""Cut Discord markdown between escapes and bold markers, never inside them."""


def to_markdown(message: Message) -> str:
    """A catalogue message as Discord markdown; user text is escaped and never mentions anyone.
    (It may be longer than one message: `pieces` cuts it.)"""
    return render(message, escape=_escape, bold=_bold)


def pieces(content: str) -> list[str]:
    """Content as messages of at most 2,000 characters, cut at line breaks where possible."""
    return split_rendered(content, MAX_CONTENT, MARKUP) or ["…"]  # Discord refuses blank


def label(message: Message) -> str:
    """A button, select or modal label (plain text, cut to Discord's 80-character limit)."""
    return render(message)[:80]


def key_str(key: str) -> app_commands.locale_str:
    """A slash command's or option's description: the English from the catalogue, carrying its
    key so that the translator (cogs/locales.py) gives it in the member's language."""
    return app_commands.locale_str(label(msg(key))[:100], key=key)


def account(user: discord.abc.User) -> AccountRef:
    """The core's reference to a Discord user."""
    return AccountRef(Platform.DISCORD, str(user.id), user.name)


def actor(interaction: discord.Interaction[Any], cfg: DiscordConfig) -> Actor:
    """Who is acting; a coordinator only if she holds a configured role (checked in code)."""
    user = interaction.user
    roles = {role.id for role in getattr(user, "roles", [])}
    is_coordinator = isinstance(user, discord.Member) and bool(
        roles & set(cfg.coordinator_role_ids)
    )
    return Actor(Platform.DISCORD, str(user.id), is_coordinator=is_coordinator)


async def reply(
    interaction: discord.Interaction[Any],
    message: Message | str,
    view: discord.ui.View | None = None,
    edit: bool = False,
) -> None:
    """Answer privately: edit the component's message, or send an ephemeral message; a long
    answer goes on in ephemeral follow-ups, with the buttons under the last part."""
    first, *rest = pieces(message if isinstance(message, str) else to_markdown(message))
    extra: dict[str, Any] = {"view": view} if view is not None and not rest else {}
    if interaction.response.is_done():
        await interaction.followup.send(first, ephemeral=True, **extra)
    elif edit:
        await interaction.response.edit_message(content=first, view=view if not rest else None)
    else:
        await interaction.response.send_message(first, ephemeral=True, **extra)
    for index, part in enumerate(rest, start=1):
        extra = {"view": view} if view is not None and index == len(rest) else {}
        await interaction.followup.send(part, ephemeral=True, **extra)


async def guarded(
    interaction: discord.Interaction[Any], action: Callable[[], Awaitable[None]]
) -> None:
    """The one error handler: a BotError becomes a friendly ephemeral reply, anything else an
    apology (and a logged traceback). Someone sending too much at once is told to slow down
    instead (every interaction needs an answer on Discord)."""
    services = getattr(interaction.client, "services", None)
    if services is not None:  # her language first: every answer here is written in it
        locale = getattr(interaction.locale, "value", None)
        coordinator = actor(interaction, interaction.client.discord_config).is_coordinator
        spoken = await services.locales.of(account(interaction.user), locale, keep=coordinator)
        LANGUAGE.set(spoken.language)
    if services is not None and services.flood.check(f"discord:{interaction.user.id}") != "ok":
        await _safe_reply(interaction, msg("error.slow_down"))
        return
    try:
        await action()
    except BotError as error:
        await _safe_reply(interaction, error.message)
    except Exception:
        log.exception("Discord interaction failed")
        await _safe_reply(interaction, msg("error.unexpected"))


async def _safe_reply(interaction: discord.Interaction[Any], message: Message) -> None:
    try:
        if interaction.response.is_done():
            await interaction.followup.send(pieces(to_markdown(message))[0], ephemeral=True)
        else:
            await interaction.response.send_message(pieces(to_markdown(message))[0], ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error")


def services_of(interaction: discord.Interaction[Any]) -> Services:
    """The core services, held by the client."""
    services: Services = interaction.client.services
    return services

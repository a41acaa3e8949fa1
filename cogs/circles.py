"""Discord: /circle (a volunteer's writing circle) and its buttons: join or decline an
invitation, approve a circle's lead (coordinators), and what becomes of a circle left with one
member. Every answer is ephemeral; `/circle here`, typed in a channel or thread, makes it the
circle's place (coordination only). Rights are checked in the core on every press."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import Destination, Platform, TargetKind
from bot.messages import Message, msg
from cogs.browse import render_page
from cogs.render import account, actor, guarded, key_str, label, reply, services_of

LABELS = {
    "cj": "button.circle_join",
    "cd": "button.circle_decline",
    "ca": "button.approve",
    "cg": "button.circle_hand",
    "cq": "button.circle_end",
}


class CircleButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:circle:(?P<action>cj|cd|ca|cg|cq):(?P<number>[0-9]{1,18})",
):
    """Join or decline (the invitation's number), approve a lead, hand or end (the circle's
    number). Works after a restart."""

    def __init__(self, action: str, number: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=label(msg(LABELS[action])),
                style=discord.ButtonStyle.secondary,
                custom_id=f"penpal:circle:{action}:{number}",
            )
        )
        self.action, self.number = action, number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CircleButton:
        return cls(match["action"], int(match["number"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            circles = services_of(interaction).circles
            who = actor(interaction, interaction.client.discord_config)
            if self.action in ("cj", "cd"):
                joined = self.action == "cj"
                result = await circles.answer(account(interaction.user), self.number, joined)
                place = await circles.place_on(account(interaction.user)) if joined else None
                if place is not None:  # the circle's thread: she comes in
                    await _add_members(await _channel(interaction.client, place),
                                       [str(interaction.user.id)])  # fmt: skip
            elif self.action == "ca":
                result = await circles.approve(who, self.number)
            else:
                choice = "hand" if self.action == "cg" else "end"
                result = await circles.settle(who, self.number, choice)
            await reply(interaction, result)

        await guarded(interaction, run)


def outbox_buttons(action: str, arg: str) -> discord.ui.Item[Any] | None:
    """The component for an outbox button of this cog, if it is one."""
    if action in LABELS and arg.isdigit():
        return CircleButton(action, int(arg))
    return None


class CircleCog(commands.Cog):
    """A volunteer's writing circle."""

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    circle = app_commands.Group(name="circle", description=key_str("cmd.circle"))

    async def _answer(
        self, interaction: discord.Interaction[Any], call: Callable[[], Awaitable[Message]]
    ) -> None:
        async def run() -> None:
            await reply(interaction, await call())

        await guarded(interaction, run)

    @circle.command(name="show", description=key_str("cmd.circle_show"))
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        circles = services_of(interaction).circles
        await self._answer(interaction, lambda: circles.show(account(interaction.user)))

    @circle.command(name="create", description=key_str("cmd.circle_create"))
    @app_commands.describe(name=key_str("arg.circle_name"))
    async def create(self, interaction: discord.Interaction[Any], name: str) -> None:
        circles = services_of(interaction).circles
        await self._answer(interaction, lambda: circles.create(account(interaction.user), name))

    @circle.command(name="invite", description=key_str("cmd.circle_invite"))
    @app_commands.describe(who=key_str("arg.circle_who"))
    async def invite(self, interaction: discord.Interaction[Any], who: str) -> None:
        circles = services_of(interaction).circles
        await self._answer(interaction, lambda: circles.invite(account(interaction.user), who))

    @circle.command(name="browse", description=key_str("cmd.circle_browse"))
    async def browse(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            page = await services_of(interaction).browse.circle_page(account(interaction.user))
            content, view = render_page(page)
            await reply(interaction, content, view)

        await guarded(interaction, run)

    @circle.command(name="capacity", description=key_str("cmd.circle_capacity"))
    @app_commands.describe(count=key_str("arg.circle_capacity"))
    async def capacity(
        self, interaction: discord.Interaction[Any], count: app_commands.Range[int, 1, 5]
    ) -> None:
        circles = services_of(interaction).circles
        who = account(interaction.user)
        await self._answer(interaction, lambda: circles.capacity(who, str(count)))

    @circle.command(name="pass", description=key_str("cmd.circle_pass"))
    async def pass_turn(self, interaction: discord.Interaction[Any]) -> None:
        circles = services_of(interaction).circles
        await self._answer(interaction, lambda: circles.pass_turn(account(interaction.user)))

    @circle.command(name="ask", description=key_str("cmd.circle_ask"))
    async def ask(self, interaction: discord.Interaction[Any]) -> None:
        circles = services_of(interaction).circles
        await self._answer(interaction, lambda: circles.ask_help(account(interaction.user)))

    @circle.command(name="leave", description=key_str("cmd.circle_leave"))
    async def leave(self, interaction: discord.Interaction[Any]) -> None:
        circles = services_of(interaction).circles
        who = account(interaction.user)

        async def call() -> Message:
            place = await circles.place_on(who)
            answer = await circles.leave(who)
            if place is not None:  # she no longer follows the circle's thread
                thread = await _channel(interaction.client, place)
                if isinstance(thread, discord.Thread):
                    with contextlib.suppress(discord.HTTPException):
                        await thread.remove_user(interaction.user)
            return answer

        await self._answer(interaction, call)

    @circle.command(name="here", description=key_str("cmd.circle_here"))
    @app_commands.describe(name=key_str("arg.circle_here"))
    async def here(self, interaction: discord.Interaction[Any], name: str | None = None) -> None:
        async def call() -> Message:
            channel = interaction.channel
            if interaction.guild_id is None or channel is None:
                return msg("circle.here_private")
            who = actor(interaction, interaction.client.discord_config)
            circles = services_of(interaction).circles
            title, members = await circles.place_for(who, name or "")
            place = await _private_thread(channel, title, members)
            made = place is not None
            if place is None:  # in a thread already, or no right to make one: here it is
                place = channel
            await _add_members(place, members)
            where = Destination(Platform.DISCORD, TargetKind.CHANNEL, str(place.id))
            answer = await circles.here(who, where, name or "")
            return msg("circle.thread_made", circle=title) if made else answer

        await self._answer(interaction, call)


async def _private_thread(channel: Any, title: str, members: list[str]) -> Any:
    """A private thread of the circle in this text channel, when the bot may make one (None
    in a thread, or without the right: the circle then talks where the command was sent)."""
    if not isinstance(channel, discord.TextChannel):
        return None
    try:
        return await channel.create_thread(
            name=title[:100], type=discord.ChannelType.private_thread, invitable=False
        )
    except discord.HTTPException:
        return None


async def _channel(client: discord.Client, place: str) -> Any:
    """The circle's channel or thread (None if it is gone)."""
    try:
        return client.get_channel(int(place)) or await client.fetch_channel(int(place))
    except discord.HTTPException:
        return None


async def _add_members(place: Any, members: list[str]) -> None:
    """Every member on Discord, in the circle's thread (again after someone joined)."""
    if not isinstance(place, discord.Thread):
        return
    for user_id in members:
        try:
            await place.add_user(discord.Object(int(user_id)))
        except discord.HTTPException:
            continue  # she left the server: the others still come in


DYNAMIC_ITEMS = (CircleButton,)

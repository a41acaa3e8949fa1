"""Discord: coordinators' /coord broadcast (ephemeral preview, then Send or Cancel), /coord
remind and /coord schedule. The role is checked in the core on every command and press."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.messages import msg
from cogs.render import actor, guarded, label, reply, services_of


class BroadcastButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:bc:(?P<choice>send|cancel):(?P<id>\d{1,18})",
):
    """Send or cancel a previewed announcement. Works after a restart."""

    def __init__(self, choice: str, draft: int) -> None:
        send = choice == "send"
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.send" if send else "button.cancel")),
                style=discord.ButtonStyle.success if send else discord.ButtonStyle.secondary,
                custom_id=f"penpal:bc:{choice}:{draft}",
            )
        )
        self.choice, self.draft = choice, draft

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> BroadcastButton:
        return cls(match["choice"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            announcements = services_of(interaction).announcements
            who = actor(interaction, interaction.client.discord_config)
            if self.choice == "send":
                result = await announcements.send(who, self.draft)
            else:
                result = await announcements.cancel(who, self.draft)
            await reply(interaction, result, edit=True)

        await guarded(interaction, run)


async def broadcast(interaction: discord.Interaction[Any], audience: str, text: str) -> None:
    async def run() -> None:
        who = actor(interaction, interaction.client.discord_config)
        preview, draft = await services_of(interaction).announcements.preview(who, audience, text)
        view = discord.ui.View(timeout=None)
        view.add_item(BroadcastButton("send", draft))
        view.add_item(BroadcastButton("cancel", draft))
        await reply(interaction, preview, view)

    await guarded(interaction, run)


async def remind(interaction: discord.Interaction[Any], volunteer: discord.abc.User) -> None:
    async def run() -> None:
        who = actor(interaction, interaction.client.discord_config)
        await reply(
            interaction, await services_of(interaction).announcements.remind(who, str(volunteer.id))
        )

    await guarded(interaction, run)


async def schedule(
    interaction: discord.Interaction[Any],
    days: str,
    at: str,
    timezone: str,
    audience: str,
    text: str,
) -> None:
    async def run() -> None:
        who = actor(interaction, interaction.client.discord_config)
        await reply(
            interaction,
            await services_of(interaction).announcements.add_schedule(
                who, days, at, timezone, audience, text
            ),
        )

    await guarded(interaction, run)

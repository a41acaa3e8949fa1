"""Discord: an announcement's ephemeral preview with Send and Cancel (the role is checked in the
core on every press)."""

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


def preview_view(draft: int) -> discord.ui.View:
    """Send and Cancel under a previewed announcement."""
    view = discord.ui.View(timeout=None)
    view.add_item(BroadcastButton("send", draft))
    view.add_item(BroadcastButton("cancel", draft))
    return view

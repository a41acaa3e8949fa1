"""Discord: coordinators' Approve and Reject buttons under a sign-up, persistent across restarts,
re-checked on every press."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.messages import msg
from cogs.render import actor, guarded, label, reply, services_of, to_markdown


class DecisionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:(?P<verdict>approve|reject):(?P<id>\d{1,18})",
):
    """Approve or reject a pending volunteer. Works after a restart; checks the role each time."""

    def __init__(self, verdict: str, volunteer_id: int) -> None:
        approve = verdict == "approve"
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.approve" if approve else "button.reject")),
                style=discord.ButtonStyle.success if approve else discord.ButtonStyle.danger,
                custom_id=f"penpal:{verdict}:{volunteer_id}",
            )
        )
        self.verdict = verdict
        self.volunteer_id = volunteer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DecisionButton:
        return cls(match["verdict"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            result = await services_of(interaction).volunteers.decide(
                self.volunteer_id, self.verdict == "approve", who
            )
            original = interaction.message.content if interaction.message else ""
            await reply(interaction, f"{original}\n\n{to_markdown(result)}", edit=True)

        await guarded(interaction, run)

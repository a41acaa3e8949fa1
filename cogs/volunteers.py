"""Discord: coordinators' Approve and Reject buttons under a sign-up, persistent across restarts,
re-checked on every press."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.messages import Message, msg
from bot.volunteers import LONGEST_REASON
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
            volunteers = services_of(interaction).volunteers
            if self.verdict == "reject":  # first a form for the reason she will read
                asked, pending = await volunteers.reject_ask(self.volunteer_id, who)
                if pending:
                    await interaction.response.send_modal(RejectForm(self.volunteer_id))
                else:
                    await reply(interaction, asked)
                return
            result = await volunteers.decide(self.volunteer_id, True, who)
            await _show(interaction, result)

        await guarded(interaction, run)


class RejectForm(discord.ui.Modal):
    """The reason for a rejection, which she reads as written (may be left empty)."""

    def __init__(self, volunteer_id: int) -> None:
        super().__init__(title=label(msg("form.reject_title"))[:45])
        self.volunteer_id = volunteer_id
        self.reason: discord.ui.TextInput[RejectForm] = discord.ui.TextInput(
            label=label(msg("form.reject_reason"))[:45],
            custom_id="reject-reason",
            required=False,
            style=discord.TextStyle.paragraph,
            max_length=LONGEST_REASON,
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            # The right is checked again on submit: the form could outlive a role change.
            who = actor(interaction, interaction.client.discord_config)
            result = await services_of(interaction).volunteers.decide(
                self.volunteer_id, False, who, self.reason.value or ""
            )
            await _show(interaction, result)

        await guarded(interaction, run)


async def _show(interaction: discord.Interaction[Any], result: Message) -> None:
    """The decision under the sign-up it was taken on (every coordinator sees it there)."""
    if interaction.message is None:
        await reply(interaction, result)
        return
    original = interaction.message.content
    await reply(interaction, f"{original}\n\n{to_markdown(result)}", edit=True)

"""Discord: the buttons under coordinators' alerts and the daily digest (in their channel):
remind the volunteer now, mark the pen pal's address as checked, open a list the digest counts.
Answers are ephemeral; the right is checked in the core on every press."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import console
from bot.messages import msg
from cogs.console import show
from cogs.forms import TransferForm
from cogs.render import actor, guarded, label, reply, services_of

LABELS = {
    "rm": "button.remind_now",
    "ac": "button.address_checked",
    "aw": "button.address_where",
    "ao": "button.address_ok",
    "am": "button.address_moved",
    "ar": "button.address_released",
    "al": "button.address_later",
    "rc": "button.release_continue",
    "re": "button.release_end",
}
LISTS = {name: f"button.list_{name}" for name in console.LISTS}


class AlertButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:alert:(?P<action>rm|ac|ls|aw|ao|am|ar|al|rc|re):(?P<arg>[a-z0-9]{1,18})",
):
    """One action under an alert or the digest. Works after a restart."""

    def __init__(self, action: str, arg: str) -> None:
        key = LISTS.get(arg, "button.list_pending") if action == "ls" else LABELS[action]
        super().__init__(
            discord.ui.Button(
                label=label(msg(key)),
                style=discord.ButtonStyle.secondary,
                custom_id=f"penpal:alert:{action}:{arg}",
            )
        )
        self.action, self.arg = action, arg

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AlertButton:
        return cls(match["action"], match["arg"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            services = services_of(interaction)
            if self.action == "ls":
                await show(interaction, await console.run_list(services, who, self.arg))
            elif self.action == "rm":
                await reply(interaction, await services.announcements.remind(who, self.arg))
            elif self.action == "am" and self.arg.isdigit():  # a form: ID number, facility
                console.authorize(who)
                facilities = await services.registry.facility_names(who)
                await interaction.response.send_modal(TransferForm(int(self.arg), facilities))
            elif self.action in ("rc", "re") and self.arg.isdigit():
                decided = await services.releases.decide(who, int(self.arg), self.action == "rc")
                await reply(interaction, decided)
            elif self.action == "ac" and self.arg.isdigit():
                await reply(interaction, await services.custody.confirm_address(int(self.arg), who))
            elif self.arg.isdigit():  # an address in doubt; the answer only she sees
                result = await console.address_action(services, who, self.action, int(self.arg))
                await reply(interaction, result)

        await guarded(interaction, run)


def outbox_buttons(action: str, arg: str) -> discord.ui.Item[Any] | None:
    """The component for an outbox button of this cog, if it is one."""
    if (action in LABELS and arg.isdigit()) or (action == "ls" and arg in LISTS):
        return AlertButton(action, arg)
    return None


DYNAMIC_ITEMS = (AlertButton,)

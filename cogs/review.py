"""Discord: the buttons under a letter waiting at the program (forwarding programs): forward or
post it, keep it with a note, or give it back for a rewrite (both open a form for the note).
Answers are ephemeral; the right is checked in the core on every press."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import console
from bot.domain.models import Button
from bot.messages import msg
from cogs.forms import ReviewNoteForm
from cogs.render import actor, guarded, label, reply, services_of

LABELS = {
    "rf": "button.review_forward",
    "rh": "button.review_hold",
    "rr": "button.review_return",
}


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:review:(?P<action>rf|rh|rr):(?P<letter>[0-9]{1,18})",
):
    """One action on one letter at the program. Works after a restart."""

    def __init__(self, action: str, letter_id: int, key: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label(msg(key or LABELS[action])),
                style=discord.ButtonStyle.secondary,
                custom_id=f"penpal:review:{action}:{letter_id}",
            )
        )
        self.action, self.letter_id = action, letter_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReviewButton:
        return cls(match["action"], int(match["letter"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            console.authorize(who)
            if self.action in ("rh", "rr"):  # a form: the note her volunteer reads
                await interaction.response.send_modal(ReviewNoteForm(self.action, self.letter_id))
                return
            services = services_of(interaction)
            result = await console.review_action(services, who, self.action, self.letter_id)
            await reply(interaction, result)

        await guarded(interaction, run)


def outbox_buttons(action: str, arg: str) -> discord.ui.Item[Any] | None:
    """The component for an outbox button of this cog, if it is one."""
    if action in LABELS and arg.isdigit():
        return ReviewButton(action, int(arg))
    return None


def review_view(buttons: tuple[Button, ...]) -> discord.ui.View:
    """The buttons under `/coord review`, with the labels the core chose."""
    view = discord.ui.View(timeout=None)
    for button in buttons:
        if button.action in LABELS and button.arg.isdigit():
            view.add_item(ReviewButton(button.action, int(button.arg), button.label_key))
    return view


DYNAMIC_ITEMS = (ReviewButton,)

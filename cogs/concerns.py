"""Discord: /concern (ephemeral: her words, then the kind, then which pen pal)."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.concerns import KINDS, LONGEST, ConcernStep
from bot.domain.errors import NotFound
from bot.messages import msg
from cogs.render import account, guarded, key_str, label, reply, services_of


class ConcernButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:concern:(?P<what>k|m):(?P<id>\d{1,18}):(?P<value>[a-z]{1,12}|\d{1,18})",
):
    """The kind (k) or the pen pal (m, 0 for none) of her draft concern; hers only."""

    def __init__(self, what: str, concern_id: int, value: str, text: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=(text or "…")[:80],
                style=discord.ButtonStyle.secondary,
                custom_id=f"penpal:concern:{what}:{concern_id}:{value}",
            )
        )
        self.what, self.concern_id, self.value = what, concern_id, value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConcernButton:
        return cls(match["what"], int(match["id"]), match["value"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            service = services_of(interaction).concerns
            who = account(interaction.user)
            if self.what == "k":
                found = await service.choose_kind(who, self.concern_id, self.value)
                await reply(interaction, found.message, view=step_view(found), edit=True)
                return
            if not self.value.isdigit():
                raise NotFound("error.expired")
            result = await service.submit(who, self.concern_id, int(self.value))
            await reply(interaction, result, edit=True)  # no buttons left

        await guarded(interaction, run)


def step_view(found: ConcernStep) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if found.ask_kind:
        for kind in KINDS:
            view.add_item(
                ConcernButton("k", found.concern_id, kind, label(msg(f"concern.kind.{kind}")))
            )
    for choice in found.choices[:20]:
        view.add_item(ConcernButton("m", found.concern_id, str(choice.match_id), choice.name))
    if found.choices:
        view.add_item(ConcernButton("m", found.concern_id, "0", label(msg("concern.no_match"))))
    return view


class ConcernCog(commands.Cog):
    """A volunteer's private report of a worry."""

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @app_commands.command(name="concern", description=key_str("cmd.concern"))
    @app_commands.describe(what=key_str("arg.what"))
    async def concern(
        self,
        interaction: discord.Interaction[Any],
        what: app_commands.Range[str, 1, LONGEST],
    ) -> None:
        async def run() -> None:
            found = await services_of(interaction).concerns.start(account(interaction.user), what)
            await reply(interaction, found.message, view=step_view(found))

        await guarded(interaction, run)


DYNAMIC_ITEMS = (ConcernButton,)

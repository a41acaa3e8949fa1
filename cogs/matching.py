"""Discord: proposals with Confirm, Skip and Someone else for coordinators; volunteers' /mypenpals.

Everything here is ephemeral or a direct message: proposals are for coordinators' eyes, and
mailing details for the matched volunteer's only.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.matching.service import Answer
from bot.messages import msg
from cogs.render import account, actor, guarded, key_str, label, reply, services_of, to_markdown

SHOWN = 10  # proposals shown with buttons per run; the rest stay open for the next look


class MatchDecision(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:match:(?P<verdict>confirm|skip|swap):(?P<id>\d{1,18})",
):
    """Confirm, Skip or Someone else. Works after a restart; checks the role on every press."""

    def __init__(self, verdict: str, match_id: int) -> None:
        confirm = verdict == "confirm"
        super().__init__(
            discord.ui.Button(
                label=label(msg(f"button.{verdict}")),
                style=discord.ButtonStyle.success if confirm else discord.ButtonStyle.secondary,
                custom_id=f"penpal:match:{verdict}:{match_id}",
            )
        )
        self.verdict = verdict
        self.match_id = match_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MatchDecision:
        return cls(match["verdict"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            matches = services_of(interaction).matches
            if self.verdict == "swap":
                answer = await matches.swap(self.match_id, who)
            else:
                answer = Answer(await matches.decide(self.match_id, self.verdict == "confirm", who))
            original = interaction.message.content if interaction.message else ""
            view = proposal_view(answer.proposal) if answer.proposal is not None else None
            text = f"{original}\n\n{to_markdown(answer.message)}"
            await reply(interaction, text, view, edit=True)

        await guarded(interaction, run)


def proposal_view(match_id: int) -> discord.ui.View:
    """Confirm, Skip and Someone else under a proposal."""
    view = discord.ui.View(timeout=None)
    for verdict in ("confirm", "skip", "swap"):
        view.add_item(MatchDecision(verdict, match_id))
    return view


async def show_answers(interaction: discord.Interaction[Any], answers: list[Answer]) -> None:
    """Each answer (after a deferred response); the first SHOWN proposals with their buttons."""
    shown = 0
    for answer in answers:
        if answer.proposal is None:
            await reply(interaction, answer.message)
        elif shown < SHOWN:
            await reply(interaction, answer.message, proposal_view(answer.proposal))
            shown += 1


class MatchingCog(commands.Cog):
    """Volunteers' pen pals and where to write to them."""

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @app_commands.command(name="mypenpals", description=key_str("cmd.mypenpals"))
    async def mypenpals(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            found = await services_of(interaction).matches.mine(account(interaction.user))
            await reply(interaction, "\n\n".join(to_markdown(m) for m in found))

        await guarded(interaction, run)

"""Discord: /pause [until], /resume, /mydata and /forgetme. Every answer is ephemeral."""

from __future__ import annotations

import io
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.messages import msg
from cogs.render import account, guarded, label, reply, to_markdown
from cogs.signup import services_of


class ForgetButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:forget:(?P<choice>\d{1,18}|no)",
):
    """ "Erase everything" (with her volunteer number) or "Cancel". The service erases only when
    the presser's own account belongs to that volunteer: a forged custom id gets nothing."""

    def __init__(self, choice: str) -> None:
        keep = choice == "no"
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.keep" if keep else "button.forget")),
                style=discord.ButtonStyle.secondary if keep else discord.ButtonStyle.danger,
                custom_id=f"penpal:forget:{choice}",
            )
        )
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ForgetButton:
        return cls(match["choice"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            if self.choice == "no":
                result = msg("forget.cancelled")
            else:
                result = await services_of(interaction).lifecycle.forget(
                    account(interaction.user), int(self.choice)
                )
            await reply(interaction, result, view=discord.ui.View(), edit=True)

        await guarded(interaction, run)


class LifecycleCog(commands.Cog):
    """A volunteer's breaks and her data."""

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @app_commands.command(name="pause", description=label(msg("cmd.pause")))
    @app_commands.describe(until=label(msg("arg.until")))
    async def pause(self, interaction: discord.Interaction[Any], until: str | None = None) -> None:
        async def run() -> None:
            result = await services_of(interaction).lifecycle.pause(
                account(interaction.user), until
            )
            await reply(interaction, result)

        await guarded(interaction, run)

    @app_commands.command(name="resume", description=label(msg("cmd.resume")))
    async def resume(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            result = await services_of(interaction).lifecycle.resume(account(interaction.user))
            await reply(interaction, result)

        await guarded(interaction, run)

    @app_commands.command(name="mydata", description=label(msg("cmd.mydata")))
    async def mydata(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            export = await services_of(interaction).lifecycle.my_data(account(interaction.user))
            document = discord.File(io.BytesIO(export.content), filename=export.filename)
            await interaction.response.send_message(
                to_markdown(msg("mydata.caption")), file=document, ephemeral=True
            )

        await guarded(interaction, run)

    @app_commands.command(name="forgetme", description=label(msg("cmd.forgetme")))
    async def forgetme(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            ask, volunteer_id = await services_of(interaction).lifecycle.forget_ask(
                account(interaction.user)
            )
            view = discord.ui.View(timeout=None)
            view.add_item(ForgetButton(str(volunteer_id)))
            view.add_item(ForgetButton("no"))
            await reply(interaction, ask, view=view)

        await guarded(interaction, run)


DYNAMIC_ITEMS = (ForgetButton,)

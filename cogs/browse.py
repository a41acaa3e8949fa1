"""Discord: /browse, anonymised profiles a page at a time, with persistent buttons (ephemeral)."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.browse import BrowsePage
from bot.messages import msg
from cogs.render import account, guarded, key_str, label, reply, services_of, to_markdown


class BrowseButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:browse:(?P<kind>page|req|cpage|creq):(?P<number>\d{1,9})",
):
    """Turn the page, or ask to write to one woman. Works after a restart."""

    def __init__(self, kind: str, number: int, text: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=(text or "…")[:80],
                style=discord.ButtonStyle.primary
                if kind.endswith("req")
                else discord.ButtonStyle.secondary,
                custom_id=f"penpal:browse:{kind}:{number}",
            )
        )
        self.kind = kind
        self.number = number

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> BrowseButton:
        return cls(match["kind"], int(match["number"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            browse = services_of(interaction).browse
            who = account(interaction.user)
            if self.kind in ("page", "cpage"):
                pages = browse.circle_page if self.kind == "cpage" else browse.page
                content, view = render_page(await pages(who, self.number))
                await reply(interaction, content, view, edit=True)
            else:
                ask = browse.circle_request if self.kind == "creq" else browse.request
                await reply(interaction, await ask(who, self.number))

        await guarded(interaction, run)


def render_page(page: BrowsePage) -> tuple[str, discord.ui.View]:
    """The page as one message with a button per profile and page navigation."""
    content = "\n\n".join(
        [to_markdown(page.heading), *(to_markdown(p) for _, _, p in page.profiles)]
    )
    view = discord.ui.View(timeout=None)
    c = "c" if page.circle else ""  # a circle's lead browses for her circle
    for penpal_id, name, _ in page.profiles:
        view.add_item(BrowseButton(f"{c}req", penpal_id, label(msg("button.request", name=name))))
    if page.page > 1:
        view.add_item(BrowseButton(f"{c}page", page.page - 1, label(msg("button.previous"))))
    if page.page < page.pages:
        view.add_item(BrowseButton(f"{c}page", page.page + 1, label(msg("button.next"))))
    return content, view


class BrowseCog(commands.Cog):
    """Volunteers browse waiting pen pals (when the program uses browse mode)."""

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @app_commands.command(name="browse", description=key_str("cmd.browse"))
    async def browse(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            content, view = render_page(
                await services_of(interaction).browse.page(account(interaction.user))
            )
            await reply(interaction, content, view)

        await guarded(interaction, run)

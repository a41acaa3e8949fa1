"""Discord: the coordinators' lists (sign-ups waiting, the waiting list, the audit log) with their
Previous and Next buttons, and Approve and Reject on a page of sign-ups. Answers are ephemeral;
every press checks the presser's role again."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.messages import msg
from bot.oversight import Page
from cogs.render import actor, guarded, label, reply, services_of
from cogs.volunteers import DecisionButton


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:page:(?P<kind>pending|penpals|audit):(?P<page>\d{1,5}):(?P<arg>.{0,11})",
):
    """Previous or Next on a coordinators' list."""

    def __init__(self, kind: str, page: int, arg: str, text: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=(text or "…")[:80],
                style=discord.ButtonStyle.secondary,
                custom_id=f"penpal:page:{kind}:{page}:{arg}",
            )
        )
        self.kind, self.page, self.arg = kind, page, arg

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        return cls(match["kind"], int(match["page"]), match["arg"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            page = await services_of(interaction).oversight.page(
                who, self.kind, self.page, self.arg
            )
            await reply(interaction, page.message, view=page_view(page), edit=True)

        await guarded(interaction, run)


def page_view(page: Page) -> discord.ui.View:
    """Approve and Reject for each sign-up on a pending page; Previous and Next."""
    view = discord.ui.View(timeout=None)
    for volunteer_id in page.ids:
        for verdict in ("approve", "reject"):
            button = DecisionButton(verdict, volunteer_id)
            button.item.label = label(msg(f"button.{verdict}_n", id=volunteer_id))
            view.add_item(button)
    if page.has_previous:
        view.add_item(PageButton(page.kind, page.page - 1, page.arg, label(msg("button.previous"))))
    if page.has_next:
        view.add_item(PageButton(page.kind, page.page + 1, page.arg, label(msg("button.next"))))
    return view


DYNAMIC_ITEMS = (PageButton,)

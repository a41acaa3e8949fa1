"""Discord: coordinators' /coord match with Confirm and Skip buttons; volunteers' /mypenpals.

Everything here is ephemeral or a direct message: proposals are for coordinators' eyes, and
mailing details for the matched volunteer's only.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.announcing import AUDIENCES
from bot.domain.errors import BotError, NotAllowed
from bot.domain.models import EndReason
from bot.matching.service import Answer
from bot.messages import msg
from cogs import announcing, concerns, oversight
from cogs.forms import RegistryForm
from cogs.render import account, actor, guarded, label, reply, services_of, to_markdown

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


async def _show(interaction: discord.Interaction[Any], answers: list[Answer]) -> None:
    """Each answer (after a deferred response); the first SHOWN proposals with their buttons."""
    shown = 0
    for answer in answers:
        if answer.proposal is None:
            await reply(interaction, answer.message)
        elif shown < SHOWN:
            await reply(interaction, answer.message, proposal_view(answer.proposal))
            shown += 1


class MatchingCog(commands.Cog):
    """Matching for coordinators and pen pal details for volunteers."""

    coord = app_commands.Group(
        name="coord",
        description=label(msg("cmd.coord")),
        # Hidden from members by default; the bot still checks the role itself on every use.
        default_permissions=discord.Permissions(manage_messages=True),
        guild_only=True,
    )

    penpal = app_commands.Group(
        name="penpal", description=label(msg("cmd.coord.penpal_add")), parent=coord
    )
    facility = app_commands.Group(
        name="facility", description=label(msg("cmd.coord.facility_add")), parent=coord
    )

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @penpal.command(name="add", description=label(msg("cmd.coord.penpal_add")))
    async def penpal_add(self, interaction: discord.Interaction[Any]) -> None:
        await self._open_form(interaction, "penpal")

    @facility.command(name="add", description=label(msg("cmd.coord.facility_add")))
    async def facility_add(self, interaction: discord.Interaction[Any]) -> None:
        await self._open_form(interaction, "facility")

    async def _open_form(self, interaction: discord.Interaction[Any], kind: str) -> None:
        async def run() -> None:
            if not actor(interaction, interaction.client.discord_config).is_coordinator:
                raise NotAllowed()
            await interaction.response.send_modal(RegistryForm(kind))

        await guarded(interaction, run)

    @coord.command(name="match", description=label(msg("coord.help")))
    async def match(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            if not who.is_coordinator:
                raise NotAllowed()
            await interaction.response.defer(ephemeral=True, thinking=True)
            await _show(interaction, await services_of(interaction).matches.run(who))

        await guarded(interaction, run)

    @coord.command(name="broadcast", description=label(msg("cmd.coord.broadcast")))
    @app_commands.describe(audience=label(msg("arg.audience")), text=label(msg("arg.text")))
    @app_commands.choices(audience=[app_commands.Choice(name=a, value=a) for a in AUDIENCES])
    async def broadcast(
        self, interaction: discord.Interaction[Any], audience: str, text: str
    ) -> None:
        await announcing.broadcast(interaction, audience, text)

    @coord.command(name="remind", description=label(msg("cmd.coord.remind")))
    @app_commands.describe(volunteer=label(msg("arg.volunteer")))
    async def remind(self, interaction: discord.Interaction[Any], volunteer: discord.User) -> None:
        await announcing.remind(interaction, volunteer)

    @coord.command(name="schedule", description=label(msg("cmd.coord.schedule")))
    @app_commands.describe(
        days=label(msg("arg.days")),
        at=label(msg("arg.time")),
        timezone=label(msg("arg.timezone")),
        audience=label(msg("arg.audience")),
        text=label(msg("arg.text")),
    )
    async def schedule(
        self,
        interaction: discord.Interaction[Any],
        days: str,
        at: str,
        timezone: str,
        audience: str,
        text: str,
    ) -> None:
        await announcing.schedule(interaction, days, at, timezone, audience, text)

    @coord.command(name="unschedule", description=label(msg("cmd.coord.unschedule")))
    @app_commands.describe(schedule=label(msg("arg.schedule")))
    async def unschedule(self, interaction: discord.Interaction[Any], schedule: int) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            await reply(
                interaction,
                await services_of(interaction).announcements.stop_schedule(who, schedule),
            )

        await guarded(interaction, run)

    @coord.command(name="letter", description=label(msg("cmd.coord.letter")))
    @app_commands.describe(match=label(msg("arg.match")), date=label(msg("arg.date")))
    async def letter(
        self, interaction: discord.Interaction[Any], match: int, date: str | None = None
    ) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            await reply(
                interaction, await services_of(interaction).letters.forwarded(who, match, date)
            )

        await guarded(interaction, run)

    @penpal.command(name="list", description=label(msg("cmd.coord.penpals")))
    @app_commands.describe(filter=label(msg("arg.filter")))
    async def penpal_list(
        self, interaction: discord.Interaction[Any], filter: str | None = None
    ) -> None:
        await oversight.answer(interaction, "penpals", filter or "")

    @coord.command(name="pending", description=label(msg("cmd.coord.pending")))
    async def pending(self, interaction: discord.Interaction[Any]) -> None:
        await oversight.answer(interaction, "pending")

    @coord.command(name="volunteer", description=label(msg("cmd.coord.volunteer")))
    @app_commands.describe(who=label(msg("arg.who")))
    async def volunteer(self, interaction: discord.Interaction[Any], who: str) -> None:
        await oversight.answer(interaction, "volunteer", who)

    @coord.command(name="stats", description=label(msg("cmd.coord.stats")))
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        await oversight.answer(interaction, "stats")

    @coord.command(name="audit", description=label(msg("cmd.coord.audit")))
    async def audit(self, interaction: discord.Interaction[Any]) -> None:
        await oversight.answer(interaction, "audit")

    @coord.command(name="reassign", description=label(msg("cmd.coord.reassign")))
    @app_commands.describe(match=label(msg("arg.match")), reason=label(msg("arg.reason")))
    @app_commands.choices(
        reason=[app_commands.Choice(name=r.value, value=r.value) for r in EndReason]
    )
    async def reassign(
        self, interaction: discord.Interaction[Any], match: int, reason: str
    ) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            if not who.is_coordinator:
                raise NotAllowed()
            await interaction.response.defer(ephemeral=True, thinking=True)
            custody = services_of(interaction).custody
            await _show(interaction, await custody.reassign(match, EndReason(reason), who))

        await guarded(interaction, run)

    @coord.command(name="concerns", description=label(msg("cmd.coord.concerns")))
    @app_commands.describe(number=label(msg("arg.concern")))
    async def concerns(
        self, interaction: discord.Interaction[Any], number: int | None = None
    ) -> None:
        await concerns.list_concerns(interaction, number)

    @coord.command(name="handled", description=label(msg("cmd.coord.handled")))
    @app_commands.describe(number=label(msg("arg.concern")), note=label(msg("arg.note")))
    async def concern_handled(
        self, interaction: discord.Interaction[Any], number: int, note: str
    ) -> None:
        await concerns.handled(interaction, number, note)

    @coord.command(name="overdue", description=label(msg("cmd.coord.overdue")))
    async def overdue(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            await reply(interaction, await services_of(interaction).letters.overdue(who))

        await guarded(interaction, run)

    @coord.command(name="end", description=label(msg("cmd.coord.end")))
    @app_commands.describe(match=label(msg("arg.match")), reason=label(msg("arg.reason")))
    @app_commands.choices(
        reason=[app_commands.Choice(name=r.value, value=r.value) for r in EndReason]
    )
    async def end(self, interaction: discord.Interaction[Any], match: int, reason: str) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            result = await services_of(interaction).custody.end_match(match, EndReason(reason), who)
            await reply(interaction, result)

        await guarded(interaction, run)

    @coord.command(name="transfer", description=label(msg("cmd.coord.transfer")))
    @app_commands.describe(
        penpal=label(msg("arg.penpal")),
        id_number=label(msg("arg.id_number")),
        facility=label(msg("arg.facility")),
    )
    async def transfer(
        self, interaction: discord.Interaction[Any], penpal: int, id_number: str, facility: str
    ) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            result = await services_of(interaction).custody.transfer(
                penpal, id_number, facility, who
            )
            await reply(interaction, result)

        await guarded(interaction, run)

    @coord.command(name="release", description=label(msg("cmd.coord.release")))
    @app_commands.describe(penpal=label(msg("arg.penpal")), on=label(msg("arg.release_date")))
    async def release(
        self, interaction: discord.Interaction[Any], penpal: int, on: str | None = None
    ) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            try:
                day = date.fromisoformat(on) if on else None
            except ValueError:
                raise BotError("invalid.date", field=msg("arg.release_date")) from None
            await reply(
                interaction, await services_of(interaction).custody.release(penpal, day, who)
            )

        await guarded(interaction, run)

    @app_commands.command(name="mypenpals", description=label(msg("cmd.mypenpals")))
    async def mypenpals(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            found = await services_of(interaction).matches.mine(account(interaction.user))
            await reply(interaction, "\n\n".join(to_markdown(m) for m in found))

        await guarded(interaction, run)

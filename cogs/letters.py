"""Discord: /letter sent|received (the pen pal by autocomplete), /letters, the buttons under a
reminder and the coordinators' re-offer button. Every answer is ephemeral or a DM."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import ReturnReason
from bot.letters import PenPalChoice
from bot.messages import msg
from cogs.render import account, actor, guarded, key_str, label, reply, services_of


class PickButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:letter:(?P<what>r|s|h|x_[a-z_]{1,12}):(?P<match>\d{1,18}):(?P<day>\d{4}-\d{2}-\d{2}|-)",
):
    """The pen pal a letter (r: received, s: sent, x_REASON: came back) or a history (h) is
    about."""

    def __init__(self, what: str, match_id: int, day: str, text: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=(text or "…")[:80],
                style=discord.ButtonStyle.primary,
                custom_id=f"penpal:letter:{what}:{match_id}:{day}",
            )
        )
        self.what, self.match_id, self.day = what, match_id, day

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PickButton:
        return cls(match["what"], int(match["match"]), match["day"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            letters = services_of(interaction).letters
            who = account(interaction.user)
            if self.what == "h":
                result = await letters.history(who, self.match_id)
            elif self.what.startswith("x_"):
                day = None if self.day == "-" else self.day
                addresses = services_of(interaction).addresses
                result = await addresses.returned(who, self.match_id, self.what[2:], day)
            else:
                day = None if self.day == "-" else self.day
                result = await letters.log(who, self.what == "r", self.match_id, day)
            assert not isinstance(result, list)
            await reply(interaction, result, edit=True)

        await guarded(interaction, run)


class ReminderButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:rem:(?P<kind>rp|sn):(?P<id>\d{1,18})",
):
    """ "I've replied" and "Remind me in a few days" under a reminder DM (hers only)."""

    def __init__(self, kind: str, reminder_id: int) -> None:
        replied = kind == "rp"
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.replied" if replied else "button.snooze")),
                style=discord.ButtonStyle.success if replied else discord.ButtonStyle.secondary,
                custom_id=f"penpal:rem:{kind}:{reminder_id}",
            )
        )
        self.kind, self.reminder_id = kind, reminder_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReminderButton:
        return cls(match["kind"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            letters = services_of(interaction).letters
            who = account(interaction.user)
            if self.kind == "rp":
                result = await letters.replied(who, self.reminder_id)
            else:
                result = await letters.snooze(who, self.reminder_id)
            await reply(interaction, result)

        await guarded(interaction, run)


class ReofferButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:reoffer:(?P<id>\d{1,18})",
):
    """Coordinators: end a match whose replies lapsed, pause her, re-offer the pen pal. The
    role is checked on every press."""

    def __init__(self, match_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.reoffer")),
                style=discord.ButtonStyle.danger,
                custom_id=f"penpal:reoffer:{match_id}",
            )
        )
        self.match_id = match_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReofferButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            who = actor(interaction, interaction.client.discord_config)
            await reply(
                interaction, await services_of(interaction).custody.reoffer(self.match_id, who)
            )

        await guarded(interaction, run)


async def _match_id(interaction: discord.Interaction[Any], value: str | None) -> int | None:
    """The autocomplete's value (a match id), or her pen pal's name when she typed it."""
    letters = services_of(interaction).letters
    return await letters.match_named(account(interaction.user), value)


def _choices_view(choices: list[PenPalChoice], what: str, day: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in choices[:25]:
        view.add_item(PickButton(what, choice.match_id, day, choice.name))
    return view


class LettersCog(commands.Cog):
    """Volunteers log letters and read their history."""

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    letter = app_commands.Group(name="letter", description=key_str("cmd.letter"))

    async def _log(
        self,
        interaction: discord.Interaction[Any],
        incoming: bool,
        penpal: str | None,
        date: str | None,
    ) -> None:
        async def run() -> None:
            result = await services_of(interaction).letters.log(
                account(interaction.user), incoming, await _match_id(interaction, penpal), date
            )
            if isinstance(result, list):
                day = (date or "").strip() or "-"
                view = _choices_view(result, "r" if incoming else "s", day)
                await reply(interaction, msg("letter.choose"), view=view)
                return
            await reply(interaction, result)

        await guarded(interaction, run)

    @letter.command(name="received", description=key_str("cmd.letter_received"))
    @app_commands.describe(penpal=key_str("arg.my_penpal"), date=key_str("arg.date"))
    async def received(
        self,
        interaction: discord.Interaction[Any],
        penpal: str | None = None,
        date: str | None = None,
    ) -> None:
        await self._log(interaction, True, penpal, date)

    @letter.command(name="sent", description=key_str("cmd.letter_sent"))
    @app_commands.describe(penpal=key_str("arg.my_penpal"), date=key_str("arg.date"))
    async def sent(
        self,
        interaction: discord.Interaction[Any],
        penpal: str | None = None,
        date: str | None = None,
    ) -> None:
        await self._log(interaction, False, penpal, date)

    @letter.command(name="returned", description=key_str("cmd.letter_returned"))
    @app_commands.describe(
        penpal=key_str("arg.my_penpal"),
        reason=key_str("arg.return_reason_picked"),
        date=key_str("arg.date_returned"),
    )
    @app_commands.choices(
        reason=[
            app_commands.Choice(name=key_str(f"return_reason.{r.value}"), value=r.value)
            for r in ReturnReason
        ]
    )
    async def returned(
        self,
        interaction: discord.Interaction[Any],
        penpal: str | None = None,
        reason: str | None = None,
        date: str | None = None,
    ) -> None:
        async def run() -> None:
            result = await services_of(interaction).addresses.returned(
                account(interaction.user), await _match_id(interaction, penpal), reason, date
            )
            if isinstance(result, list):
                what = f"x_{reason or 'unknown'}"
                view = _choices_view(result, what, (date or "").strip() or "-")
                await reply(interaction, msg("letter.choose"), view=view)
                return
            await reply(interaction, result)

        await guarded(interaction, run)

    @app_commands.command(name="letters", description=key_str("cmd.letters"))
    @app_commands.describe(penpal=key_str("arg.my_penpal"))
    async def letters(
        self, interaction: discord.Interaction[Any], penpal: str | None = None
    ) -> None:
        async def run() -> None:
            result = await services_of(interaction).letters.history(
                account(interaction.user), await _match_id(interaction, penpal)
            )
            if isinstance(result, list):
                await reply(interaction, msg("letter.choose"), view=_choices_view(result, "h", "-"))
                return
            await reply(interaction, result)

        await guarded(interaction, run)

    @received.autocomplete("penpal")
    @sent.autocomplete("penpal")
    @returned.autocomplete("penpal")
    @letters.autocomplete("penpal")
    async def penpal_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        """Her own active pen pals (preferred names only)."""
        choices = await services_of(interaction).letters.choices(account(interaction.user))
        typed = current.casefold()
        return [
            app_commands.Choice(name=c.name[:100] or "?", value=str(c.match_id))
            for c in choices
            if typed in c.name.casefold()
        ][:25]


def outbox_buttons(action: str, arg: str) -> discord.ui.Item[Any] | None:
    """The component for an outbox button of this cog, if it is one."""
    if action in ("rp", "sn"):
        return ReminderButton(action, int(arg))
    if action == "po":
        return ReofferButton(int(arg))
    return None


DYNAMIC_ITEMS = (PickButton, ReminderButton, ReofferButton)

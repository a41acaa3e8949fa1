"""Discord: /pause [until], /resume, /leave, /link, /mydata and /forgetme; answers are ephemeral."""

from __future__ import annotations

import io
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.lifecycle import LEAVE_REASONS, PREFERENCES, LeaveMenu
from bot.messages import msg
from cogs.render import account, guarded, key_str, label, reply, services_of, to_markdown


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
            await reply(interaction, result, edit=True)  # no buttons left

        await guarded(interaction, run)


class LeaveButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:leave:(?P<op>no|t|go):(?P<mask>\d{1,3}):(?P<count>\d{1,2}):(?P<reason>[a-z]{0,10})",
):
    """A step of /leave: tick or untick a pen pal (t), leave for a reason (go), or cancel. The
    state lives in the custom id; the service checks it against her matches again."""

    def __init__(self, op: str, mask: int, count: int, reason: str = "", text: str = "") -> None:
        style = discord.ButtonStyle.danger if op == "go" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=(text or "…")[:80],
                style=style,
                custom_id=f"penpal:leave:{op}:{mask}:{count}:{reason}",
            )
        )
        self.op, self.mask, self.count, self.reason = op, mask, count, reason

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> LeaveButton:
        return cls(match["op"], int(match["mask"]), int(match["count"]), match["reason"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            service = services_of(interaction).lifecycle
            who = account(interaction.user)
            if self.op == "t":
                menu = await service.leave_menu(who, self.mask, self.count)
                await reply(interaction, menu.message, view=leave_view(menu), edit=True)
                return
            if self.op == "no":
                result = msg("leave.cancelled")
            else:
                result = await service.leave(who, self.mask, self.count, self.reason)
            await reply(interaction, result, edit=True)  # no buttons left

        await guarded(interaction, run)


def leave_view(menu: LeaveMenu) -> discord.ui.View:
    """A button per pen pal (ticked: the correspondence ends), the reasons, and Cancel."""
    view = discord.ui.View(timeout=None)
    for i, name in enumerate(menu.names[:10]):
        text = ("✓ " if menu.chosen(i) else "") + name
        view.add_item(LeaveButton("t", menu.mask ^ (1 << i), menu.count, text=text))
    for reason in LEAVE_REASONS:
        view.add_item(
            LeaveButton("go", menu.mask, menu.count, reason, label(msg(f"leave.reason.{reason}")))
        )
    view.add_item(LeaveButton("no", 0, 0, text=label(msg("button.keep"))))
    return view


class PreferButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:prefer:(?P<choice>telegram|discord|both)",
):
    """Where her reminders go once her accounts are linked (her own profile only)."""

    def __init__(self, choice: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label(msg(f"link.where.{choice}")),
                style=discord.ButtonStyle.primary,
                custom_id=f"penpal:prefer:{choice}",
            )
        )
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PreferButton:
        return cls(match["choice"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            result = await services_of(interaction).lifecycle.prefer(
                account(interaction.user), self.choice
            )
            await reply(interaction, result, edit=True)  # no buttons left

        await guarded(interaction, run)


class ReconsentButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:guidelines:agree:(?P<id>\d{1,18})",
):
    """ "I agree" under the updated guidelines, in her DMs (hers only)."""

    def __init__(self, volunteer_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.agree")),
                style=discord.ButtonStyle.success,
                custom_id=f"penpal:guidelines:agree:{volunteer_id}",
            )
        )
        self.volunteer_id = volunteer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReconsentButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            result = await services_of(interaction).consents.agree(
                account(interaction.user), self.volunteer_id
            )
            await reply(interaction, result)

        await guarded(interaction, run)


def outbox_buttons(action: str, arg: str) -> discord.ui.Item[Any] | None:
    """The component for an outbox button of this cog, if it is one."""
    if action == "ga" and arg.isdigit():
        return ReconsentButton(int(arg))
    return None


class LifecycleCog(commands.Cog):
    """A volunteer's breaks and her data."""

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @app_commands.command(name="pause", description=key_str("cmd.pause"))
    @app_commands.describe(until=key_str("arg.until"))
    async def pause(self, interaction: discord.Interaction[Any], until: str | None = None) -> None:
        async def run() -> None:
            result = await services_of(interaction).lifecycle.pause(
                account(interaction.user), until
            )
            await reply(interaction, result)

        await guarded(interaction, run)

    @app_commands.command(name="resume", description=key_str("cmd.resume"))
    async def resume(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            result = await services_of(interaction).lifecycle.resume(account(interaction.user))
            await reply(interaction, result)

        await guarded(interaction, run)

    @app_commands.command(name="leave", description=key_str("cmd.leave"))
    async def leave(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            menu = await services_of(interaction).lifecycle.leave_menu(account(interaction.user))
            await reply(interaction, menu.message, view=leave_view(menu))

        await guarded(interaction, run)

    @app_commands.command(name="link", description=key_str("cmd.link"))
    @app_commands.describe(code=key_str("arg.code"))
    async def link(self, interaction: discord.Interaction[Any], code: str | None = None) -> None:
        async def run() -> None:
            service = services_of(interaction).lifecycle
            who = account(interaction.user)
            if not code:
                await reply(interaction, await service.link_code(who))
                return
            result = await service.link(who, code)
            view = None
            if result.linked:
                view = discord.ui.View(timeout=None)
                for choice in PREFERENCES:
                    view.add_item(PreferButton(choice))
            await reply(interaction, result.message, view=view)

        await guarded(interaction, run)

    @app_commands.command(name="unlink", description=key_str("cmd.unlink"))
    async def unlink(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            result = await services_of(interaction).lifecycle.unlink(account(interaction.user))
            await reply(interaction, result)

        await guarded(interaction, run)

    @app_commands.command(name="mydata", description=key_str("cmd.mydata"))
    async def mydata(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            export = await services_of(interaction).lifecycle.my_data(account(interaction.user))
            document = discord.File(io.BytesIO(export.content), filename=export.filename)
            await interaction.response.send_message(
                to_markdown(msg("mydata.caption")), file=document, ephemeral=True
            )

        await guarded(interaction, run)

    @app_commands.command(name="forgetme", description=key_str("cmd.forgetme"))
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


DYNAMIC_ITEMS = (ForgetButton, LeaveButton, PreferButton, ReconsentButton)

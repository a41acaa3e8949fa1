"""Discord: the coordinators' /coord commands, built from the core's table (bot/console.py).

Each entry becomes a slash command with its options, their descriptions and their choices; the
options go back to the core to be read, so both platforms accept and refuse the same things.
Every answer is ephemeral; the coordinator right is checked in the core on every use (the
commands are also hidden from members by default, which is not relied on).
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

import discord
from discord import app_commands

from bot import console
from bot.domain.errors import BotError
from bot.messages import Message, render
from bot.oversight import Page
from bot.sheets import MAX_BYTES, Sheet
from cogs import announcing, matching, oversight, review
from cogs.forms import RegistryForm
from cogs.render import actor, guarded, key_str, reply, services_of, to_markdown

OPTION_TYPES: Mapping[console.Kind, type] = {
    console.Kind.NUMBER: int,
    console.Kind.PENPAL: int,
    console.Kind.FILE: discord.Attachment,
}
"""How an argument is asked for; anything not named here is text."""


def coord_group() -> app_commands.Group:
    """`/coord` with a subcommand per entry of the table (two words make a subgroup)."""
    root = app_commands.Group(
        name="coord",
        description=key_str("cmd.coord"),
        # Hidden from members by default; the bot still checks the role itself on every use.
        default_permissions=discord.Permissions(manage_messages=True),
        guild_only=True,
    )
    groups: dict[str, app_commands.Group] = {}
    for command in console.COMMANDS:
        *outer, name = command.words
        parent = root
        for word in outer:
            if word not in groups:
                about = key_str(console.GROUPS[word])
                groups[word] = app_commands.Group(name=word, description=about, parent=root)
            parent = groups[word]
        parent.add_command(
            app_commands.Command(
                name=name, description=key_str(command.help), callback=_callback(command)
            )
        )
    return root


Callback = Callable[..., Coroutine[Any, Any, None]]


def _callback(command: console.Command) -> Callback:
    """A callback whose signature discord.py reads as the command's options."""

    async def callback(interaction: discord.Interaction[Any], **options: object) -> None:
        await _run(interaction, command, options)

    asked = [arg for arg in command.args if arg.kind is not console.Kind.FORM]
    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for arg in asked:
        kind: Any = OPTION_TYPES.get(arg.kind, str)
        parameters.append(
            inspect.Parameter(
                arg.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=kind | None if arg.optional else kind,
                default=None if arg.optional else inspect.Parameter.empty,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    described = app_commands.describe(**{arg.name: key_str(arg.help) for arg in asked})
    choices = {
        arg.name: [
            app_commands.Choice(name=key_str(arg.choice_label(value)), value=value)
            for value in arg.choices
        ]
        for arg in asked
        if arg.choices
    }
    typed_for: dict[console.Kind, Any] = {
        console.Kind.PENPAL: _penpal_choices,
        console.Kind.VOLUNTEER: _volunteer_choices,
    }
    found = {arg.name: typed_for[arg.kind] for arg in asked if arg.kind in typed_for}
    if found:
        callback = app_commands.autocomplete(**found)(callback)
    return app_commands.choices(**choices)(described(callback)) if choices else described(callback)


async def _penpal_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """A pen pal picked by typing her name or ID number (coordinators only; the core offers
    nobody to anyone else)."""
    who = actor(interaction, interaction.client.discord_config)
    found = await services_of(interaction).oversight.penpal_choices(who, current)
    return [app_commands.Choice(name=render(text)[:100], value=key) for key, text in found]


async def _volunteer_choices(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    """An active volunteer picked by typing her name or number, whichever platform she is on
    (coordinators only)."""
    who = actor(interaction, interaction.client.discord_config)
    found = await services_of(interaction).oversight.volunteer_choices(who, current)
    return [app_commands.Choice(name=render(text)[:100], value=key) for key, text in found]


async def _run(
    interaction: discord.Interaction[Any], command: console.Command, options: Mapping[str, object]
) -> None:
    async def run() -> None:
        who = actor(interaction, interaction.client.discord_config)
        console.authorize(who)
        picked = {  # a member picked (resolved, or only her id): the core takes her id
            name: str(value.id) if isinstance(value, discord.abc.User | discord.Object) else value
            for name, value in options.items()
        }
        for name, value in picked.items():  # an attached file: its bytes
            if isinstance(value, discord.Attachment):
                if value.size > MAX_BYTES:
                    raise BotError("sheet.too_big", max=MAX_BYTES // 1_000_000)
                picked[name] = await value.read()
        values = console.read_options(command, picked)
        if command.slow:
            await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await console.run(services_of(interaction), who, command, values)
        await show(interaction, outcome)

    await guarded(interaction, run)


async def show(interaction: discord.Interaction[Any], outcome: console.Outcome) -> None:
    """An outcome with the buttons it needs, for the coordinator's eyes only."""
    match outcome:
        case console.Proposals(answers):
            await matching.show_answers(interaction, answers)
        case console.Preview(message, draft):
            await reply(interaction, message, announcing.preview_view(draft))
        case Page():
            await reply(interaction, outcome.message, view=oversight.page_view(outcome))
        case console.FormWanted(kind):
            await interaction.response.send_modal(RegistryForm(kind))
        case Sheet():
            document = discord.File(io.BytesIO(outcome.content), filename=outcome.filename)
            await interaction.response.send_message(
                to_markdown(outcome.caption), file=document, ephemeral=True
            )
        case console.Actions(message, buttons):
            await reply(interaction, message, view=review.review_view(buttons))
        case Message():
            await reply(interaction, outcome)

"""Discord: coordinators' forms to add or edit a pen pal or a facility (ephemeral replies)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.messages import Message, msg
from cogs.render import actor, guarded, label, reply, services_of

PENPAL_FIELDS = ("committed_name", "preferred_name", "id_number", "facility", "languages")
FACILITY_FIELDS = ("name", "address", "jurisdiction", "mail_rules", "emessaging_service")
LONG = {"address", "mail_rules"}
REQUIRED = {"committed_name", "id_number", "facility", "languages", "name", "address"}


class RegistryForm(discord.ui.Modal):
    """Five fields (Discord's limit); the same checks as a spreadsheet row on submit."""

    def __init__(self, kind: str) -> None:
        super().__init__(title=label(msg(f"form.{kind}_title"))[:45])
        self.kind = kind
        self.fields: dict[str, discord.ui.TextInput[RegistryForm]] = {}
        for name in PENPAL_FIELDS if kind == "penpal" else FACILITY_FIELDS:
            field: discord.ui.TextInput[RegistryForm] = discord.ui.TextInput(
                label=label(msg(f"form.{name}"))[:45],
                custom_id=f"registry-{name}",
                required=name in REQUIRED,
                style=discord.TextStyle.paragraph if name in LONG else discord.TextStyle.short,
                max_length=2000 if name in LONG else 120,
            )
            self.fields[name] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            # The right is checked again on submit: the form could outlive a role change.
            who = actor(interaction, interaction.client.discord_config)
            cells = {name: field.value or "" for name, field in self.fields.items()}
            registry = services_of(interaction).registry
            result: Message
            if self.kind == "penpal":
                result = await registry.save_penpal(who, cells)
            else:
                lines = [line.strip() for line in cells.pop("address").splitlines() if line.strip()]
                for index in range(4):
                    cells[f"address_line_{index + 1}"] = lines[index] if index < len(lines) else ""
                result = await registry.save_facility(who, cells)
            await reply(interaction, result)

        await guarded(interaction, run)


PICKABLE = 25
"""Facilities offered as a list in the transfer form (a Discord menu holds 25 at most); with
more, the facility is typed (its name, checked as /coord transfer checks it)."""


class TransferForm(discord.ui.Modal):
    """She moved: her new ID number and facility (picked from the list of facilities, or typed
    when there are too many to list), checked as `/coord transfer` checks them."""

    def __init__(self, penpal_id: int, facilities: Sequence[str] = ()) -> None:
        super().__init__(title=label(msg("form.transfer_title"))[:45])
        self.penpal_id = penpal_id
        self.id_number: discord.ui.TextInput[TransferForm] = discord.ui.TextInput(
            label=label(msg("form.transfer_id_number"))[:45],
            custom_id="transfer-id-number",
            max_length=30,
        )
        self.add_item(self.id_number)
        named = [name for name in facilities if name.strip()][: PICKABLE + 1]
        self.picked: discord.ui.Select[TransferForm] | None = None
        self.typed: discord.ui.TextInput[TransferForm] | None = None
        if 0 < len(named) <= PICKABLE:
            self.picked = discord.ui.Select(
                custom_id="transfer-facility-pick",
                options=[
                    discord.SelectOption(label=name[:100], value=name[:100]) for name in named
                ],
            )
            title = label(msg("form.transfer_facility_pick"))[:45]
            self.add_item(discord.ui.Label(text=title, component=self.picked))
        else:
            self.typed = discord.ui.TextInput(
                label=label(msg("form.transfer_facility"))[:45],
                custom_id="transfer-facility",
                max_length=120,
            )
            self.add_item(self.typed)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            # The right is checked again on submit: the form could outlive a role change.
            who = actor(interaction, interaction.client.discord_config)
            if self.picked is not None:
                facility = self.picked.values[0] if self.picked.values else ""
            else:
                facility = self.typed.value if self.typed is not None else ""
            result = await services_of(interaction).custody.transfer(
                self.penpal_id, self.id_number.value or "", facility or "", who
            )
            await reply(interaction, result)

        await guarded(interaction, run)


class ReviewNoteForm(discord.ui.Modal):
    """Keep a letter at the program (`rh`) or give it back for a rewrite (`rr`): the note her
    volunteer reads."""

    def __init__(self, action: str, letter_id: int) -> None:
        kind = "hold" if action == "rh" else "return"
        super().__init__(title=label(msg(f"form.review_{kind}_title", letter=letter_id))[:45])
        self.action, self.letter_id = action, letter_id
        self.note: discord.ui.TextInput[ReviewNoteForm] = discord.ui.TextInput(
            label=label(msg("form.review_note"))[:45],
            custom_id="review-note",
            style=discord.TextStyle.paragraph,
            max_length=500,
        )
        self.add_item(self.note)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            # The right is checked again in the core: the form could outlive a role change.
            who = actor(interaction, interaction.client.discord_config)
            forwarding = services_of(interaction).forwarding
            note = self.note.value or ""
            if self.action == "rh":
                result = await forwarding.hold(who, self.letter_id, note)
            else:
                result = await forwarding.give_back(who, self.letter_id, note)
            await reply(interaction, result)

        await guarded(interaction, run)

"""Discord: /language, a button per language the program speaks (the answer comes in the
language chosen); and the translator that gives slash commands their descriptions in the
member's language (command names stay as they are, so that /signup is /signup everywhere)."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.messages import LANGUAGE, Message, msg, render
from bot.messages.translations import LANGUAGES, language_of
from cogs.render import account, guarded, key_str, reply, services_of


class LanguageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:lang:(?P<code>[a-z]{2,3})",
):
    """One language to choose; works after a restart, for whoever presses it (her own)."""

    def __init__(self, code: str, name: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=(name or code)[:80],
                style=discord.ButtonStyle.secondary,
                custom_id=f"penpal:lang:{code}",
            )
        )
        self.code = code

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> LanguageButton:
        return cls(match["code"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            locales = services_of(interaction).locales
            told = await locales.choose(account(interaction.user), self.code)
            LANGUAGE.set(self.code)
            await reply(interaction, told, edit=True)

        await guarded(interaction, run)


class LanguageCog(commands.Cog):
    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @app_commands.command(name="language", description=key_str("cmd.language"))
    async def language(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            view = discord.ui.View(timeout=None)
            for code, name in services_of(interaction).locales.offered():
                view.add_item(LanguageButton(code, render(name)))
            await reply(interaction, msg("language.ask"), view)

        await guarded(interaction, run)


class CatalogueTranslator(app_commands.Translator):
    """Slash command descriptions in the member's language, from the catalogue."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        language = language_of(locale.value, LANGUAGES)
        if not key or language is None or language == "en":
            return None
        return render(Message(key), language=language)[:100] or None


DYNAMIC_ITEMS = (LanguageButton,)

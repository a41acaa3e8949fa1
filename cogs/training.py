"""Discord: the program's training quiz, one question at a time with a button per answer
(after sign-up, and again with /quiz). Answers are ephemeral."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.messages import LANGUAGE, Message
from bot.training import QuizStep
from cogs.render import account, guarded, key_str, label, reply, services_of


class QuizButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:quiz:(?P<question>[0-9]{1,2}):(?P<choice>[0-9])",
):
    """One answer to one question. Works after a restart (the core checks it is the question
    she is at)."""

    def __init__(self, question: int, choice: int, text: str = "-") -> None:
        super().__init__(
            discord.ui.Button(
                label=text[:80] or "-",
                style=discord.ButtonStyle.secondary,
                custom_id=f"penpal:quiz:{question}:{choice}",
            )
        )
        self.question, self.choice = question, choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> QuizButton:
        return cls(int(match["question"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            step = await services_of(interaction).quiz.answer(
                account(interaction.user), self.question, self.choice
            )
            await show(interaction, step, edit=True)

        await guarded(interaction, run)


def quiz_view(step: QuizStep) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for n, choice in enumerate(step.choices):
        view.add_item(QuizButton(step.question, n, label(choice)))
    return view


async def show(
    interaction: discord.Interaction[Any], step: QuizStep | Message, edit: bool = False
) -> None:
    if isinstance(step, QuizStep):
        await reply(interaction, step.message, view=quiz_view(step), edit=edit)
    else:
        await reply(interaction, step, edit=edit)


async def start(interaction: discord.Interaction[Any]) -> None:
    """The quiz's first question (after sign-up, or /quiz)."""
    quiz = services_of(interaction).quiz
    await show(interaction, await quiz.start(account(interaction.user), LANGUAGE.get()))


class QuizCog(commands.Cog):
    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @app_commands.command(name="quiz", description=key_str("cmd.quiz"))
    async def quiz(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, lambda: start(interaction))


DYNAMIC_ITEMS = (QuizButton,)

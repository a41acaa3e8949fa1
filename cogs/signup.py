"""Discord: /signup (a form in a modal, then menus and buttons), /me and /help; all ephemeral."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.models import Platform
from bot.messages import LANGUAGE, msg
from bot.questions import MAX_NAME, MAX_PEN_NAME, MAX_PRONOUNS, TEXT_QUESTIONS, Prompt, Question
from bot.signup import Step
from cogs import training
from cogs.render import (
    account,
    actor,
    guarded,
    key_str,
    label,
    reply,
    services_of,
    to_markdown,
)

_LIMITS = {Question.NAME: MAX_NAME, Question.PRONOUNS: MAX_PRONOUNS}


class SignupForm(discord.ui.Modal):
    """The typed questions (at most five fit in one Discord modal)."""

    def __init__(self, defaults: dict[Question, str]) -> None:
        super().__init__(title=label(msg("signup.modal_title"))[:45])
        self.inputs: dict[Question, discord.ui.TextInput[SignupForm]] = {}
        for question in TEXT_QUESTIONS:
            text_input: discord.ui.TextInput[SignupForm] = discord.ui.TextInput(
                label=label(msg(f"field.{question.value}"))[:45],
                custom_id=f"signup-{question.value}",
                default=defaults.get(question, "")[:300] or None,
                required=question is not Question.PRONOUNS,
                max_length=_LIMITS.get(question, 300),
                style=discord.TextStyle.short,
            )
            self.inputs[question] = text_input
            self.add_item(text_input)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            answers = {q: field.value or "" for q, field in self.inputs.items()}
            step = await services_of(interaction).signup.answer_many(
                account(interaction.user), answers
            )
            await show_step(interaction, step)

        await guarded(interaction, run)


class FormButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"penpal:signup:form"):
    """Re-opens the sign-up form (after a problem, or when coming back to it)."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.continue")),
                style=discord.ButtonStyle.primary,
                custom_id="penpal:signup:form",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FormButton:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, lambda: open_form(interaction))


class AnswerSelect(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"penpal:signup:answer:(?P<question>capacity|frequency|kinds|woman|timezone)",
):
    """A menu answering a choice question (kinds of letters, woman writer, how many, how
    often, and which place when a time zone could be several)."""

    def __init__(self, prompt: Prompt | None = None, question: str = "capacity") -> None:
        name = prompt.question.value if prompt else question
        options = [
            discord.SelectOption(label=label(c.label), value=c.value)
            for c in (prompt.choices if prompt else ())
        ] or [discord.SelectOption(label="-", value="-")]
        multi = prompt is not None and prompt.multi
        super().__init__(
            discord.ui.Select(
                custom_id=f"penpal:signup:answer:{name}",
                options=options,
                placeholder=label(prompt.text) if prompt else None,
                min_values=0 if multi else 1,
                max_values=len(options) if multi else 1,
            )
        )
        self.question = Question(name)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnswerSelect:
        return cls(question=match["question"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            step = await services_of(interaction).signup.answer(
                account(interaction.user), self.question, ", ".join(self.item.values)
            )
            await show_step(interaction, step, edit=True)

        await guarded(interaction, run)


class ConsentButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:signup:(?P<choice>agree|cancel)",
):
    """'I agree' finishes the sign-up; 'Cancel' drops it."""

    def __init__(self, choice: str) -> None:
        agree = choice == "agree"
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.agree" if agree else "button.cancel")),
                style=discord.ButtonStyle.success if agree else discord.ButtonStyle.secondary,
                custom_id=f"penpal:signup:{choice}",
            )
        )
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConsentButton:
        return cls(match["choice"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            signup = services_of(interaction).signup
            who = account(interaction.user)
            if self.choice == "cancel":
                dropped = await signup.cancel(who)
                done = msg("signup.cancelled" if dropped else "signup.nothing_to_cancel")
            else:
                outcome = await signup.agree(who, LANGUAGE.get())
                done = outcome.message
                if outcome.quiz:  # the program's quiz comes before the coordinators see her
                    await reply(interaction, done, edit=True)
                    await training.start(interaction)
                    return
            await reply(interaction, done, edit=True)

        await guarded(interaction, run)


class NoneButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"penpal:signup:none:(?P<question>kinds|pen_name)",
):
    """ "None of these" under a menu that may be left empty (a menu cannot send nothing);
    "Sign with my name" for the pen name."""

    def __init__(self, question: str) -> None:
        shown = (
            "button.use_my_name" if question == Question.PEN_NAME.value else "button.none_of_these"
        )
        super().__init__(
            discord.ui.Button(
                label=label(msg(shown)),
                style=discord.ButtonStyle.secondary,
                custom_id=f"penpal:signup:none:{question}",
            )
        )
        self.question = Question(question)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NoneButton:
        return cls(match["question"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            step = await services_of(interaction).signup.answer(
                account(interaction.user), self.question, ""
            )
            await show_step(interaction, step, edit=True)

        await guarded(interaction, run)


class PenNameForm(discord.ui.Modal):
    """Forwarding programs: the name she signs her letters with."""

    def __init__(self, default: str) -> None:
        super().__init__(title=label(msg("form.pen_name_title"))[:45])
        self.pen_name: discord.ui.TextInput[PenNameForm] = discord.ui.TextInput(
            label=label(msg("field.pen_name"))[:45],
            custom_id="signup-pen_name",
            default=default[:MAX_PEN_NAME] or None,
            max_length=MAX_PEN_NAME,
        )
        self.add_item(self.pen_name)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            step = await services_of(interaction).signup.answer(
                account(interaction.user), Question.PEN_NAME, self.pen_name.value or ""
            )
            await show_step(interaction, step)

        await guarded(interaction, run)


class PenNameButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"penpal:signup:pen_name"
):
    """Opens the pen name form."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label=label(msg("button.choose_pen_name")),
                style=discord.ButtonStyle.primary,
                custom_id="penpal:signup:pen_name",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PenNameButton:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            signup = services_of(interaction).signup
            known = await signup.defaults(account(interaction.user))
            await interaction.response.send_modal(PenNameForm(known.get(Question.PEN_NAME, "")))

        await guarded(interaction, run)


DYNAMIC_ITEMS = (FormButton, AnswerSelect, ConsentButton, NoneButton, PenNameButton)


def prompt_view(prompt: Prompt) -> discord.ui.View:
    """The components that ask a prompt: the form button, a menu, or the consent buttons."""
    view = discord.ui.View(timeout=None)
    if prompt.question is Question.TIMEZONE and prompt.choices:
        view.add_item(AnswerSelect(prompt))  # which place; or the form, to type another
        view.add_item(FormButton())
    elif prompt.question in TEXT_QUESTIONS:
        view.add_item(FormButton())
    elif prompt.question is Question.PEN_NAME:
        view.add_item(PenNameButton())
        view.add_item(NoneButton(Question.PEN_NAME.value))
    elif prompt.question is Question.CONSENT:
        view.add_item(ConsentButton("agree"))
    else:
        view.add_item(AnswerSelect(prompt))
        if prompt.multi and prompt.optional:
            view.add_item(NoneButton(prompt.question.value))
    view.add_item(ConsentButton("cancel"))
    return view


async def open_form(interaction: discord.Interaction[Any]) -> None:
    """Show the sign-up form, prefilled with what is known."""
    signup = services_of(interaction).signup
    who = account(interaction.user)
    await signup.start(who)
    await interaction.response.send_modal(SignupForm(await signup.defaults(who)))


async def show_step(interaction: discord.Interaction[Any], step: Step, edit: bool = False) -> None:
    """Show notes, problems and the next question, privately."""
    parts = [to_markdown(n) for n in step.notes]
    if step.problems:
        parts.append(to_markdown(msg("signup.fix_these", problems=list(step.problems))))
    view = None
    if step.prompt is not None:
        parts.append(to_markdown(step.prompt.text))
        view = prompt_view(step.prompt)
    await reply(interaction, "\n\n".join(parts), view=view, edit=edit)


class SignupCog(commands.Cog):
    """Volunteer sign-up and profile commands."""

    def __init__(self, client: commands.Bot) -> None:
        self.client = client

    @app_commands.command(name="signup", description=key_str("cmd.signup"))
    async def signup(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            signup = services_of(interaction).signup
            who = account(interaction.user)
            _, prompt = await signup.start(who)
            if prompt.question in TEXT_QUESTIONS:
                await interaction.response.send_modal(SignupForm(await signup.defaults(who)))
            else:
                await show_step(interaction, Step(prompt))

        await guarded(interaction, run)

    @app_commands.command(name="me", description=key_str("cmd.me"))
    async def me(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            profile = await services_of(interaction).volunteers.profile(account(interaction.user))
            await reply(interaction, profile)

        await guarded(interaction, run)

    @app_commands.command(name="help", description=key_str("cmd.help"))
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        async def run() -> None:
            services = services_of(interaction)
            coordinator = actor(interaction, interaction.client.discord_config).is_coordinator
            listed = services.commands(Platform.DISCORD, coordinator)
            await reply(interaction, msg("welcome", intro=services.introduction(), commands=listed))

        await guarded(interaction, run)

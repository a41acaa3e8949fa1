"""The discord.py client: cogs, persistent components, command sync, and the outbox sender."""

from __future__ import annotations

import logging
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.app.config import DiscordConfig
from bot.domain.errors import BotError
from bot.domain.models import Button, OutboundMessage, SentPart, TargetKind
from bot.messages import Message, params_from_json
from bot.outbox import PermanentSendError, RateLimited
from bot.services import Services
from cogs import alerts, review
from cogs.announcing import BroadcastButton
from cogs.browse import BrowseButton, BrowseCog
from cogs.circles import DYNAMIC_ITEMS as CIRCLE_ITEMS
from cogs.circles import CircleCog
from cogs.circles import outbox_buttons as circle_buttons
from cogs.concerns import DYNAMIC_ITEMS as CONCERN_ITEMS
from cogs.concerns import ConcernCog
from cogs.console import coord_group
from cogs.letters import DYNAMIC_ITEMS as LETTER_ITEMS
from cogs.letters import LettersCog, outbox_buttons
from cogs.lifecycle import DYNAMIC_ITEMS as LIFECYCLE_ITEMS
from cogs.lifecycle import LifecycleCog
from cogs.lifecycle import outbox_buttons as lifecycle_buttons
from cogs.locales import DYNAMIC_ITEMS as LANGUAGE_ITEMS
from cogs.locales import CatalogueTranslator, LanguageCog
from cogs.matching import MatchDecision, MatchingCog
from cogs.oversight import DYNAMIC_ITEMS as OVERSIGHT_ITEMS
from cogs.render import guarded, label, pieces, to_markdown
from cogs.signup import DYNAMIC_ITEMS, SignupCog
from cogs.training import DYNAMIC_ITEMS as QUIZ_ITEMS
from cogs.training import QuizCog
from cogs.volunteers import DecisionButton

log = logging.getLogger(__name__)


def point_at(api_base_url: str, gateway_url: str) -> None:
    """Use another REST root and gateway (a proxy or the sandbox): discord.py has no option."""
    discord.http.Route.BASE = api_base_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class PenpalTree(app_commands.CommandTree["PenpalClient"]):
    """The command tree; an interaction it cannot match to a command (a Discord app that still
    shows the command list of before an upgrade, or options that do not fit) gets a short answer
    instead of "the application did not respond", and a WARNING instead of an ERROR."""

    async def on_error(
        self, interaction: discord.Interaction[PenpalClient], error: app_commands.AppCommandError
    ) -> None:
        stale = isinstance(
            error,
            app_commands.CommandSignatureMismatch
            | app_commands.CommandNotFound
            | app_commands.TransformerError,
        )
        log.warning(
            "Discord command %s could not run: %s",
            getattr(interaction.command, "qualified_name", "?"),
            type(error).__name__,
        )
        if interaction.type is discord.InteractionType.autocomplete:
            if not interaction.response.is_done():
                await interaction.response.autocomplete([])
            return

        async def answer() -> None:
            raise BotError("error.stale_command" if stale else "error.unexpected")

        await guarded(interaction, answer)


class PenpalClient(commands.Bot):
    """The bot on Discord. No message content intent: only slash commands and components."""

    def __init__(
        self, cfg: DiscordConfig, services: Services, guild_ready_timeout: float = 2.0
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            help_command=None,
            # discord.py waits out a 429 itself; a longer wait is handed back (as RateLimited)
            # so that the outbox pauses only Discord and Telegram goes on meanwhile.
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            tree_cls=PenpalTree,
        )
        self.discord_config = cfg
        self.services = services

    async def setup_hook(self) -> None:
        await self.add_cog(SignupCog(self))
        await self.add_cog(MatchingCog(self))
        await self.add_cog(BrowseCog(self))
        await self.add_cog(CircleCog(self))
        await self.add_cog(LettersCog(self))
        await self.add_cog(LifecycleCog(self))
        await self.add_cog(ConcernCog(self))
        await self.add_cog(LanguageCog(self))
        if self.services.quiz.enabled:  # /quiz only where the program has one
            await self.add_cog(QuizCog(self))
        self.tree.add_command(coord_group())
        self.add_dynamic_items(
            *DYNAMIC_ITEMS,
            *LETTER_ITEMS,
            *LIFECYCLE_ITEMS,
            *CONCERN_ITEMS,
            *OVERSIGHT_ITEMS,
            *alerts.DYNAMIC_ITEMS,
            *review.DYNAMIC_ITEMS,
            *CIRCLE_ITEMS,
            *QUIZ_ITEMS,
            DecisionButton,
            MatchDecision,
            BrowseButton,
            BroadcastButton,
            *LANGUAGE_ITEMS,
        )
        await self.tree.set_translator(CatalogueTranslator())
        for guild_id in self.discord_config.guild_ids:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        log.info("Discord commands synced to %d guild(s)", len(self.discord_config.guild_ids))


async def holds_coordinator_role(client: discord.Client, cfg: DiscordConfig, user_id: str) -> bool:
    """Whether this member holds a coordinator role now, in one of the program's servers (asked
    of Discord: the workspace checks it on every request, so a role removed ends her sessions)."""
    if not user_id.isdigit():
        return False
    for guild_id in cfg.guild_ids:
        guild = client.get_guild(guild_id)
        if guild is None:
            continue
        try:
            member = await guild.fetch_member(int(user_id))
        except discord.NotFound:
            continue
        if {role.id for role in member.roles} & set(cfg.coordinator_role_ids):
            return True
    return False


MAX_RATELIMIT_WAIT = 30.0
"""The longest 429 wait discord.py sits out inside a request (30 s is its smallest setting)."""


def outbox_view(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """Components for an outbound message's buttons (only the ones this adapter knows)."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        item: discord.ui.Item[Any] | None
        if button.action in ("approve", "reject"):
            item = DecisionButton(button.action, int(button.arg))
        elif button.action in ("mc", "mk"):
            verdict = "confirm" if button.action == "mc" else "skip"
            item = MatchDecision(verdict, int(button.arg))
        else:
            item = outbox_buttons(button.action, button.arg)
            item = item or alerts.outbox_buttons(button.action, button.arg)
            item = item or lifecycle_buttons(button.action, button.arg)
            item = item or review.outbox_buttons(button.action, button.arg)
            item = item or circle_buttons(button.action, button.arg)
        if item is None:
            continue
        shown = item.item if isinstance(item, discord.ui.DynamicItem) else item
        if isinstance(shown, discord.ui.Button):  # the label the core chose for it
            shown.label = label(Message(button.label_key))
        view.add_item(item)
    return view


DMS_CLOSED = 50007
"""Discord's error code for "Cannot send messages to this user" (DMs closed or bot blocked)."""


class DiscordSender:
    """Sends outbox rows; private content only ever goes to a direct message. When her DMs are
    closed, a reminder becomes a mention in the reminders channel that says only that."""

    def __init__(self, client: discord.Client, reminders_channel_id: int = 0) -> None:
        self.client = client
        self.reminders_channel_id = reminders_channel_id

    async def send(self, message: OutboundMessage) -> tuple[SentPart, ...]:
        text = to_markdown(Message(message.message_key, params_from_json(message.params)))
        *parts, last = pieces(text)
        view = outbox_view(message.buttons)
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        try:
            if message.edit:
                for part in message.edit:  # view=None: the buttons go
                    where = self.client.get_partial_messageable(int(part.chat_id))
                    await where.get_partial_message(int(part.message_id)).edit(
                        content=last, view=None
                    )
                return message.edit
            if message.target_kind is TargetKind.USER:
                channel: Any = await self.client.create_dm(discord.Object(int(message.target_id)))
            else:
                if message.private:
                    raise PermanentSendError("private content may only go to a direct message")
                channel = self.client.get_channel(int(message.target_id))
                if channel is None:
                    channel = await self.client.fetch_channel(int(message.target_id))
            sent = [await channel.send(part) for part in parts]  # its buttons under the last
            sent.append(await channel.send(last, **extra))
        except discord.RateLimited as exc:
            raise RateLimited(exc.retry_after) from exc
        except (discord.Forbidden, discord.NotFound) as exc:
            dms_closed = exc.code == DMS_CLOSED and message.target_kind is TargetKind.USER
            if dms_closed and message.is_reminder:
                try:
                    await self._tell_in_channel(int(message.target_id))
                except discord.HTTPException:
                    log.warning("could not post the closed-DMs notice in the reminders channel")
            raise PermanentSendError(f"Discord refused the message ({exc.code})") from exc
        return tuple(SentPart(str(m.channel.id), str(m.id)) for m in sent)

    async def _tell_in_channel(self, user_id: int) -> None:
        """A mention that pings her, with no personal data at all."""
        if not self.reminders_channel_id:
            return
        channel: Any = self.client.get_channel(self.reminders_channel_id)
        if channel is None:
            channel = await self.client.fetch_channel(self.reminders_channel_id)
        text = f"<@{user_id}> " + to_markdown(Message("reminder.dms_closed", {}))
        await channel.send(
            text, allowed_mentions=discord.AllowedMentions(users=[discord.Object(user_id)])
        )

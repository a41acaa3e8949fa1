"""The services an adapter may call, bundled so adapters get one object."""

from __future__ import annotations

from dataclasses import dataclass

from bot.addresses import AddressService
from bot.announcing import AnnouncementService
from bot.browse import BrowseService
from bot.circles import CircleService
from bot.concerns import ConcernService
from bot.consents import ConsentService
from bot.custody import CustodyService
from bot.domain.clock import Clock
from bot.domain.models import Platform
from bot.flood import FloodGuard
from bot.forwarding import ForwardingService
from bot.letters import LetterService
from bot.lifecycle import LifecycleService
from bot.locales import LocaleService
from bot.matching.service import MatchService
from bot.messages import Message, msg
from bot.outbox import OutboxDispatcher
from bot.oversight import OversightService
from bot.registry import RegistryService
from bot.releases import ReleaseService
from bot.reminders.sweep import ReminderService
from bot.sheets import SheetService
from bot.signup import SignupService
from bot.training import QuizService
from bot.volunteers import VolunteerService
from bot.workspace import WorkspaceService


@dataclass(frozen=True)
class Services:
    """Everything the adapters talk to; built by the composition root."""

    signup: SignupService
    quiz: QuizService
    volunteers: VolunteerService
    matches: MatchService
    custody: CustodyService
    registry: RegistryService
    browse: BrowseService
    letters: LetterService
    forwarding: ForwardingService
    circles: CircleService
    reminders: ReminderService
    announcements: AnnouncementService
    lifecycle: LifecycleService
    concerns: ConcernService
    addresses: AddressService
    releases: ReleaseService
    consents: ConsentService
    oversight: OversightService
    workspace: WorkspaceService
    sheets: SheetService
    locales: LocaleService
    flood: FloodGuard
    outbox: OutboxDispatcher
    clock: Clock
    program_name: str
    welcome: object = None
    """The program's own welcome per language (`ByLanguage`), or None for the bot's words."""

    def commands(self, platform: Platform, coordinator: bool) -> Message:
        """The list of commands for /help and /start on a platform; a coordinator is also
        told where hers are."""
        listed = msg(f"commands.{platform.value}")
        return msg("commands.coordinator", commands=listed) if coordinator else listed

    def introduction(self) -> Message:
        """The first lines of /start: the program's welcome, else the bot's own."""
        own = msg("welcome.intro", program=self.program_name)
        return msg("literal", text=self.welcome) if self.welcome is not None else own

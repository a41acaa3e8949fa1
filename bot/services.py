"""The services an adapter may call, bundled so adapters get one object."""

from __future__ import annotations

from dataclasses import dataclass

from bot.announcing import AnnouncementService
from bot.browse import BrowseService
from bot.concerns import ConcernService
from bot.custody import CustodyService
from bot.domain.clock import Clock
from bot.flood import FloodGuard
from bot.letters import LetterService
from bot.lifecycle import LifecycleService
from bot.locales import LocaleService
from bot.matching.service import MatchService
from bot.outbox import OutboxDispatcher
from bot.oversight import OversightService
from bot.registry import RegistryService
from bot.reminders.sweep import ReminderService
from bot.signup import SignupService
from bot.volunteers import VolunteerService


@dataclass(frozen=True)
class Services:
    """Everything the adapters talk to; built by the composition root."""

    signup: SignupService
    volunteers: VolunteerService
    matches: MatchService
    custody: CustodyService
    registry: RegistryService
    browse: BrowseService
    letters: LetterService
    reminders: ReminderService
    announcements: AnnouncementService
    lifecycle: LifecycleService
    concerns: ConcernService
    oversight: OversightService
    locales: LocaleService
    flood: FloodGuard
    outbox: OutboxDispatcher
    clock: Clock
    program_name: str

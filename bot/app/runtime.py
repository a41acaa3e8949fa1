"""The composition root: builds storage, services, the scheduler and both platform adapters."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.addresses import AddressService
from bot.announcing import AnnouncementService
from bot.app.config import DISCORD_TOKEN_ENV, TELEGRAM_TOKEN_ENV, Config, ProgramConfig
from bot.app.health import Monitor
from bot.app.logs import quiet_payload_loggers
from bot.browse import BrowseService
from bot.circles import CircleService
from bot.concerns import ConcernService
from bot.consents import ConsentService
from bot.custody import CustodyService
from bot.domain.clock import Clock, SystemClock
from bot.domain.models import Destination, Platform, Schedule, TargetKind
from bot.flood import FloodGuard
from bot.forwarding import ForwardingService
from bot.letters import LetterService
from bot.lifecycle import LifecycleService
from bot.locales import LocaleService
from bot.matching.service import MatchService, ReturnAddress
from bot.matching.solver import ChildProcessSolver
from bot.messages import msg
from bot.messages.forms import ByLanguage
from bot.outbox import OutboxDispatcher, Sender
from bot.oversight import OversightService
from bot.questions import Guidelines
from bot.registry import RegistryService
from bot.releases import ReleaseService
from bot.reminders.sweep import ReminderService
from bot.services import Services
from bot.sheets import SheetService
from bot.signup import SignupService
from bot.training import Quiz, QuizService, split_quiz
from bot.volunteers import VolunteerService
from bot.workspace import WorkspaceService
from sandbox.clock import FileClock
from storage.backups import prune, take_backup
from storage.database import Database, RunnerLock
from storage.health import beat
from storage.repos import SqliteUnitOfWork

log = logging.getLogger(__name__)


class NoTokenError(Exception):
    """Neither platform token is set."""


@dataclass(frozen=True)
class Tokens:
    """The platform tokens, read from the environment only."""

    discord: str = ""
    telegram: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Tokens:
        return cls(
            discord=env.get(DISCORD_TOKEN_ENV, "").strip(),
            telegram=env.get(TELEGRAM_TOKEN_ENV, "").strip(),
        )


def coordinator_destinations(config: Config, tokens: Tokens) -> tuple[Destination, ...]:
    """Where coordinators are told about new sign-ups, on the platforms that are running."""
    found: list[Destination] = []
    if tokens.telegram:
        found += [
            Destination(Platform.TELEGRAM, TargetKind.USER, str(uid))
            for uid in config.telegram.coordinator_ids
        ]
    if tokens.discord and config.discord.coordinator_channel_id:
        found.append(
            Destination(
                Platform.DISCORD, TargetKind.CHANNEL, str(config.discord.coordinator_channel_id)
            )
        )
    return tuple(found)


def program_guidelines(program: ProgramConfig) -> Guidelines | None:
    """The guidelines the program wrote (per language, without their quiz), versioned by
    their whole text (a changed quiz is a new version too)."""
    texts = program.written(program.guidelines_file)
    if not texts:
        return None
    digest = hashlib.sha256(repr(texts).encode()).hexdigest()[:8]
    fallback = msg("signup.guidelines")
    read = tuple((language, split_quiz(text)[0]) for language, text in texts)
    return Guidelines(ByLanguage(read, fallback), f"program-{digest}")


def program_quizzes(program: ProgramConfig) -> dict[str, Quiz]:
    """The training quiz at the end of the guidelines, per language (empty: none)."""
    found = {}
    for language, text in program.written(program.guidelines_file):
        quiz = split_quiz(text)[1]
        if quiz is not None:
            found[language] = quiz
    return found


def program_texts(program: ProgramConfig, pattern: str, fallback: str) -> ByLanguage | None:
    """A text the program wrote per language (`pattern`), the catalogue's `fallback` else."""
    texts = program.written(pattern)
    return ByLanguage(texts, msg(fallback)) if texts else None


def program_welcome(program: ProgramConfig) -> ByLanguage | None:
    texts = program.written(program.welcome_file)
    if not texts:
        return None
    return ByLanguage(texts, msg("welcome.intro", program=program.name))


def schedule_trigger(schedule: Schedule) -> CronTrigger:
    """Fires at the schedule's local time in its own time zone, across DST changes."""
    hour, minute = (int(part) for part in schedule.at_time.split(":"))
    return CronTrigger(
        day_of_week=schedule.day_of_week,
        hour=hour,
        minute=minute,
        timezone=ZoneInfo(schedule.timezone),
    )


@dataclass
class App:
    """One process: the database, the scheduler, and Discord and/or Telegram."""

    config: Config
    tokens: Tokens
    clock: Clock = field(default_factory=SystemClock)
    db: Database | None = None
    services: Services | None = None
    telegram: Any = None
    discord: Any = None
    scheduler: AsyncIOScheduler | None = None
    discord_ready_timeout: float = 2.0
    stop_timeout: float = 10.0
    _discord_task: asyncio.Task[None] | None = None
    _senders: dict[Platform, Sender] = field(default_factory=dict)
    _sandbox_time: datetime | None = None
    _runner: RunnerLock | None = None
    _jobs: set[asyncio.Task[Any]] = field(default_factory=set)
    monitor: Monitor | None = None
    workspace: Any = None
    """The coordinators' web workspace (`web.server.Workspace`) when [web] listen is set."""
    _preparing: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Open the database, start the platforms that have a token, then the scheduler."""
        if not (self.tokens.discord or self.tokens.telegram):
            raise NoTokenError()
        quiet_payload_loggers()
        self._runner = RunnerLock.take(self.config.storage.database)
        self.db = await Database.open(
            self.config.storage.database, self.config.storage.busy_timeout_ms
        )
        try:
            await self._start_parts(self.db)
        except BaseException:
            await self.stop()
            raise

    async def _prepare(self, matches: MatchService) -> None:
        try:
            await matches.prepare()
        except Exception as error:  # the next matching run compiles instead; nothing is lost
            log.warning("the matching engine could not be prepared at start: %s", error)

    async def _sweep(self) -> int:
        """The reminder job: breaks whose date has come end first, then the sweep."""
        assert self.services is not None and self.monitor is not None
        await self.services.lifecycle.resume_due()
        found = await self.services.reminders.sweep()
        await self.monitor.swept()
        return found

    async def _dispatch(self) -> int:
        """The outbox job (between the wake-ups of new messages)."""
        assert self.services is not None and self.monitor is not None
        sent = await self.services.outbox.run_once()
        await self.monitor.dispatched()
        return sent

    async def _start_parts(self, db: Database) -> None:
        def uow() -> SqliteUnitOfWork:
            return SqliteUnitOfWork(db)

        coordinators = coordinator_destinations(self.config, self.tokens)
        dispatcher = OutboxDispatcher(
            uow,
            self.clock,
            self._senders,
            coordinators=coordinators,
            catch_up=timedelta(hours=self.config.reminders.catch_up_hours),
            chat_gap={Platform.TELEGRAM: self.config.scheduler.telegram_chat_gap_ms / 1000},
            per_second={Platform.TELEGRAM: self.config.scheduler.telegram_per_second},
            default_language=self.config.program.default_language,
        )
        await dispatcher.recover()  # before anything can send (this process holds the lock)
        matching = self.config.matching
        solver = ChildProcessSolver(
            (sys.executable, "-m", "bot.app.matching_child", self.config.storage.database),
            matching.cache_path(self.config.storage.database),
            matching.timeout_seconds,
        )
        program = self.config.program
        policy = self.config.reminders.policy()
        sender = ReturnAddress(program.return_address, program.forwarding)
        matches = MatchService(
            uow,
            self.clock,
            outbox_written=dispatcher.wake,
            solver=solver,
            policy=policy,
            sender=sender,
        )
        forwarding = ForwardingService(
            uow,
            self.clock,
            policy,
            coordinators,
            outbox_written=dispatcher.wake,
            enabled=program.forwarding,
            review=program.forwarding and program.review_letters,
            zone=program.timezone,
        )
        guidelines = program_guidelines(program)
        registry = RegistryService(uow, self.clock)
        quiz = QuizService(
            uow,
            self.clock,
            program_quizzes(program),
            version=guidelines.version if guidelines else "",
            default_language=program.default_language,
            approval_required=program.approval_required,
            coordinators=coordinators,
            outbox_written=dispatcher.wake,
        )
        locales = LocaleService(uow, self.clock, program.languages, program.default_language)
        self.services = Services(
            signup=SignupService(
                uow,
                self.clock,
                approval_required=self.config.program.approval_required,
                coordinators=coordinators,
                outbox_written=dispatcher.wake,
                ask_woman_writer=self.config.program.writer_preferences,
                ask_pen_name=program.forwarding,
                guidelines=guidelines,
                quiz_version=quiz.version if quiz.enabled else None,
            ),
            quiz=quiz,
            volunteers=VolunteerService(uow, self.clock, outbox_written=dispatcher.wake),
            matches=matches,
            custody=CustodyService(
                uow, self.clock, outbox_written=dispatcher.wake, matching=matches, sender=sender
            ),
            registry=registry,
            sheets=SheetService(uow, self.clock, registry),
            browse=BrowseService(
                uow,
                self.clock,
                matches,
                enabled=program.matching in ("browse", "both"),
                approval_required=program.approval_required,
                coordinators=coordinators,
                outbox_written=dispatcher.wake,
            ),
            letters=LetterService(
                uow, self.clock, policy, outbox_written=dispatcher.wake, forwarding=forwarding
            ),
            forwarding=forwarding,
            circles=CircleService(
                uow,
                self.clock,
                policy,
                matches,
                coordinators,
                outbox_written=dispatcher.wake,
            ),
            reminders=ReminderService(
                uow, self.clock, policy, coordinators, outbox_written=dispatcher.wake
            ),
            announcements=AnnouncementService(
                uow,
                self.clock,
                policy,
                coordinators,
                outbox_written=dispatcher.wake,
                scheduled=self._add_schedule,
                program=program.name,
            ),
            lifecycle=LifecycleService(
                uow,
                self.clock,
                coordinators,
                outbox_written=dispatcher.wake,
                scrub=db.scrub,
                erased=locales.forget,
            ),
            concerns=ConcernService(uow, self.clock, coordinators, outbox_written=dispatcher.wake),
            addresses=AddressService(
                uow,
                self.clock,
                coordinators,
                outbox_written=dispatcher.wake,
                check_days=program.address_check_days,
                recheck_days=program.address_recheck_days,
            ),
            consents=ConsentService(
                uow,
                self.clock,
                coordinators,
                outbox_written=dispatcher.wake,
                guidelines=program_guidelines(program),
                reconsent_days=program.reconsent_days,
            ),
            releases=ReleaseService(
                uow,
                self.clock,
                coordinators,
                outbox_written=dispatcher.wake,
                notice_days=program.release_notice_days,
                policy=program.after_release,
                guidance=program_texts(program, program.after_release_file, "release.guidance"),
            ),
            oversight=OversightService(uow, self.clock, policy, quiz=quiz.enabled),
            workspace=WorkspaceService(
                uow,
                self.clock,
                policy,
                public_url=self.config.web.url,
                session_hours=self.config.web.session_hours,
                check_days=program.address_check_days,
                zone=program.timezone,
                still_coordinator=self._still_coordinator,
            ),
            locales=locales,
            flood=FloodGuard(self.config.scheduler.flood_limit),
            outbox=dispatcher,
            clock=self.clock,
            program_name=self.config.program.name,
            welcome=program_welcome(program),
        )
        self.monitor = Monitor(self.config, self.services, lambda name, at: beat(db, name, at))
        if self.config.web.listen:  # before the platforms: a link the bot sends opens at once
            from web.server import Workspace

            self.workspace = Workspace(
                self.services,
                self.config.program.name,
                secure_cookie=self.config.web.url.startswith("https://"),
            )
            await self.workspace.start(self.config.web.listen)
        if self.tokens.telegram:
            await self._start_telegram(self.services)
        if self.tokens.discord:
            await self._start_discord(self.services)
        self.scheduler = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
            timezone="UTC",
        )
        self.scheduler.add_job(
            self._tracked(self._dispatch),
            "interval",
            seconds=self.config.scheduler.dispatch_interval_seconds,
            id="outbox-dispatch",
        )
        self.scheduler.add_job(
            self._tracked(self._sweep),
            "interval",
            minutes=self.config.reminders.sweep_minutes or 15,
            id="reminder-sweep",
            next_run_time=datetime.now(UTC),  # after a restart, look at once
        )
        digest = time.fromisoformat(self.config.reminders.digest_time)
        self.scheduler.add_job(
            self._tracked(self._digest),
            CronTrigger(
                hour=digest.hour, minute=digest.minute, timezone=ZoneInfo(program.timezone)
            ),
            id="digest",
        )
        for schedule in await self.services.announcements.schedules():
            self._add_schedule(schedule)
        storage = self.config.storage
        if storage.backup_dir:
            at = time.fromisoformat(storage.backup_time)
            self.scheduler.add_job(
                self._tracked(self.backup),
                CronTrigger(hour=at.hour, minute=at.minute, timezone=ZoneInfo(program.timezone)),
                id="backup",
            )
        # Once, in the background: compile the matching engine if this version never was. Not a
        # timed job: a stop does not wait for it (the child is stopped with it).
        self._preparing = asyncio.get_running_loop().create_task(self._prepare(matches))
        if isinstance(self.clock, FileClock):
            # Sandbox time moves in jumps: look at once after each jump, as the timed jobs
            # would have over those hours.
            self._sandbox_time = self.clock.now()
            self.scheduler.add_job(
                self._tracked(self._sandbox_tick), "interval", seconds=0.2, id="sandbox-tick"
            )
        self.scheduler.start()
        dispatcher.wake()  # anything left from before a restart goes out now
        await self.monitor.start(self._every)
        log.info("started: %s", ", ".join(p.value for p in self._senders))

    def _every(self, job: Callable[[], Any], seconds: float, job_id: str) -> None:
        assert self.scheduler is not None
        self.scheduler.add_job(job, "interval", seconds=seconds, id=job_id)

    def _tracked(self, job: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[None]]:
        """`job` as the scheduler runs it, remembered while it runs: a clean stop waits for
        the jobs under way instead of cancelling them (APScheduler's shutdown cancels them,
        and logs each as a failure)."""

        @functools.wraps(job)
        async def run(*args: Any) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._jobs.add(task)
            try:
                await job(*args)
            finally:
                self._jobs.discard(task)

        return run

    async def _sandbox_tick(self) -> None:
        """After the sandbox moved its clock: sweep, and the digest if its hour has passed."""
        now = self.clock.now()
        if now == self._sandbox_time:
            return
        self._sandbox_time = now
        await self._sweep()
        local = now.astimezone(ZoneInfo(self.config.program.timezone))
        if local.time() >= time.fromisoformat(self.config.reminders.digest_time):
            await self._digest()

    async def backup(self) -> Path:
        """The nightly backup: a copy into `[storage] backup_dir`, older ones pruned."""
        storage = self.config.storage
        folder = self._backup_folder()
        local = datetime.now()  # the machine's time, as a person reads the files' names
        copy = await take_backup(storage.database, folder, local)
        removed = await asyncio.to_thread(prune, folder, storage.backup_keep, local)
        log.info("backup written: %s (%d older removed)", copy.name, len(removed))
        return copy

    def _backup_folder(self) -> Path:
        return Path(self.config.storage.backup_dir).expanduser()

    async def _digest(self) -> None:
        assert self.services is not None
        local = self.clock.now().astimezone(ZoneInfo(self.config.program.timezone))
        await self.services.releases.daily()  # releases near, and those that have come
        await self.services.addresses.ask_again()  # "don't know yet" ran out: ask again
        await self.services.consents.check()  # changed guidelines: ask, remind, tell
        await self.services.announcements.digest(local.date().isoformat())  # counts the above

    def _add_schedule(self, schedule: Schedule) -> None:
        """A coordinator's recurring announcement as a cron job at its LOCAL time."""
        if self.scheduler is None or self.services is None:
            return
        self.scheduler.add_job(
            self._tracked(self.services.announcements.fire),
            schedule_trigger(schedule),
            args=[schedule.id],
            id=f"schedule-{schedule.id}",
            replace_existing=True,
        )

    async def _start_telegram(self, services: Services) -> None:
        from conversations.app import TelegramSender, build_application, set_command_menus

        application = build_application(self.tokens.telegram, self.config.telegram, services)
        self.telegram = application
        await application.initialize()
        program = self.config.program
        await set_command_menus(
            application.bot, program.languages, program.default_language, services.quiz.enabled
        )
        assert application.updater is not None
        await application.updater.start_polling(
            timeout=self.config.telegram.poll_timeout, allowed_updates=["message", "callback_query"]
        )
        await application.start()
        self._senders[Platform.TELEGRAM] = TelegramSender(application.bot)

    async def _still_coordinator(self, platform: Platform, user_id: str) -> bool:
        """Whether someone is a coordinator now, as her platform says (the workspace asks)."""
        if platform is Platform.TELEGRAM:
            return user_id.isdigit() and int(user_id) in self.config.telegram.coordinator_ids
        if platform is Platform.DISCORD and self.discord is not None:
            from cogs.client import holds_coordinator_role

            return await holds_coordinator_role(self.discord, self.config.discord, user_id)
        return False

    async def _start_discord(self, services: Services) -> None:
        from cogs.client import DiscordSender, PenpalClient, point_at

        point_at(self.config.discord.api_base_url, self.config.discord.gateway_url)
        client = PenpalClient(self.config.discord, services, self.discord_ready_timeout)
        self.discord = client
        await client.login(self.tokens.discord)
        self._discord_task = asyncio.create_task(client.connect(reconnect=True))
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, self._discord_task}, return_when=asyncio.FIRST_COMPLETED
        )
        if self._discord_task in done:
            ready.cancel()
            self._discord_task.result()  # raises what stopped the connection
            raise RuntimeError("the Discord connection closed before it was ready")
        self._senders[Platform.DISCORD] = DiscordSender(
            client, self.config.discord.reminders_channel_id
        )

    async def stop(self) -> None:
        """Stop everything started, in reverse order, and close the database. Timed jobs
        under way finish first (the outbox after the message it is sending)."""
        if self.workspace is not None:
            await self.workspace.stop()
            self.workspace = None
        if self.monitor is not None:
            await self.monitor.stop()
        if self._preparing is not None:
            self._preparing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._preparing
            self._preparing = None
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()  # nothing new starts
        if self.services is not None:
            await self.services.outbox.stop(grace=self.stop_timeout)
        if self._jobs:
            _, late = await asyncio.wait(set(self._jobs), timeout=self.stop_timeout)
            if late:
                log.warning("%d timed job(s) still running at stop are cancelled", len(late))
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.discord is not None:
            await self.discord.close()
            if self._discord_task is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await self._discord_task
            self.discord = None
        if self.telegram is not None:
            application, self.telegram = self.telegram, None
            if application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
        if self.db is not None:
            db, self.db = self.db, None
            await db.close()
        if self._runner is not None:
            self._runner.release()
            self._runner = None

"""Coordinators speaking to volunteers: broadcasts (preview, then confirm), a reminder to one
volunteer now, recurring announcements, and the daily digest for coordinators.

Everything goes through the outbox in the same transaction that records it, so a crash in the
middle of a broadcast neither loses nor repeats a message."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.gazetteer import ready as places_ready
from bot.domain.models import (
    Actor,
    Button,
    Destination,
    NewOutbound,
    Platform,
    Schedule,
    TargetKind,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.timezones import find_zone
from bot.letters import overdue_rows
from bot.messages import Message, folded, msg, params_to_json, plain, typed_words
from bot.messages.forms import Joined
from bot.notices import tell_coordinators, tell_volunteer
from bot.oversight import find_volunteers
from bot.reminders.policy import ReminderPolicy, reply_cycle

AUDIENCES = ("all", "overdue", "telegram", "discord")
DIGEST_BUTTONS = (
    Button("button.list_pending", "ls", "pending"),
    Button("button.list_overdue", "ls", "overdue"),
    Button("button.list_concerns", "ls", "concerns"),
)
"""Under the digest: the lists it counts, one press away."""
MAX_TEXT = 1500
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_day_of_week(text: str) -> str:
    """`thu`, `mon,thu`, `daily` or `*` (or the coordinator's words: `jue`, `lun,jue`,
    `diario`), as a cron day-of-week field."""
    value = folded(text)
    daily = typed_words({"day_word.daily": "*"}) | {"*": "*", "every": "*", "daily": "*"}
    if value in daily:
        return "*"
    words = typed_words({f"day_word.{day}": day for day in DAYS})
    days = [words.get(part.strip()[:3]) for part in value.split(",")]
    if not days or None in days:
        raise BotError("schedule.bad_day")
    return ",".join(day for day in days if day)


def _audience(text: str, channels_allowed: bool) -> str:
    value = folded(text)
    words = typed_words({f"audience_word.{a}": a for a in AUDIENCES})
    if value in AUDIENCES or value in words:
        return words.get(value, value)
    if channels_allowed and re.fullmatch(r"channel:\d{1,20}", value):
        return value
    raise BotError("broadcast.bad_audience", audiences=audience_words())


def audience_words() -> Joined:
    """The words for who gets an announcement, as the reader types them."""
    return Joined(tuple(msg(f"audience_word.{a}") for a in AUDIENCES))


def audience_named(audience: str) -> Message | str:
    """Who gets an announcement, as a sentence says it ("all active volunteers")."""
    return msg(f"audience.{audience}") if audience in AUDIENCES else audience


def days_named(day_of_week: str) -> Message | Joined:
    """A schedule's days as the reader's language names them."""
    if day_of_week == "*":
        return msg("day_word.daily")
    return Joined(tuple(msg(f"day_word.{day}") for day in day_of_week.split(",")))


def _text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise BotError("broadcast.empty")
    if len(cleaned) > MAX_TEXT:
        raise BotError("broadcast.too_long", limit=MAX_TEXT)
    return cleaned


@dataclass
class AnnouncementService:
    """Broadcasts, reminders on request, schedules and the digest."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: ReminderPolicy
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = lambda: None
    scheduled: Callable[[Schedule], None] = lambda schedule: None
    program: str = ""
    """The program's name, on the sender line of every announcement."""

    async def preview(self, actor: Actor, audience: str, text: str) -> tuple[Message, int]:
        """The announcement as it will read, who gets it, and the draft's id to confirm."""
        if not actor.is_coordinator:
            raise NotAllowed()
        audience, text = _audience(audience, False), _text(text)
        now = self.clock.now()
        async with self.uow() as uow:
            count = len(await self._recipients(uow, audience))
            draft = await uow.announcements.add_broadcast(actor.label, audience, text, now)
            await uow.commit()
        preview = msg(
            "broadcast.preview",
            audience=audience_named(audience),
            count=count,
            text=self._announcement(text),
        )
        return preview, draft

    async def send(self, actor: Actor, broadcast_id: int) -> Message:
        """Confirm: every recipient's message is written in this one transaction."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            draft = await uow.announcements.broadcast(broadcast_id)
            if draft is None:
                raise NotFound("error.expired")
            recipients = await self._recipients(uow, draft.audience)
            if not await uow.announcements.close_broadcast(draft.id, "sent", len(recipients)):
                return msg("broadcast.done_already")
            await self._write(uow, [d for person in recipients for d in person], draft.text, now)
            await uow.audit.add(actor.label, "broadcast.send", f"broadcast:{draft.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("broadcast.sent", count=len(recipients))

    async def cancel(self, actor: Actor, broadcast_id: int) -> Message:
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            if await uow.announcements.broadcast(broadcast_id) is None:
                raise NotFound("error.expired")
            closed = await uow.announcements.close_broadcast(broadcast_id, "cancelled", 0)
            await uow.commit()
        return msg("broadcast.cancelled" if closed else "broadcast.done_already")

    async def remind(self, actor: Actor, who: str) -> Message:
        """A reminder to one active volunteer now: by her number, part of her name, @handle,
        platform user id or Discord mention, whichever platform she is on."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            found = [
                v for v in await find_volunteers(uow, who) if v.status is VolunteerStatus.ACTIVE
            ]
            exact = [v for v in found if str(v.id) == who.strip().lstrip("#")]
            found = exact or found
            if not found:
                raise BotError("remind.unknown", who=who.strip()[:60])
            if len(found) > 1:
                choices = Joined(
                    tuple(
                        msg("oversight.volunteer_choice", id=v.id, name=v.display_name)
                        for v in found
                    )
                )
                raise BotError("remind.which", who=who.strip()[:60], choices=choices)
            volunteer = found[0]
            lines = await self._letter_lines(uow, volunteer)
            await tell_volunteer(uow, volunteer, "reminder.nudge", {"lines": lines}, now)
            await uow.audit.add(actor.label, "volunteer.remind", f"volunteer:{volunteer.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("remind.sent", name=volunteer.display_name)

    async def _letter_lines(self, uow: UnitOfWork, volunteer: Volunteer) -> list[Message]:
        lines = []
        for item in await uow.letters.active(self.clock.now().date(), volunteer_id=volunteer.id):
            waiting = reply_cycle(item.rhythm)
            if waiting is not None:
                due = waiting.dated + timedelta(days=self.policy.reply_days)
                lines.append(
                    msg(
                        "nudge.reply",
                        penpal=item.penpal_name,
                        dated=waiting.dated,
                        due=due,
                    )
                )
            elif item.rhythm.last_out is None:
                lines.append(msg("nudge.first", penpal=item.penpal_name))
            else:
                lines.append(
                    msg(
                        "nudge.keep",
                        penpal=item.penpal_name,
                        dated=item.rhythm.last_out.dated,
                    )
                )
        return lines or [msg("nudge.none")]

    async def add_schedule(
        self, actor: Actor, day_of_week: str, at: str, timezone: str, audience: str, text: str
    ) -> Message:
        """A recurring announcement, for example every Thursday 19:00 Europe/London."""
        if not actor.is_coordinator:
            raise NotAllowed()
        try:
            local = time.fromisoformat(at.strip())
        except ValueError:
            raise BotError("schedule.bad_time") from None
        await places_ready()
        zone = find_zone(timezone, self.clock.now())
        if zone.choices:
            raise BotError(
                "schedule.which_zone",
                typed=timezone.strip()[:40],
                places=", ".join(f"{p.zone} ({plain(p.name)})" for p in zone.choices),
            )
        if zone.place is None:
            raise BotError("schedule.bad_time")
        schedule = Schedule(
            0,
            actor.label,
            parse_day_of_week(day_of_week),
            local.strftime("%H:%M"),
            zone.place.zone,
            _audience(audience, True),
            _text(text),
            self.clock.now(),
        )
        async with self.uow() as uow:
            schedule = await uow.announcements.add_schedule(schedule)
            await uow.audit.add(
                actor.label, "schedule.add", f"schedule:{schedule.id}", self.clock.now()
            )
            await uow.commit()
        self.scheduled(schedule)
        return msg(
            "schedule.added",
            id=schedule.id,
            days=days_named(schedule.day_of_week),
            at=schedule.at_time,
            timezone=schedule.timezone,
            audience=audience_named(schedule.audience),
        )

    async def fire(self, schedule_id: int) -> int:
        """A schedule's time has come: send it once for this local day and time."""
        now = self.clock.now()
        async with self.uow() as uow:
            schedule = next(
                (s for s in await uow.announcements.schedules() if s.id == schedule_id), None
            )
            if schedule is None:
                return 0
            local = now.astimezone(ZoneInfo(schedule.timezone))
            run = f"{local.date().isoformat()} {schedule.at_time}"
            if not await uow.announcements.mark_done(f"schedule:{schedule.id}", run, now):
                return 0
            if schedule.audience.startswith("channel:"):
                recipients = [
                    Destination(
                        Platform.DISCORD, TargetKind.CHANNEL, schedule.audience.partition(":")[2]
                    )
                ]
            else:
                people = await self._recipients(uow, schedule.audience)
                recipients = [where for person in people for where in person]
            await self._write(uow, recipients, schedule.text, now)
            await uow.commit()
        self.outbox_written()
        return len(recipients)

    async def stop_schedule(self, actor: Actor, schedule_id: int) -> Message:
        """Stop a recurring announcement (its timed job then finds nothing to send)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            stopped = await uow.announcements.stop_schedule(schedule_id)
            if stopped:
                await uow.audit.add(
                    actor.label, "schedule.stop", f"schedule:{schedule_id}", self.clock.now()
                )
            await uow.commit()
        return msg("schedule.stopped" if stopped else "schedule.unknown", id=schedule_id)

    async def schedules(self) -> list[Schedule]:
        async with self.uow() as uow:
            return await uow.announcements.schedules()

    async def digest(self, day: str) -> bool:
        """The coordinators' daily digest, once per day."""
        now = self.clock.now()
        async with self.uow() as uow:
            if not await uow.announcements.mark_done("digest", day, now):
                return False
            counts = await uow.volunteers.count_by_status()
            active = await uow.letters.active(now.date())
            overdue = len(overdue_rows(active, self.policy, now.date()))
            at_program = await uow.letters.at_program()
            waiting: Message | str = ""
            buttons: tuple[Button, ...] = DIGEST_BUTTONS
            if at_program:
                oldest = min(x.program_on or x.dated for x in at_program)
                waiting = msg("digest.at_program", count=len(at_program), oldest=oldest)
                buttons = (*DIGEST_BUTTONS, Button("button.list_review", "ls", "review"))
            await tell_coordinators(
                uow,
                self.coordinators,
                "coord.digest",
                {
                    "pending": msg(
                        "count.signups_waiting", n=counts.get(VolunteerStatus.PENDING, 0)
                    ),
                    "active": msg(
                        "count.active_volunteers", n=counts.get(VolunteerStatus.ACTIVE, 0)
                    ),
                    "matches": msg("count.active_matches", n=await _open_matches(uow)),
                    "overdue": msg("count.overdue_replies", n=overdue),
                    "day": date.fromisoformat(day),
                    "concerns": msg("count.open_concerns", n=await uow.concerns.count_open()),
                    "at_program": waiting,
                },
                buttons,
                now,
            )
            await uow.commit()
        self.outbox_written()
        return True

    async def _recipients(self, uow: UnitOfWork, audience: str) -> list[list[Destination]]:
        """Who gets an announcement: for each volunteer, where it goes (the platform she
        prefers, as every notice; with a platform audience, her account there)."""
        volunteers = await uow.volunteers.with_status(VolunteerStatus.ACTIVE)
        if audience == "overdue":
            today = self.clock.now().date()
            rows = overdue_rows(await uow.letters.active(today), self.policy, today)
            late = {item.volunteer_id for _, item, _ in rows}
            volunteers = [v for v in volunteers if v.id in late]
        platform = {"telegram": Platform.TELEGRAM, "discord": Platform.DISCORD}.get(audience)
        people = []
        for volunteer in volunteers:
            if platform is not None:
                accounts = [a for a in volunteer.accounts if a.platform is platform]
            else:
                preferred = [a for a in volunteer.accounts if a.platform is volunteer.prefers]
                accounts = preferred or list(volunteer.accounts)
            if accounts:
                people.append(
                    [Destination(a.platform, TargetKind.USER, a.user_id) for a in accounts]
                )
        return people

    def _announcement(self, text: str) -> Message:
        """An announcement as volunteers read it: who it is from, then the coordinator's text."""
        return msg("announcement.signed", program=self.program, text=text)

    async def _write(
        self, uow: UnitOfWork, recipients: Sequence[Destination], text: str, now: datetime
    ) -> None:
        for where in recipients:
            await uow.outbox.add(
                NewOutbound(
                    where.platform,
                    where.target_kind,
                    where.target_id,
                    "announcement.signed",
                    params_to_json(self._announcement(text).params),
                ),
                due_at=now,
                now=now,
            )


async def _open_matches(uow: UnitOfWork) -> int:
    """Every match under way, also those of a volunteer on a break."""
    return sum((await uow.matches.active_counts()).values())

"""A volunteer's own say over her time and her data: /pause, /resume, /mydata, /forgetme."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.custody import end_match
from bot.errors import BotError, NotFound
from bot.letters import parse_day
from bot.messages import Message, msg
from bot.models import (
    AccountRef,
    Destination,
    EndReason,
    MatchStatus,
    Volunteer,
    VolunteerStatus,
)
from bot.outbox import tell_coordinators, tell_volunteer
from bot.ports import UnitOfWork, UnitOfWorkFactory

LONGEST_PAUSE = timedelta(days=366)
"""A pause with a date ends within a year (without a date it lasts until /resume)."""


@dataclass(frozen=True)
class DataExport:
    """Her record as a JSON document, to be sent privately as a file."""

    filename: str
    content: bytes


async def _no_scrub() -> bool:
    return True


@dataclass
class LifecycleService:
    """Pausing and resuming, the export of her record, and the erasure of her personal data."""

    uow: UnitOfWorkFactory
    clock: Clock
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = field(default=lambda: None)
    scrub: Callable[[], Awaitable[bool]] = _no_scrub
    """Empties the database's write-ahead log after an erasure (old page images hold data)."""

    def _today(self, volunteer: Volunteer) -> date:
        return self.clock.now().astimezone(ZoneInfo(volunteer.timezone)).date()

    async def _volunteer(self, uow: UnitOfWork, account: AccountRef) -> Volunteer:
        volunteer = await uow.volunteers.by_account(account)
        if volunteer is None or volunteer.status is VolunteerStatus.LEFT:
            raise BotError("me.none")
        return volunteer

    async def pause(self, account: AccountRef, until: str | None) -> Message:
        """No reminders and no new matches until `until` (her local date) or /resume. Her pen
        pals are told nothing; the coordinators are."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            if volunteer.status not in (VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED):
                return msg("pause.not_active")
            today = self._today(volunteer)
            try:
                day = parse_day(until)
            except BotError:
                day = today  # not a date: answered like a date that is not after today
            if day is not None and not today < day <= today + LONGEST_PAUSE:
                raise BotError("pause.bad_date", today=today.isoformat())
            await uow.volunteers.update(
                replace(volunteer, status=VolunteerStatus.PAUSED, paused_until=day,
                        updated_at=now)
            )  # fmt: skip
            until_text = day.isoformat() if day else "-"
            await uow.audit.add("volunteer", "volunteer.pause", f"volunteer:{volunteer.id}", now)
            await tell_coordinators(uow, self.coordinators, "coord.alert.paused",
                                    {"volunteer": volunteer.display_name, "until": until_text},
                                    (), now)  # fmt: skip
            await uow.commit()
        self.outbox_written()
        if day is None:
            return msg("pause.done_open")
        return msg("pause.done_until", until=day.isoformat())

    async def resume(self, account: AccountRef) -> Message:
        """Back from a pause: reminders and matching start again."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            if volunteer.status is not VolunteerStatus.PAUSED:
                return msg("resume.not_paused")
            await self._resume(uow, volunteer, now)
            await uow.commit()
        self.outbox_written()
        return msg("resume.done")

    async def _resume(self, uow: UnitOfWork, volunteer: Volunteer, now: datetime) -> None:
        await uow.volunteers.update(
            replace(volunteer, status=VolunteerStatus.ACTIVE, paused_until=None, updated_at=now)
        )
        await uow.audit.add("volunteer", "volunteer.resume", f"volunteer:{volunteer.id}", now)
        await tell_coordinators(uow, self.coordinators, "coord.alert.resumed",
                                {"volunteer": volunteer.display_name}, (), now)  # fmt: skip

    async def resume_due(self) -> int:
        """Pauses whose date has come (in her own time zone) end; she is told. Run by the
        reminder job before each sweep."""
        now = self.clock.now()
        resumed = 0
        async with self.uow() as uow:
            for volunteer in await uow.volunteers.with_status(VolunteerStatus.PAUSED):
                until = volunteer.paused_until
                if until is None or self._today(volunteer) < until:
                    continue
                await self._resume(uow, volunteer, now)
                await tell_volunteer(uow, volunteer, "resume.automatic",
                                     {"name": volunteer.display_name}, now)  # fmt: skip
                resumed += 1
            await uow.commit()
        if resumed:
            self.outbox_written()
        return resumed

    async def my_data(self, account: AccountRef) -> DataExport:
        """Everything kept about her, as a JSON document (sent only to her, privately)."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            record = await uow.privacy.export(volunteer.id)
            await uow.audit.add("volunteer", "volunteer.export", f"volunteer:{volunteer.id}", now)
            await uow.commit()
        document = {"exported_at": now.isoformat(), **record}
        content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        return DataExport(f"my-data-{now.date().isoformat()}.json", content)

    async def forget_ask(self, account: AccountRef) -> tuple[Message, int]:
        """The confirm step: what erasure does, and her volunteer id for the confirm button."""
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            active = await uow.matches.for_volunteer(
                volunteer.id, [MatchStatus.ACTIVE, MatchStatus.PAUSED]
            )
        return msg("forget.ask", matches=len(active)), volunteer.id

    async def forget(self, account: AccountRef, volunteer_id: int) -> Message:
        """Erase her personal data. Only the volunteer herself, from one of her own accounts;
        her matches end ("volunteer left") and her pen pals go back in line with their
        original dates; the coordinators are told which pen pals wait again."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            if volunteer is None or volunteer.id != volunteer_id:
                raise NotFound("error.expired")
            penpals = []
            for match in await uow.matches.for_volunteer(
                volunteer.id, [MatchStatus.ACTIVE, MatchStatus.PAUSED, MatchStatus.PROPOSED]
            ):
                if match.status is MatchStatus.PROPOSED:
                    await uow.matches.update(replace(match, status=MatchStatus.SKIPPED))
                    continue
                penpals.append(
                    await end_match(uow, match, EndReason.VOLUNTEER_LEFT, "volunteer", now,
                                    requeue=True, tell=False)
                )  # fmt: skip
            words = [volunteer.display_name]
            for a in volunteer.accounts:
                words += [a.handle, a.user_id]
            await uow.privacy.erase(volunteer.id, volunteer.accounts, words, now)
            await uow.audit.add("volunteer", "volunteer.erase", f"volunteer:{volunteer.id}", now)
            await tell_coordinators(uow, self.coordinators, "coord.alert.erased",
                                    {"number": volunteer.id,
                                     "penpals": ", ".join(penpals) or "-"}, (), now)  # fmt: skip
            await uow.commit()
        self.outbox_written()
        await self.scrub()
        return msg("forget.done")

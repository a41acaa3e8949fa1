"""A volunteer's own say over her time and her data: /pause, /resume, /mydata, /forgetme."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.circles import step_out
from bot.custody import end_match
from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotFound
from bot.domain.models import (
    AccountRef,
    Destination,
    EndReason,
    Match,
    MatchStatus,
    Platform,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.letters import active_choices, parse_day
from bot.messages import Message, msg
from bot.notices import edit_erased, tell_coordinators, tell_volunteer

OPEN = (MatchStatus.ACTIVE, MatchStatus.PAUSED)
"""Matches she still writes in (both by id order, so a /leave menu's bits stay in step)."""
LONGEST_PAUSE = timedelta(days=366)
"""A pause with a date ends within a year (without a date it lasts until /resume)."""


LINK_VALID = timedelta(minutes=10)
LINK_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Link codes: 8 characters without look-alikes (0/O, 1/I/L), about 40 bits; single use."""
PREFERENCES = ("telegram", "discord", "both")


def _code_hash(code: str) -> str:
    """Only a hash of a link code is stored; what she types is normalised first."""
    cleaned = "".join(c for c in code.upper() if c.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()


LEAVE_REASONS = ("time", "personal", "fit", "other")
"""Why she leaves (catalogue `leave.reason.*`); recorded on her profile and told to coordinators."""


@dataclass(frozen=True)
class LeaveMenu:
    """The /leave step: her pen pals with which ones end (`mask` bit i: the i-th match by id),
    and `count`, the number of her matches when the menu was made (a stale menu is refused)."""

    message: Message
    names: tuple[str, ...]
    mask: int
    count: int

    def chosen(self, index: int) -> bool:
        return bool(self.mask >> index & 1)


@dataclass(frozen=True)
class DataExport:
    """Her record as a JSON document, to be sent privately as a file."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Linked:
    """The answer to /link CODE; once `linked`, she chooses where her messages go (one button
    per choice of PREFERENCES)."""

    message: Message
    linked: bool = False


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
    erased: Callable[[Sequence[AccountRef]], None] = lambda accounts: None
    """Told which accounts were erased (what is kept in memory about them goes too)."""
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
                raise BotError("pause.bad_date", today=today)
            await uow.volunteers.update(
                replace(volunteer, status=VolunteerStatus.PAUSED, paused_until=day, updated_at=now)
            )
            await step_out(uow, volunteer, now, self.coordinators, leaving=False)
            await uow.audit.add("volunteer", "volunteer.pause", f"volunteer:{volunteer.id}", now)
            await tell_coordinators(
                uow,
                self.coordinators,
                "coord.alert.paused_until" if day else "coord.alert.paused",
                {"volunteer": volunteer.display_name, "until": day or ""},
                (),
                now,
                about=volunteer.id,
            )
            await uow.commit()
        self.outbox_written()
        if day is None:
            return msg("pause.done_open")
        return msg("pause.done_until", until=day)

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
        await tell_coordinators(
            uow,
            self.coordinators,
            "coord.alert.resumed",
            {"volunteer": volunteer.display_name},
            (),
            now,
            about=volunteer.id,
        )

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
                await tell_volunteer(
                    uow, volunteer, "resume.automatic", {"name": volunteer.display_name}, now
                )
                resumed += 1
            await uow.commit()
        if resumed:
            self.outbox_written()
        return resumed

    async def _open_matches(self, uow: UnitOfWork, volunteer: Volunteer) -> list[Match]:
        return await uow.matches.for_volunteer(volunteer.id, list(OPEN))

    async def leave_menu(
        self, account: AccountRef, mask: int | None = None, count: int | None = None
    ) -> LeaveMenu:
        """Which of her matches end (all, unless she unticks some), then why she leaves."""
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            names = [c.name for c in await active_choices(uow, volunteer, OPEN)]
        everything = (1 << len(names)) - 1
        if (count is not None and count != len(names)) or (mask or 0) & ~everything:
            raise NotFound("error.expired")
        mask = everything if mask is None else mask
        if not names:
            message = msg("leave.ask_none")
        else:
            message = msg("leave.ask", kept=len(names) - bin(mask).count("1"))
        return LeaveMenu(message, tuple(names), mask, len(names))

    async def leave(self, account: AccountRef, mask: int, count: int, reason: str) -> Message:
        """End the chosen matches (each pen pal back in line with her original date, and a
        reminder about a closing letter); with none kept she leaves the program, otherwise she
        keeps writing to the rest and takes no new pen pals. Coordinators are told."""
        if reason not in LEAVE_REASONS:
            raise NotFound("error.expired")
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            matches = await self._open_matches(uow, volunteer)
            if count != len(matches) or mask & ~((1 << count) - 1):
                raise NotFound("error.expired")
            ended, kept = [], []
            for index, match in enumerate(matches):
                if mask >> index & 1:
                    ended.append(
                        await end_match(
                            uow, match, EndReason.VOLUNTEER_STOPPED, "volunteer", now, requeue=True
                        )
                    )
                else:
                    kept.append(match)
            if kept:
                changed = replace(volunteer, capacity=len(kept), updated_at=now)
            else:
                await step_out(uow, volunteer, now, self.coordinators, leaving=True)
                changed = replace(
                    volunteer,
                    status=VolunteerStatus.LEFT,
                    paused_until=None,
                    left_reason=reason,
                    updated_at=now,
                )
            await uow.volunteers.update(changed)
            await uow.audit.add(
                "volunteer", f"volunteer.leave.{reason}", f"volunteer:{volunteer.id}", now
            )
            params = {
                "volunteer": volunteer.display_name,
                "reason": msg(f"leave.reason.{reason}"),
                "penpals": ", ".join(ended) or "-",
                "kept": len(kept),
            }
            key = "coord.alert.stepped_back" if kept else "coord.alert.left"
            await tell_coordinators(
                uow, self.coordinators, key, params, (), now, about=volunteer.id
            )
            await uow.commit()
        self.outbox_written()
        if kept:
            return msg("leave.done_partial", ended=len(ended), kept=len(kept))
        return msg("leave.done", ended=len(ended))

    async def link_code(self, account: AccountRef) -> Message:
        """A one-time code (valid 10 minutes) to enter on the other platform."""
        now = self.clock.now()
        code = "".join(secrets.choice(LINK_ALPHABET) for _ in range(8))
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            await uow.volunteers.add_link_code(
                _code_hash(code), volunteer.id, account.platform, now + LINK_VALID
            )
            await uow.commit()
        return msg("link.code", code=f"{code[:4]}-{code[4:]}", other=_other(account.platform))

    async def link(self, account: AccountRef, code: str) -> Linked:
        """Join this account to the volunteer who was shown `code` on the other platform."""
        now = self.clock.now()
        async with self.uow() as uow:
            mine = await uow.volunteers.by_account(account)
            if mine is not None:  # a refusal keeps the code
                if len(mine.accounts) > 1:
                    return Linked(msg("link.already", other=_other(account.platform)))
                if not await uow.volunteers.link_code_valid(
                    _code_hash(code), account.platform, now
                ):
                    return Linked(msg("link.bad_code"))
                if await self._open_matches(uow, mine):  # erasing would end her matches
                    return Linked(msg("link.has_profile_and_pen_pals"))
                return Linked(msg("link.has_profile"))
            volunteer_id = await uow.volunteers.use_link_code(
                _code_hash(code), account.platform, now
            )
            if volunteer_id is None:
                return Linked(msg("link.bad_code"))
            await uow.volunteers.add_account(volunteer_id, account)
            await uow.audit.add("volunteer", "volunteer.link", f"volunteer:{volunteer_id}", now)
            await uow.commit()
        return Linked(msg("link.done"), linked=True)

    async def unlink(self, account: AccountRef) -> Message:
        """Separate this account from her sign-up (she keeps it on the other platform, where
        everything goes from now on); messages not yet sent to it are dropped."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            if len(volunteer.accounts) < 2:
                return msg("unlink.alone")
            await uow.volunteers.remove_account(volunteer.id, account)
            await uow.outbox.drop_pending(account.platform, account.user_id)
            if volunteer.prefers is account.platform:
                await uow.volunteers.update(replace(volunteer, prefers=None, updated_at=now))
            await uow.audit.add("volunteer", "volunteer.unlink", f"volunteer:{volunteer.id}", now)
            await uow.commit()
        return msg("unlink.done", other=_other(account.platform))

    async def prefer(self, account: AccountRef, choice: str) -> Message:
        """Where her messages go now that she has accounts on both platforms."""
        if choice not in PREFERENCES:
            raise NotFound("error.expired")
        async with self.uow() as uow:
            volunteer = await self._volunteer(uow, account)
            prefers = None if choice == "both" else Platform(choice)
            if prefers is not None and all(a.platform is not prefers for a in volunteer.accounts):
                raise NotFound("error.expired")
            await uow.volunteers.update(
                replace(volunteer, prefers=prefers, updated_at=self.clock.now())
            )
            await uow.commit()
        return msg("link.prefers", where=msg(f"link.where.{choice}"))

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
            active = await self._open_matches(uow, volunteer)
        if not active:
            return msg("forget.ask_none"), volunteer.id
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
            await step_out(uow, volunteer, now, self.coordinators, leaving=True)
            penpals = []
            for match in await uow.matches.for_volunteer(
                volunteer.id, [MatchStatus.ACTIVE, MatchStatus.PAUSED, MatchStatus.PROPOSED]
            ):
                if match.status is MatchStatus.PROPOSED:
                    await uow.matches.update(replace(match, status=MatchStatus.SKIPPED))
                    continue
                penpals.append(
                    await end_match(
                        uow,
                        match,
                        EndReason.VOLUNTEER_LEFT,
                        "volunteer",
                        now,
                        requeue=True,
                        tell=False,
                    )
                )
            words = [volunteer.display_name, *([volunteer.pen_name] if volunteer.pen_name else [])]
            for a in volunteer.accounts:
                words += [a.handle, a.user_id]
            await edit_erased(uow, volunteer.id, now)  # the notices delivered that name her
            await uow.privacy.erase(volunteer.id, volunteer.accounts, words, now)
            await uow.audit.add("volunteer", "volunteer.erase", f"volunteer:{volunteer.id}", now)
            await tell_coordinators(
                uow,
                self.coordinators,
                "coord.alert.erased",
                {"number": volunteer.id, "penpals": ", ".join(penpals) or "-"},
                (),
                now,
            )
            await uow.commit()
        self.outbox_written()
        self.erased(volunteer.accounts)
        await self.scrub()
        return msg("forget.done")


def _other(platform: Platform) -> Message:
    """The other platform, named."""
    other = Platform.DISCORD if platform is Platform.TELEGRAM else Platform.TELEGRAM
    return msg(f"link.where.{other.value}")

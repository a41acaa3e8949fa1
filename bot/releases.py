"""Release dates (DOMAIN.md: "near a release date programs tell the volunteer, stop letters to
the prison address, and decide by their own policy whether the friendship may go on").

Each day: `notice_days` before a pen pal's release date her volunteers and the coordinators are
told (once per date); on the date her matches end (reason "released", no closing letter to a
prison she has left), her volunteers get the program's guidance for after a release, and a
woman still on the waiting list leaves it. With `after_release = "coordinator decides"` the
coordinators choose, with buttons, whether the program offers to go on through it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.custody import end_match
from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    Actor,
    Button,
    Destination,
    EndReason,
    MatchStatus,
    PenPal,
    PenPalStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.letters import parse_day
from bot.messages import Message, folded, msg
from bot.messages.forms import Joined
from bot.notices import tell_coordinators, tell_volunteer

POLICIES = ("end", "coordinator decides")
STILL_INSIDE = (PenPalStatus.WAITING, PenPalStatus.MATCHED, PenPalStatus.PAUSED)
DECISIONS = ("penpal.after_release_continue", "penpal.after_release_end")


@dataclass
class ReleaseService:
    """Release dates: notices before, the end of her matches on the day, and what follows."""

    uow: UnitOfWorkFactory
    clock: Clock
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = field(default=lambda: None)
    notice_days: int = 10
    policy: str = "end"
    guidance: object = None
    """The program's words for volunteers after a release (`ByLanguage`), else the bot's."""

    async def daily(self) -> int:
        """Tell of releases that are near, and carry out those that have come; how many."""
        now = self.clock.now()
        today = now.date()
        done = 0
        async with self.uow() as uow:
            for penpal in await uow.penpals.all():
                day = penpal.release_date
                if day is None or penpal.status not in STILL_INSIDE:
                    continue
                if day <= today:
                    await self._released(uow, penpal, now)
                    done += 1
                elif (
                    day - today <= timedelta(days=self.notice_days)
                    and penpal.release_notified_for != day
                ):
                    await self._soon(uow, penpal, now)
                    done += 1
            await uow.commit()
        if done:
            self.outbox_written()
        return done

    async def _soon(self, uow: UnitOfWork, penpal: PenPal, now: datetime) -> None:
        names = []
        for volunteer_id in await uow.matches.active_volunteers_of(penpal.id):
            volunteer = await uow.volunteers.get(volunteer_id)
            if volunteer is None:
                continue
            names.append(volunteer.display_name)
            told = {"penpal": penpal.preferred_name, "day": penpal.release_date}
            await tell_volunteer(uow, volunteer, "release.soon_volunteer", told, now)
        await tell_coordinators(
            uow,
            self.coordinators,
            "coord.alert.release_soon",
            {  # no date: the coordinators' channel is a channel
                "penpal": penpal.preferred_name,
                "id": penpal.id,
                "volunteers": Joined(tuple(names)) if names else msg("none"),
            },
            (),
            now,
        )
        await uow.penpals.update(replace(penpal, release_notified_for=penpal.release_date))

    async def _released(self, uow: UnitOfWork, penpal: PenPal, now: datetime) -> None:
        """Her release date has come: her matches end, she leaves the waiting list."""
        names = []
        for match in await uow.matches.for_penpal(penpal.id):
            if match.status is MatchStatus.PROPOSED:  # nobody can be confirmed for her now
                await uow.matches.update(replace(match, status=MatchStatus.SKIPPED))
            if match.status not in (MatchStatus.ACTIVE, MatchStatus.PAUSED):
                continue
            names.append(await end_match(uow, match, EndReason.RELEASED, "bot", now, False))
            volunteer = await uow.volunteers.get(match.volunteer_id)
            if volunteer is not None:
                words = self.guidance if self.guidance is not None else msg("release.guidance")
                await tell_volunteer(
                    uow, volunteer, "release.after_volunteer", {"text": words}, now
                )
        await uow.penpals.update(
            replace(penpal, status=PenPalStatus.RELEASED, address_unconfirmed_at=None)
        )
        await uow.audit.add("bot", "penpal.released", f"penpal:{penpal.id}", now)
        deciding = self.policy == "coordinator decides" and bool(names)
        buttons = (
            (
                Button("button.release_continue", "rc", str(penpal.id)),
                Button("button.release_end", "re", str(penpal.id)),
            )
            if deciding
            else ()
        )
        await tell_coordinators(
            uow,
            self.coordinators,
            "coord.alert.released_decide" if deciding else "coord.alert.released",
            {"penpal": penpal.preferred_name, "id": penpal.id},
            buttons,
            now,
        )

    async def decide(self, actor: Actor, penpal_id: int, go_on: bool) -> Message:
        """After her release: does the program offer to go on writing through it? Her last
        volunteers are told either way (once)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            penpal = await uow.penpals.get(penpal_id)
            if penpal is None or penpal.status is not PenPalStatus.RELEASED:
                raise NotFound("error.expired")
            subject = f"penpal:{penpal.id}"
            if await uow.audit.happened(subject, DECISIONS):
                return msg("release.decided_already", penpal=penpal.preferred_name)
            key = "release.continue_volunteer" if go_on else "release.end_volunteer"
            for match in await uow.matches.for_penpal(penpal.id):
                if match.end_reason != EndReason.RELEASED.value:
                    continue
                volunteer = await uow.volunteers.get(match.volunteer_id)
                if volunteer is not None:
                    await tell_volunteer(
                        uow, volunteer, key, {"penpal": penpal.preferred_name}, now
                    )
            action = "penpal.after_release_continue" if go_on else "penpal.after_release_end"
            await uow.audit.add(actor.label, action, subject, now)
            await uow.commit()
        self.outbox_written()
        done = "release.continued" if go_on else "release.ended"
        return msg(done, penpal=penpal.preferred_name, id=penpal.id)

    async def set_date(self, actor: Actor, penpal_id: int, text: str) -> Message:
        """A new release date (parole, a changed sentence), or none."""
        if not actor.is_coordinator:
            raise NotAllowed()
        cleared = folded(text) in ("none", "-", "ninguna", "ninguno", "")
        day = None if cleared else parse_day(text)
        now = self.clock.now()
        if day is not None and day < now.date():
            raise BotError("release.date_past")
        async with self.uow() as uow:
            penpal = await uow.penpals.get(penpal_id)
            if penpal is None:
                raise BotError("penpal.unknown", id=penpal_id)
            await uow.penpals.update(replace(penpal, release_date=day))
            await uow.audit.add(actor.label, "penpal.release_date", f"penpal:{penpal.id}", now)
            await uow.commit()
        if day is None:
            return msg("release.date_cleared", penpal=penpal.preferred_name, id=penpal.id)
        return msg("release.date_set", penpal=penpal.preferred_name, id=penpal.id, day=day)

"""Ending matches, transfers and releases: what happens to a pen pal between letters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from bot.addresses import confirmed
from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    Actor,
    CustodyRecord,
    EndReason,
    Match,
    MatchStatus,
    PenPalStatus,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.matching.service import Answer, MatchService, ReturnAddress
from bot.messages import Message, msg
from bot.notices import tell_volunteer
from bot.turns import hand_turns_on, rotation


@dataclass
class CustodyService:
    """Coordinators end matches, record transfers and releases; volunteers are told privately."""

    uow: UnitOfWorkFactory
    clock: Clock
    outbox_written: Callable[[], None] = field(default=lambda: None)
    matching: MatchService | None = None
    """For `reassign`, which proposes again at once."""
    sender: ReturnAddress = field(default_factory=lambda: ReturnAddress())
    """What goes on the envelopes as the sender (the program's return address)."""

    async def end_match(self, match_id: int, reason: EndReason, actor: Actor) -> Message:
        """End a match; she goes back to the waiting list with her ORIGINAL waiting-since date."""
        return (await self._end_open(match_id, reason, actor))[0]

    async def reassign(self, match_id: int, reason: EndReason, actor: Actor) -> list[Answer]:
        """End a match (she goes back in line with her date), then propose at once: the end's
        answer, then the matching run's (none when the match could not be ended)."""
        told, ended = await self._end_open(match_id, reason, actor)
        if not ended or self.matching is None:
            return [Answer(told)]
        answers = [Answer(told), *await self.matching.run(actor)]
        penpal_id = told.params.get("penpal_id")
        async with self.uow() as uow:
            offered = [
                m
                for m in await uow.matches.for_penpal(int(str(penpal_id)))
                if m.status is MatchStatus.PROPOSED
            ]
        if not offered and told.key == "match.ended":  # she is waiting, and nobody can write now
            answers.append(Answer(msg("reassign.nobody", penpal=told.params.get("penpal", "?"))))
        return answers

    async def _end_open(
        self, match_id: int, reason: EndReason, actor: Actor
    ) -> tuple[Message, bool]:
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            match = await uow.matches.get(match_id)
            if match is None or match.status not in (MatchStatus.ACTIVE, MatchStatus.PAUSED):
                return msg("match.not_active", id=match_id), False
            requeue = reason not in ENDED_TELLS
            name = await self._end(uow, match, reason, actor, requeue=requeue)
            if not requeue:
                await self._off_the_list(uow, match.penpal_id, reason)
            await uow.commit()
        self.outbox_written()
        told = msg(f"end_reason.{reason.name.lower()}")
        key = ENDED_ANSWERS.get(reason, "match.ended")
        return msg(key, id=match_id, reason=told, penpal=name, penpal_id=match.penpal_id), True

    async def _off_the_list(self, uow: UnitOfWork, penpal_id: int, reason: EndReason) -> None:
        """After her last match ended because she was released (recorded so) or lost after a
        transfer (kept off the waiting list until `transfer` gives her new address)."""
        penpal = await uow.penpals.get(penpal_id)
        if penpal is None or await uow.matches.active_volunteers_of(penpal_id):
            return
        if reason is EndReason.RELEASED:
            today = self.clock.now().date()
            released = min(penpal.release_date or today, today)  # released early: today
            await uow.penpals.update(
                replace(penpal, status=PenPalStatus.RELEASED, release_date=released)
            )
        elif penpal.status is PenPalStatus.MATCHED:
            await uow.penpals.update(replace(penpal, status=PenPalStatus.PAUSED))

    async def reoffer(self, match_id: int, actor: Actor) -> Message:
        """After replies lapsed again and again: end the match (no reply), pause the volunteer,
        and put the pen pal back in line with her original date. A writing circle's match goes
        on instead, with the next member who can write (ended only if none can). Coordinators
        only."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            match = await uow.matches.get(match_id)
            if match is None or match.status not in (MatchStatus.ACTIVE, MatchStatus.PAUSED):
                return msg("match.not_active", id=match_id)
            volunteer = await uow.volunteers.get(match.volunteer_id)
            if volunteer is not None and volunteer.status is VolunteerStatus.ACTIVE:
                await uow.volunteers.set_status(volunteer.id, VolunteerStatus.PAUSED, now)
            circle = await uow.circles.get(match.circle_id) if match.circle_id else None
            if (  # a circle's match: the next member writes, and the circle goes on
                circle is not None
                and volunteer is not None
                and await hand_turns_on(uow, circle, volunteer, now, leaving=False)
            ):
                after = await uow.matches.get(match_id)
                writer = await uow.volunteers.get(after.volunteer_id) if after else None
                await uow.commit()
                self.outbox_written()
                told = {"volunteer": volunteer.display_name, "circle": circle.name}
                return msg("match.turn_moved", **told, name=writer.display_name if writer else "?")
            name = await self._end(uow, match, EndReason.NO_REPLY, actor, requeue=True)
            await uow.commit()
        self.outbox_written()
        who = volunteer.display_name if volunteer else "?"
        return msg("match.reoffered", id=match_id, volunteer=who, penpal=name)

    async def confirm_address(self, match_id: int, actor: Actor) -> Message:
        """After a silence from inside: a coordinator checked that the pen pal of this match is
        still at her address (today, audited)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            match = await uow.matches.get(match_id)
            penpal = await uow.penpals.get(match.penpal_id) if match else None
            if penpal is None:
                raise NotFound("error.expired")
            await confirmed(uow, penpal, "address.confirmed_volunteer", now)
            await uow.audit.add(actor.label, "penpal.address_confirmed", f"penpal:{penpal.id}", now)
            await uow.commit()
        return msg("penpal.address_confirmed", penpal=penpal.preferred_name, id=penpal.id)

    async def transfer(
        self, penpal_id: int, id_number: str, facility_name: str, actor: Actor
    ) -> Message:
        """She moved: close the old custody record, open the new one, tell her volunteers."""
        if not actor.is_coordinator:
            raise NotAllowed()
        if not id_number.strip():
            raise BotError("penpal.need_id_number")
        today = self.clock.now().date()
        now = self.clock.now()
        async with self.uow() as uow:
            penpal = await uow.penpals.get(penpal_id)
            if penpal is None:
                raise BotError("penpal.unknown", id=penpal_id)
            facility = await uow.facilities.by_name(facility_name.strip())
            if facility is None:
                raise BotError("penpal.unknown_facility", name=facility_name.strip()[:80])
            old = await uow.penpals.custody(penpal_id)
            if old is not None:
                await uow.penpals.close_custody(old.id, today)
            await uow.penpals.open_custody(
                CustodyRecord(0, penpal_id, facility.id, id_number.strip(), today)
            )
            found = PenPalStatus.WAITING if penpal.status is PenPalStatus.PAUSED else penpal.status
            await uow.penpals.update(
                replace(
                    penpal,
                    address_verified_at=today,
                    status=found,
                    address_unconfirmed_at=None,
                    address_check_after=None,
                    reminders_from=today,  # her volunteers write to the new address from today
                )
            )
            for volunteer in await self._matched_volunteers(uow, penpal_id):
                sender = self.sender.of(volunteer.signs_as)
                details = await MatchService.details(uow, penpal, sender)
                await tell_volunteer(
                    uow, volunteer, "penpal.transferred_volunteer", details.params, now
                )
            await uow.audit.add(actor.label, "penpal.transfer", f"penpal:{penpal_id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("penpal.transferred", id=penpal_id)

    async def release(self, penpal_id: int, on: date | None, actor: Actor) -> Message:
        """She was released: record it and end her matches (a closing letter is expected)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            penpal = await uow.penpals.get(penpal_id)
            if penpal is None:
                raise BotError("penpal.unknown", id=penpal_id)
            for match in await uow.matches.for_penpal(penpal_id):  # a circle's too
                if match.status in (MatchStatus.ACTIVE, MatchStatus.PAUSED):
                    await self._end(uow, match, EndReason.RELEASED, actor, requeue=False)
            await uow.penpals.update(
                replace(
                    penpal,
                    status=PenPalStatus.RELEASED,
                    release_date=on or now.date(),
                    address_unconfirmed_at=None,
                    address_check_after=None,
                )
            )
            await uow.audit.add(actor.label, "penpal.release", f"penpal:{penpal_id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("penpal.released", id=penpal_id)

    async def _end(
        self, uow: UnitOfWork, match: Match, reason: EndReason, actor: Actor, requeue: bool
    ) -> str:
        return await end_match(uow, match, reason, actor.label, self.clock.now(), requeue)

    async def _matched_volunteers(self, uow: UnitOfWork, penpal_id: int) -> list[Volunteer]:
        found = []
        for volunteer_id in await uow.matches.active_volunteers_of(penpal_id):
            volunteer = await uow.volunteers.get(volunteer_id)
            if volunteer is not None:
                found.append(volunteer)
        return found


ENDED_TELLS = {
    EndReason.RELEASED: "match.ended_volunteer_released",
    EndReason.TRANSFERRED_AND_LOST: "match.ended_volunteer_lost",
}
"""What a volunteer is told when her match ends for a reason that leaves no address to write a
closing letter to; any other reason asks for one. She is not put back on the waiting list."""

ENDED_ANSWERS = {
    EndReason.RELEASED: "match.ended_released",
    EndReason.TRANSFERRED_AND_LOST: "match.ended_lost",
}


async def end_match(
    uow: UnitOfWork,
    match: Match,
    reason: EndReason,
    actor: str,
    now: datetime,
    requeue: bool,
    tell: bool = True,
) -> str:
    """End a match in the caller's transaction; with `requeue` she goes back to the waiting list
    with her ORIGINAL waiting-since date. Returns her preferred name."""
    await uow.matches.update(
        replace(match, status=MatchStatus.ENDED, ended_at=now, end_reason=reason.value)
    )
    penpal = await uow.penpals.get(match.penpal_id)
    name = penpal.preferred_name if penpal else "?"
    if penpal is not None and requeue and penpal.status is PenPalStatus.MATCHED:
        # Her place in line survives: waiting_since is left exactly as it was.
        await uow.penpals.update(replace(penpal, status=PenPalStatus.WAITING))
    volunteer = await uow.volunteers.get(match.volunteer_id)
    told = {"penpal": name, "reason": msg(f"end_reason.{reason.name.lower()}")}
    if volunteer is not None and tell:
        await tell_volunteer(uow, volunteer, ENDED_TELLS.get(reason, "match.ended_volunteer"),
                             told, now)  # fmt: skip
    if match.circle_id is not None and tell:  # the rest of her circle
        for member in await rotation(uow, match.circle_id):
            if member.id != match.volunteer_id:
                key = ENDED_TELLS.get(reason, "circle.match_ended")
                await tell_volunteer(uow, member, key, told, now)
    await uow.audit.add(actor, "match.end", f"match:{match.id}", now)
    return name

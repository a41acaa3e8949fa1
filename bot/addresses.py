"""Returned mail and the address check (DOMAIN.md, "Returned mail, transfers, release").

A letter that comes back, or a long silence from inside, puts a pen pal's address in doubt:
her volunteers get no reminders to write to her (they are told why), and the coordinators are
asked where she is, with the facility's inmate locator one press away. They answer: still
there (confirmed today), transferred (`/coord transfer`), released (`/coord release`), or not
known yet (asked again later). `/coord addresses` lists the addresses not confirmed lately."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    AccountRef,
    Actor,
    Button,
    CustodyRecord,
    Destination,
    LetterDirection,
    Match,
    MatchStatus,
    PenPal,
    PenPalStatus,
    ReturnedLetter,
    ReturnReason,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.letters import PenPalChoice, Picked, parse_day, pick_match
from bot.messages import Message, days, folded, msg, typed_words
from bot.messages.forms import Joined
from bot.notices import tell_coordinators, tell_volunteer

SHOWN = 15
"""Addresses listed in one message (the oldest first)."""


def reason_of(text: str | None) -> ReturnReason:
    """What was printed on the envelope, typed in any language the bot speaks (or nothing)."""
    if text is None or not text.strip():
        return ReturnReason.UNKNOWN
    words = typed_words({f"return_reason_word.{r.value}": r for r in ReturnReason})
    found = words.get(folded(text)) or {r.value: r for r in ReturnReason}.get(folded(text))
    if found is None:
        raise BotError("returned.bad_reason", reasons=reason_words())
    return found


def reason_words() -> Joined:
    return Joined(tuple(msg(f"return_reason_word.{r.value}") for r in ReturnReason))


def address_buttons(penpal_id: int) -> tuple[Button, ...]:
    """What a coordinator does about an address in doubt."""
    arg = str(penpal_id)
    return (
        Button("button.address_where", "aw", arg),
        Button("button.address_ok", "ao", arg),
        Button("button.address_moved", "am", arg),
        Button("button.address_released", "ar", arg),
        Button("button.address_later", "al", arg),
    )


async def put_in_doubt(
    uow: UnitOfWork, penpal: PenPal, why: Message, now: datetime, told: int | None = None
) -> PenPal:
    """Her address is in doubt from now: her volunteers are told kindly that reminders to
    write to her stop until it is confirmed (once; a second doubt changes nothing). `told`: a
    volunteer who knows already (she reported the returned letter)."""
    if penpal.address_unconfirmed_at is not None:
        return penpal
    doubted = replace(penpal, address_unconfirmed_at=now.date(), address_check_after=None)
    await uow.penpals.update(doubted)
    for volunteer_id in await uow.matches.active_volunteers_of(penpal.id):
        volunteer = await uow.volunteers.get(volunteer_id)
        if volunteer is not None and volunteer.id != told:
            params = {"penpal": penpal.preferred_name, "why": why}
            await tell_volunteer(uow, volunteer, "address.doubt_volunteer", params, now)
    await uow.audit.add("bot", "penpal.address_in_doubt", f"penpal:{penpal.id}", now)
    return doubted


async def confirmed(uow: UnitOfWork, penpal: PenPal, key: str, now: datetime) -> None:
    """Her address is known again: the doubt ends and her volunteers are told (`key`)."""
    was_in_doubt = penpal.address_unconfirmed_at is not None
    await uow.penpals.update(
        replace(
            penpal,
            address_verified_at=now.date(),
            address_unconfirmed_at=None,
            address_check_after=None,
            # after a doubt, reminders count from today (not from letters before it)
            reminders_from=now.date() if was_in_doubt else penpal.reminders_from,
        )
    )
    if not was_in_doubt:
        return
    for volunteer_id in await uow.matches.active_volunteers_of(penpal.id):
        volunteer = await uow.volunteers.get(volunteer_id)
        if volunteer is not None:
            await tell_volunteer(uow, volunteer, key, {"penpal": penpal.preferred_name}, now)


@dataclass
class AddressService:
    """Returned letters, addresses in doubt, and the coordinators' address checks."""

    uow: UnitOfWorkFactory
    clock: Clock
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = field(default=lambda: None)
    check_days: int = 90
    """An address not confirmed for longer than this is listed by /coord addresses."""
    recheck_days: int = 14
    """"Don't know yet": the coordinators are asked again after this many days."""

    async def returned(
        self, account: AccountRef, match_id: int | None, reason: str | None, day: str | None
    ) -> Message | list[PenPalChoice]:
        """A volunteer's letter came back. Without a match and with several pen pals, the
        choices come back (the adapter asks and calls again)."""
        why, dated = reason_of(reason), parse_day(day)
        now = self.clock.now()
        async with self.uow() as uow:
            picked = await pick_match(uow, account, match_id)
            if not isinstance(picked, Picked):
                return picked
            volunteer, match, _ = picked
            today = now.astimezone(ZoneInfo(volunteer.timezone)).date()  # her day
            if dated is not None and dated > today:
                raise BotError("letter.future")
            label = f"{account.platform.value}:{account.user_id}"
            penpal, doubt = await self._record(
                uow, match, why, dated or today, label, now, reporter=volunteer.id
            )
            await uow.commit()
        self.outbox_written()
        return msg(
            "returned.logged" if doubt else "returned.old_address", penpal=penpal.preferred_name
        )

    async def returned_by_coordinator(
        self, actor: Actor, match_id: int, reason: str | None, day: date | None
    ) -> Message:
        """A letter came back to the program (forwarding), or a coordinator heard of one."""
        if not actor.is_coordinator:
            raise NotAllowed()
        why, now = reason_of(reason), self.clock.now()
        if day is not None and day > now.date():
            raise BotError("letter.future")
        async with self.uow() as uow:
            match = await uow.matches.get(match_id)
            if match is None or match.status is not MatchStatus.ACTIVE:
                return msg("match.not_active", id=match_id)
            penpal, doubt = await self._record(uow, match, why, day or now.date(), actor.label, now)
            await uow.commit()
        self.outbox_written()
        key = "returned.logged_coord" if doubt else "returned.old_address_coord"
        return msg(key, penpal=penpal.preferred_name, id=penpal.id)

    async def _record(
        self,
        uow: UnitOfWork,
        match: Match,
        why: ReturnReason,
        dated: date,
        label: str,
        now: datetime,
        reporter: int | None = None,
    ) -> tuple[PenPal, bool]:
        """Keep the returned letter against the address it most likely went to (the one she
        was at when the volunteer last wrote); True when that is her current address, which is
        then in doubt (a letter to an old address coming back after a transfer is expected)."""
        penpal = await uow.penpals.get(match.penpal_id)
        if penpal is None:
            raise NotFound("error.expired")
        sent = [
            x.dated
            for x in await uow.letters.for_match(match.id)
            if x.direction is LetterDirection.TO_PENPAL and x.dated <= dated
        ]
        went_to = await _custody_on(uow, penpal.id, max(sent) if sent else dated)
        current = await uow.penpals.custody(penpal.id)
        await uow.letters.add_returned(
            ReturnedLetter(0, match.id, went_to.id if went_to else None, why, dated, label, now)
        )
        await uow.audit.add(label, "letter.returned", f"match:{match.id}", now)
        if went_to is not None and current is not None and went_to.id != current.id:
            return penpal, False
        reason = msg(f"return_reason.{why.value}")
        volunteer = await uow.volunteers.get(match.volunteer_id)
        why_told = msg("address.why_returned", reason=reason)
        doubted = await put_in_doubt(uow, penpal, why_told, now, told=reporter)
        await tell_coordinators(
            uow,
            self.coordinators,
            "coord.alert.returned",
            {
                "penpal": penpal.preferred_name,
                "id": penpal.id,
                "reason": reason,
                "volunteer": volunteer.display_name if volunteer else "?",
                "match": match.id,
            },
            address_buttons(penpal.id),
            now,
            about=match.volunteer_id,
        )
        return doubted, True

    async def where(self, actor: Actor, penpal_id: int) -> Message:
        """Where she is on record, with the inmate locator and what came back (for the
        coordinator's eyes only: an ephemeral reply or a private chat)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            penpal = await uow.penpals.get(penpal_id)
            if penpal is None:
                raise NotFound("error.expired")
            custody = await uow.penpals.custody(penpal.id)
            facility = await uow.facilities.get(custody.facility_id) if custody else None
            returns = await uow.letters.returned_for(penpal.id)
            await uow.audit.add(
                actor.label, "penpal.where", f"penpal:{penpal.id}", self.clock.now()
            )
            await uow.commit()
        back = [
            msg("address.returned_line", day=r.dated, reason=msg(f"return_reason.{r.reason.value}"))
            for r in returns[:5]
        ]
        return msg(
            "address.where",
            penpal=penpal.preferred_name,
            id=penpal.id,
            committed=penpal.committed_name,
            id_number=custody.id_number if custody else "?",
            facility=facility.name if facility else "?",
            address="\n".join(facility.address_lines) if facility else "?",
            locator=(facility.locator_url if facility and facility.locator_url else msg("none")),
            confirmed=penpal.address_verified_at or msg("address.never"),
            state=address_state(penpal),
            returned=Joined(tuple(back)) if back else msg("none"),
        )

    async def still_there(self, actor: Actor, penpal_id: int) -> Message:
        """The coordinator checked: she is still at her address (confirmed today)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            penpal = await uow.penpals.get(penpal_id)
            if penpal is None:
                raise NotFound("error.expired")
            await confirmed(uow, penpal, "address.confirmed_volunteer", now)
            await uow.audit.add(actor.label, "penpal.address_confirmed", f"penpal:{penpal.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("address.confirmed", penpal=penpal.preferred_name, id=penpal.id)

    async def later(self, actor: Actor, penpal_id: int) -> Message:
        """Not known yet: the coordinators are asked again in `recheck_days`."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        again = now.date() + timedelta(days=self.recheck_days)
        async with self.uow() as uow:
            penpal = await uow.penpals.get(penpal_id)
            if penpal is None:
                raise NotFound("error.expired")
            if penpal.address_unconfirmed_at is None:
                return msg("address.not_in_doubt", penpal=penpal.preferred_name, id=penpal.id)
            await uow.penpals.update(replace(penpal, address_check_after=again))
            await uow.audit.add(actor.label, "penpal.address_later", f"penpal:{penpal.id}", now)
            await uow.commit()
        return msg("address.later", penpal=penpal.preferred_name, id=penpal.id, day=again)

    async def ask_again(self) -> int:
        """Each day: the addresses whose "not known yet" has run out are asked about again."""
        now = self.clock.now()
        asked = 0
        async with self.uow() as uow:
            for penpal in await uow.penpals.all():
                due = penpal.address_check_after
                if due is None or due > now.date() or penpal.address_unconfirmed_at is None:
                    continue
                await uow.penpals.update(replace(penpal, address_check_after=None))
                await tell_coordinators(
                    uow,
                    self.coordinators,
                    "coord.alert.address_again",
                    {
                        "penpal": penpal.preferred_name,
                        "id": penpal.id,
                        "since": penpal.address_unconfirmed_at,
                    },
                    address_buttons(penpal.id),
                    now,
                )
                asked += 1
            await uow.commit()
        if asked:
            self.outbox_written()
        return asked

    async def to_check(self, actor: Actor) -> Message:
        """`/coord addresses`: addresses in doubt, then those not confirmed for more than
        `check_days` (or never), the oldest first."""
        if not actor.is_coordinator:
            raise NotAllowed()
        today = self.clock.now().date()
        stale = today - timedelta(days=self.check_days)
        async with self.uow() as uow:
            found = [
                p
                for p in await uow.penpals.all()
                if p.status in (PenPalStatus.WAITING, PenPalStatus.MATCHED, PenPalStatus.PAUSED)
                and (
                    p.address_unconfirmed_at is not None
                    or p.address_verified_at is None
                    or p.address_verified_at < stale
                )
            ]
            found.sort(
                key=lambda p: (
                    p.address_unconfirmed_at is None,
                    p.address_unconfirmed_at or p.address_verified_at or date.min,
                    p.id,
                )
            )
            lines = []
            for penpal in found[:SHOWN]:
                custody = await uow.penpals.custody(penpal.id)
                facility = await uow.facilities.get(custody.facility_id) if custody else None
                lines.append(
                    msg(
                        "address.list_line",
                        id=penpal.id,
                        penpal=penpal.preferred_name,
                        facility=facility.name if facility else "?",
                        state=address_state(penpal),
                    )
                )
            await uow.audit.add(actor.label, "penpal.addresses", "penpals", self.clock.now())
            await uow.commit()
        if not lines:
            return msg("address.none", days=days(self.check_days))
        more = [msg("list.more", count=len(found) - SHOWN)] if len(found) > SHOWN else []
        return msg(
            "address.list", count=len(found), days=days(self.check_days), lines=[*lines, *more]
        )


async def _custody_on(uow: UnitOfWork, penpal_id: int, day: date) -> CustodyRecord | None:
    """Where she was on that day (the record that covers it, else the latest before it)."""
    found = None
    for record in await uow.penpals.history(penpal_id):
        if record.started_on <= day:
            found = record
    return found


def address_state(penpal: PenPal) -> Message:
    """Her address: in doubt since, last confirmed, or never confirmed."""
    if penpal.address_unconfirmed_at is not None:
        return msg("address.state_doubt", day=penpal.address_unconfirmed_at)
    if penpal.address_verified_at is None:
        return msg("address.never")
    return msg("address.state_confirmed", day=penpal.address_verified_at)

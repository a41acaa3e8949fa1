"""A writing circle's matches (see bot/circles.py): whether a circle can take a pen pal and how
its match begins (her details to each member privately), who writes next, and what the member
whose turn it is and the circle's place are told when a letter arrives or is answered. Called by
the circle, match, letters and forwarding services in their own transactions."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Protocol

from bot.domain.errors import BotError
from bot.domain.models import (
    Circle,
    Match,
    MatchStatus,
    NewOutbound,
    PenPal,
    PenPalStatus,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork
from bot.matching.types import VolunteerSlot, eligible, slot_of, waiting_of
from bot.messages import Message, params_to_json
from bot.notices import tell_volunteer
from bot.reminders.policy import ReminderPolicy, reply_cycle


class Details(Protocol):
    """What a circle's match needs of the match service (which calls back here for a circle's
    proposal): the reminder policy, and her mailing details as one member writes them."""

    policy: ReminderPolicy

    async def details_for(
        self, uow: UnitOfWork, penpal: PenPal, volunteer: Volunteer
    ) -> Message: ...


async def rotation(uow: UnitOfWork, circle_id: int) -> list[Volunteer]:
    """The circle's members in the order they write."""
    out = []
    for member in await uow.circles.members(circle_id):
        volunteer = await uow.volunteers.get(member.volunteer_id)
        if volunteer is not None:
            out.append(volunteer)
    return out


async def next_writer(
    uow: UnitOfWork, circle_id: int, after: int, skip: Collection[int] = ()
) -> Volunteer | None:
    """The next member after `after` in the rotation who can write now (active, not paused,
    not in `skip`); `after` herself comes last. None when no one can."""
    members = await rotation(uow, circle_id)
    ids = [m.id for m in members]
    start = ids.index(after) + 1 if after in ids else 0
    for member in members[start:] + members[:start]:
        if member.id not in skip and member.status is VolunteerStatus.ACTIVE:
            return member
    return None


async def due_of(uow: UnitOfWork, match: Match, policy: ReminderPolicy, today: date) -> date | None:
    """When the reply to her last letter is due, if one waits."""
    found = await uow.letters.active(today, match.id)
    waiting = reply_cycle(found[0].rhythm) if found else None
    return waiting.dated + timedelta(days=policy.reply_days) if waiting else None


async def tell_place(
    uow: UnitOfWork,
    circle: Circle,
    key: str,
    params: Mapping[str, object],
    now: datetime,
    about: int | None = None,
) -> None:
    """A coordination notice in the circle's place, if it has one. Callers pass only names the
    members share (theirs, the circle's, her preferred name) and dates: never her personal data.
    `about`: the member it names first (her erasure edits it, as it does coordinators' notices)."""
    if circle.place is None:
        return
    await uow.outbox.add(
        NewOutbound(
            circle.place.platform,
            circle.place.target_kind,
            circle.place.target_id,
            key,
            params_to_json(params),
            about=about,
        ),
        due_at=now,
        now=now,
    )


async def _on_turn(uow: UnitOfWork, match: Match) -> tuple[Circle, Volunteer] | None:
    """A circle's match: its circle and the member whose turn it is (None for anyone else's)."""
    if match.circle_id is None:
        return None
    circle = await uow.circles.get(match.circle_id)
    writer = await uow.volunteers.get(match.volunteer_id)
    return (circle, writer) if circle is not None and writer is not None else None


async def letter_arrived(
    uow: UnitOfWork, match: Match, due: date, now: datetime, logged_by: int | None = None
) -> None:
    """A letter from her reached a circle: the member whose turn it is (the next who can, if
    she is paused) is told privately, unless she logged it herself; the place hears it too."""
    found = await _on_turn(uow, match)
    if found is None:
        return
    circle, writer = found
    if writer.status is not VolunteerStatus.ACTIVE:
        nxt = await next_writer(uow, circle.id, writer.id)
        if nxt is not None:
            await uow.matches.update(replace(match, volunteer_id=nxt.id))
            writer = nxt
    penpal = await uow.penpals.get(match.penpal_id)
    told = {
        "circle": circle.name,
        "penpal": penpal.preferred_name if penpal else "?",
        "name": writer.display_name,
        "due": due,
    }
    if writer.id != logged_by:
        await tell_volunteer(uow, writer, "circle.your_turn", told, now)
    await tell_place(uow, circle, "circle.place.letter_in", told, now, about=writer.id)


async def letter_answered(
    uow: UnitOfWork, match: Match, now: datetime, by: Volunteer | None = None
) -> None:
    """A letter to her was written (and posted, where the program reads it first), by the
    member whose turn it was or by `by` who helped: the turn moves on from the member whose
    turn it was to the next who can write, who is told; the place hears who wrote it."""
    found = await _on_turn(uow, match)
    if found is None:
        return
    circle, turn = found
    writer = by if by is not None and by.id != turn.id else turn
    nxt = await next_writer(uow, circle.id, turn.id) or turn
    if nxt.id != turn.id:
        await uow.matches.update(replace(match, volunteer_id=nxt.id))
    penpal = await uow.penpals.get(match.penpal_id)
    told = {
        "circle": circle.name,
        "penpal": penpal.preferred_name if penpal else "?",
        "name": writer.display_name,
        "next": nxt.display_name,
    }
    if nxt.id != turn.id:
        await tell_volunteer(uow, nxt, "circle.up_next", told, now)
    await tell_place(uow, circle, "circle.place.answered", told, now, about=writer.id)


def _one_place(volunteer: Volunteer) -> VolunteerSlot:
    """Her as matching sees her, with room for the circle's pen pal (a circle's pen pals count
    against the circle's capacity, not hers)."""
    return replace(slot_of(volunteer, 0), free=1)


async def circle_ready(uow: UnitOfWork, circle: Circle) -> list[Volunteer]:
    """BotError unless the circle can take a pen pal now (approved, two members at least, room
    left); its members in the order they write."""
    if circle.status != "active":
        raise BotError("circle.not_approved_yet", circle=circle.name)
    members = await rotation(uow, circle.id)
    if len(members) < 2:
        raise BotError("circle.too_small", circle=circle.name)
    if len(await uow.matches.of_circle(circle.id)) >= circle.capacity:
        raise BotError("circle.at_capacity", circle=circle.name, count=circle.capacity)
    return members


def unfit(
    members: Sequence[Volunteer], penpal: PenPal, past: Collection[tuple[int, int]]
) -> Volunteer | None:
    """The first member who does not meet her hard rules (a shared language, a woman writer if
    she asked for one, never someone who wrote to her before), if any."""
    her = waiting_of(penpal, 0)
    return next((m for m in members if not eligible(_one_place(m), her, past)), None)


async def check_circle_fits(uow: UnitOfWork, circle: Circle, penpal: PenPal) -> Volunteer:
    """BotError unless the circle can take this pen pal now: ready, she waits, every member
    meets her hard rules. Returns the member who writes first."""
    members = await circle_ready(uow, circle)
    if penpal.status is not PenPalStatus.WAITING:
        raise BotError("circle.penpal_not_waiting", penpal=penpal.preferred_name)
    failing = unfit(members, penpal, await uow.matches.past_pairs())
    if failing is not None:
        raise BotError("circle.rule_fails", name=failing.display_name, penpal=penpal.preferred_name)
    return next((m for m in members if m.status is VolunteerStatus.ACTIVE), members[0])


async def begin_circle_match(
    uow: UnitOfWork, match: Match, matches: Details, actor_label: str, now: datetime
) -> bool:
    """A circle's proposal becomes its match, in the caller's transaction, if the circle can
    still take her (else it is skipped: False). Every member gets her details privately; the
    circle's place hears who writes first."""
    circle = await uow.circles.get(match.circle_id) if match.circle_id else None
    penpal = await uow.penpals.get(match.penpal_id)
    if circle is None or penpal is None:
        return False
    try:
        first = await check_circle_fits(uow, circle, penpal)
    except BotError:
        await uow.matches.update(replace(match, status=MatchStatus.SKIPPED))
        return False
    started = replace(match, volunteer_id=first.id, status=MatchStatus.ACTIVE, confirmed_at=now)
    await uow.matches.update(started)
    await uow.penpals.update(replace(penpal, status=PenPalStatus.MATCHED))
    await send_details(uow, circle, started, await rotation(uow, circle.id), matches, now)
    due = now.date() + timedelta(days=matches.policy.first_letter_days)
    told = {"circle": circle.name, "penpal": penpal.preferred_name}
    place = {**told, "name": first.display_name, "due": due}
    await tell_place(uow, circle, "circle.place.matched", place, now, about=first.id)
    await uow.audit.add(actor_label, "match.confirm", f"match:{match.id}", now)
    return True


async def send_details(
    uow: UnitOfWork,
    circle: Circle,
    match: Match,
    members: Sequence[Volunteer],
    matches: Details,
    now: datetime,
) -> None:
    """Her mailing details to each of these members, privately, with whose turn it is."""
    penpal = await uow.penpals.get(match.penpal_id)
    writer = await uow.volunteers.get(match.volunteer_id)
    if penpal is None:
        return
    for member in members:
        details = await matches.details_for(uow, penpal, member)
        params = {
            **details.params,
            "circle": circle.name,
            "name": writer.display_name if writer else "?",
        }
        await tell_volunteer(uow, member, "circle.details", params, now)
    await uow.audit.add("bot", "penpal.details_sent", f"penpal:{penpal.id}", now)


async def hand_turns_on(
    uow: UnitOfWork, circle: Circle, volunteer: Volunteer, now: datetime, leaving: bool
) -> bool:
    """She is away (`leaving` False) or leaves the circle: each turn she holds goes to the next
    member who can write (leaving, to the next member even if all are away), who is told, and
    the place hears it. False when a turn stayed with her (nobody could take it)."""
    members = [m for m in await rotation(uow, circle.id) if m.id != volunteer.id]
    kept = False
    for match in await uow.matches.of_circle(circle.id):
        if match.volunteer_id != volunteer.id:
            continue
        nxt = await next_writer(uow, circle.id, volunteer.id, skip={volunteer.id})
        nxt = nxt or (members[0] if leaving and members else None)
        if nxt is None:
            kept = True
            continue
        await uow.matches.update(replace(match, volunteer_id=nxt.id))
        penpal = await uow.penpals.get(match.penpal_id)
        told = {"circle": circle.name, "penpal": penpal.preferred_name if penpal else "?"}
        why = "left" if leaving else "away"
        await tell_volunteer(uow, nxt, f"circle.turn_to_you_{why}", told, now)
        await tell_place(
            uow,
            circle,
            f"circle.place.turn_{why}",
            {**told, "name": volunteer.display_name, "next": nxt.display_name},
            now,
            about=volunteer.id,
        )
    return not kept

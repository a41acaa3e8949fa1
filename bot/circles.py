"""Writing circles: volunteers who adopt a pen pal together and answer her letters in turn.

A volunteer creates a circle (`/circle create NAME`) and leads it once a coordinator approves.
The lead invites other active volunteers, who accept or decline privately; members may be on
either platform, and they write in the order they joined. Coordinators match a pen pal to the
circle when the hard rules hold for every member. Her mailing details go to each member
privately, never to the circle's place (a Discord channel or thread, a Telegram group), which
hears only whose turn it is.

A circle's match is an ordinary match whose `volunteer_id` is the member whose turn it is: the
reminders, overdue and silence alerts follow her as they follow a single volunteer. When she
logs her reply the turn moves to the next member (paused members are skipped); she may pass her
turn or ask the others for help. A circle that falls below two members asks its lead and the
coordinators what to do: find members, hand the pen pal to the one left, or end and re-queue
her with her original waiting date (the closing-letter rule applies)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.custody import end_match
from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    AccountRef,
    Actor,
    Button,
    Circle,
    Destination,
    EndReason,
    Match,
    MatchStatus,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.text import normalise
from bot.domain.workspace import CircleRow
from bot.matching.service import MatchService
from bot.messages import Message, msg
from bot.messages.forms import Joined
from bot.notices import tell_coordinators, tell_volunteer
from bot.oversight import find_volunteers
from bot.reminders.policy import ReminderPolicy
from bot.turns import (
    begin_circle_match,
    check_circle_fits,
    due_of,
    hand_turns_on,
    next_writer,
    rotation,
    send_details,
    tell_place,
    unfit,
)

MAX_NAME = 60
MAX_MEMBERS = 8
MAX_PEN_PALS = 5


@dataclass
class CircleService:
    """Writing circles: their members, their pen pals and the turns they write in."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: ReminderPolicy
    matches: MatchService
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = field(default=lambda: None)

    async def _member(self, uow: UnitOfWork, account: AccountRef) -> tuple[int, str]:
        volunteer = await uow.volunteers.by_account(account)
        if volunteer is None or volunteer.status is not VolunteerStatus.ACTIVE:
            raise BotError("circle.active_only")
        return volunteer.id, volunteer.display_name

    async def create(self, account: AccountRef, name: str) -> Message:
        """A new circle led by her, waiting for a coordinator's approval of its lead."""
        text = normalise(name)
        if not 2 <= len(text) <= MAX_NAME:
            raise BotError("circle.bad_name", max=MAX_NAME)
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer_id, display = await self._member(uow, account)
            if await uow.circles.of_volunteer(volunteer_id) is not None:
                raise BotError("circle.already_in")
            if await uow.circles.named(text) is not None:
                raise BotError("circle.name_taken", name=text)
            circle = await uow.circles.add(text, volunteer_id, now)
            await tell_coordinators(
                uow,
                self.coordinators,
                "circle.approve_lead",
                {"circle": text, "id": circle.id, "lead": display},
                (Button("button.approve", "ca", str(circle.id)),),
                now,
                about=volunteer_id,
            )
            await uow.audit.add(_label(account), "circle.create", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.created", circle=text)

    async def approve(self, actor: Actor, circle_id: int) -> Message:
        """A coordinator approves a circle's lead: the circle is active."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            circle = await uow.circles.get(circle_id)
            if circle is None or circle.status == "dissolved":
                raise NotFound("circle.unknown", id=circle_id)
            if circle.status == "active":
                return msg("circle.approved_already", circle=circle.name)
            await uow.circles.set_status(circle.id, "active")
            lead = await uow.volunteers.get(circle.lead_id)
            if lead is not None:
                await tell_volunteer(
                    uow, lead, "circle.lead_approved", {"circle": circle.name}, now
                )
            await uow.audit.add(actor.label, "circle.approve", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.approved", circle=circle.name)

    async def invite(self, account: AccountRef, who: str) -> Message:
        """The lead invites an active volunteer (by @handle or name); she answers privately."""
        if not who.strip():
            raise BotError("circle.invite_usage")
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer_id, display = await self._member(uow, account)
            circle = await uow.circles.of_volunteer(volunteer_id)
            if circle is None or circle.lead_id != volunteer_id:
                raise BotError("circle.lead_only")
            if circle.status != "active":
                raise BotError("circle.not_approved_yet", circle=circle.name)
            if len(await uow.circles.members(circle.id)) >= MAX_MEMBERS:
                raise BotError("circle.full", max=MAX_MEMBERS)
            found = [v for v in await find_volunteers(uow, who, 2) if v.id != volunteer_id]
            if len(found) != 1 or found[0].status is not VolunteerStatus.ACTIVE:
                raise BotError("circle.who", typed=who.strip()[:40])
            invitee = found[0]
            if await uow.circles.of_volunteer(invitee.id) is not None:
                raise BotError("circle.invitee_in_one", name=invitee.display_name)
            unmet = await _unmet(uow, circle, invitee)
            if unmet:
                raise BotError("circle.invitee_unfit", name=invitee.display_name, penpal=unmet)
            invite_id = await uow.circles.invite(circle.id, invitee.id, now)
            buttons = (
                Button("button.circle_join", "cj", str(invite_id)),
                Button("button.circle_decline", "cd", str(invite_id)),
            )
            await tell_volunteer(
                uow,
                invitee,
                "circle.invited",
                {"circle": circle.name, "lead": display},
                now,
                buttons,
            )
            await uow.audit.add(_label(account), "circle.invite", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.invite_sent", name=invitee.display_name, circle=circle.name)

    async def answer(self, account: AccountRef, invite_id: int, join: bool) -> Message:
        """Her answer to an invitation (only hers, and only once). Joining a circle that writes
        to someone already, she gets the mailing details privately."""
        now = self.clock.now()
        async with self.uow() as uow:
            found = await uow.circles.open_invite(invite_id)
            volunteer = await uow.volunteers.by_account(account)
            if found is None or volunteer is None or found[1] != volunteer.id:
                raise NotFound("error.expired")
            circle = await uow.circles.get(found[0])
            if circle is None or circle.status != "active":
                raise NotFound("error.expired")
            await uow.circles.answer_invite(invite_id, "yes" if join else "no", now)
            if not join:
                lead = await uow.volunteers.get(circle.lead_id)
                if lead is not None:
                    told = _told(volunteer, circle)
                    await tell_volunteer(uow, lead, "circle.declined_lead", told, now)
                await uow.commit()
                self.outbox_written()
                return msg("circle.declined", circle=circle.name)
            if volunteer.status is not VolunteerStatus.ACTIVE:
                raise BotError("circle.active_only")
            if await uow.circles.of_volunteer(volunteer.id) is not None:
                raise BotError("circle.already_in")
            if len(await uow.circles.members(circle.id)) >= MAX_MEMBERS:
                raise BotError("circle.full", max=MAX_MEMBERS)
            unmet = await _unmet(uow, circle, volunteer)
            if unmet:  # (the circle took a pen pal since she was invited)
                raise BotError("circle.join_unfit", circle=circle.name, penpal=unmet)
            await uow.circles.add_member(circle.id, volunteer.id, now)
            for match in await uow.matches.of_circle(circle.id):
                await send_details(uow, circle, match, (volunteer,), self.matches, now)
            lead = await uow.volunteers.get(circle.lead_id)
            if lead is not None:
                await tell_volunteer(uow, lead, "circle.joined_lead", _told(volunteer, circle), now)
            joined = _told(volunteer, circle)
            await tell_place(uow, circle, "circle.place.joined", joined, now, about=volunteer.id)
            await uow.audit.add(_label(account), "circle.join", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.joined", circle=circle.name)

    async def leave(self, account: AccountRef) -> Message:
        """She leaves her circle. Her turns pass on; a lead hands the lead to the next member;
        the last member leaving ends the circle (its pen pals wait again, after a closing
        letter)."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer, circle = await self._own_circle(uow, account)
            last = len(await uow.circles.members(circle.id)) == 1
            penpals = len(await uow.matches.of_circle(circle.id)) if last else 0
            await step_out(uow, volunteer, now, self.coordinators, leaving=True)
            await uow.audit.add(_label(account), "circle.leave", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        if penpals:  # the last member: the circle ended, and its pen pals wait again
            return msg("circle.left_last", circle=circle.name, count=penpals)
        return msg("circle.left", circle=circle.name)

    async def show(self, account: AccountRef) -> Message:
        """Her circle: its state, its lead, its members in the order they write, and whom it
        writes to with whose turn it is."""
        async with self.uow() as uow:
            volunteer = await self._someone(uow, account)
            circle = await uow.circles.of_volunteer(volunteer.id)
            if circle is None:
                return msg("circle.none")
            return _described(await _row(uow, circle), "circle.shown")

    async def here(self, actor: Actor, place: Destination, name: str = "") -> Message:
        """The circle talks here from now on (a Discord channel or thread, a Telegram group):
        its lead says so there, or a coordinator naming the circle."""
        now = self.clock.now()
        async with self.uow() as uow:
            circle = await self._placed(uow, actor, name)
            await uow.circles.set_place(circle.id, place)
            await uow.audit.add(actor.label, "circle.place", f"circle:{circle.id}", now)
            await uow.commit()
        return msg("circle.place_set", circle=circle.name)

    async def place_on(self, account: AccountRef) -> str | None:
        """Where her circle talks, when that is on her platform (a Discord thread she joins)."""
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            circle = await uow.circles.of_volunteer(volunteer.id) if volunteer else None
        place = circle.place if circle else None
        return place.target_id if place and place.platform is account.platform else None

    async def place_for(self, actor: Actor, name: str = "") -> tuple[str, list[str]]:
        """Before a place is made for it (a Discord thread): the circle's name and the
        members' accounts on that platform, after the same checks as `here`."""
        async with self.uow() as uow:
            circle = await self._placed(uow, actor, name)
            members = await rotation(uow, circle.id)
        ids = [a.user_id for m in members for a in m.accounts if a.platform is actor.platform]
        return circle.name, ids

    async def _placed(self, uow: UnitOfWork, actor: Actor, name: str) -> Circle:
        """The circle whose place she may choose: her own as its lead, or any (named) as a
        coordinator; approved."""
        if name.strip():
            if not actor.is_coordinator:
                raise NotAllowed()
            circle = await _circle_named(uow, name)
        else:
            volunteer, circle = await self._own_circle(uow, _account(actor))
            if circle.lead_id != volunteer.id:
                raise BotError("circle.lead_only_place")
        if circle.status == "pending":
            raise BotError("circle.not_approved_yet", circle=circle.name)
        return circle

    async def match(self, actor: Actor, which: str, penpal_id: int) -> Message:
        """A coordinator matches a waiting pen pal to a circle: the hard rules must hold for
        every member. Each member gets her details privately; the first in the rotation writes
        first."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            circle = await _circle_named(uow, which)
            penpal = await uow.penpals.get(penpal_id)
            if penpal is None:
                raise NotFound("penpal.unknown", id=penpal_id)
            first = await check_circle_fits(uow, circle, penpal)
            match = await uow.matches.add(
                Match(0, first.id, penpal.id, MatchStatus.PROPOSED, now, circle_id=circle.id)
            )
            await begin_circle_match(uow, match, self.matches, actor.label, now)
            await uow.commit()
        self.outbox_written()
        told = {"circle": circle.name, "penpal": penpal.preferred_name}
        return msg("circle.matched", **told, name=first.display_name, match=match.id)

    async def capacity(self, account: AccountRef, typed: str) -> Message:
        """The lead says how many pen pals the circle takes (never fewer than it has)."""
        text = typed.strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PEN_PALS):
            raise BotError("circle.bad_capacity", max=MAX_PEN_PALS)
        count = int(text)
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer, circle = await self._own_circle(uow, account)
            if circle.lead_id != volunteer.id:
                raise BotError("circle.lead_only_capacity")
            has = len(await uow.matches.of_circle(circle.id))
            if count < has:
                raise BotError("circle.capacity_below", circle=circle.name, count=has)
            await uow.circles.set_capacity(circle.id, count)
            await uow.audit.add(_label(account), "circle.capacity", f"circle:{circle.id}", now)
            await uow.commit()
        return msg("circle.capacity_set", circle=circle.name, count=count)

    async def pass_turn(self, account: AccountRef) -> Message:
        """She cannot write this time: each turn she holds goes to the next member who can."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer, circle = await self._own_circle(uow, account)
            mine = [
                m for m in await uow.matches.of_circle(circle.id) if m.volunteer_id == volunteer.id
            ]
            if not mine:
                raise BotError("circle.not_your_turn", circle=circle.name)
            names = []
            for match in mine:
                nxt = await next_writer(uow, circle.id, volunteer.id, skip={volunteer.id})
                if nxt is None:
                    raise BotError("circle.no_one_to_pass", circle=circle.name)
                names.append(await self._hand_turn(uow, circle, match, volunteer, nxt, now))
            await uow.audit.add(_label(account), "circle.pass", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.passed", names=Joined(tuple(msg("literal", text=n) for n in names)))

    async def _hand_turn(
        self,
        uow: UnitOfWork,
        circle: Circle,
        match: Match,
        giver: Volunteer,
        taker: Volunteer,
        now: datetime,
    ) -> str:
        await uow.matches.update(replace(match, volunteer_id=taker.id))
        penpal = await uow.penpals.get(match.penpal_id)
        name = penpal.preferred_name if penpal else "?"
        due = await due_of(uow, match, self.policy, now.date())
        told = {"circle": circle.name, "penpal": name, "name": giver.display_name}
        key = "circle.turn_passed_due" if due else "circle.turn_passed"
        await tell_volunteer(uow, taker, key, {**told, "due": due or ""}, now)
        passed = {**told, "next": taker.display_name}
        await tell_place(uow, circle, "circle.place.passed", passed, now, about=giver.id)
        return taker.display_name

    async def ask_help(self, account: AccountRef) -> Message:
        """She asks the others for help with a letter: each member is told privately (and the
        circle's place, if it has one)."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer, circle = await self._own_circle(uow, account)
            others = [m for m in await rotation(uow, circle.id) if m.id != volunteer.id]
            if not others:
                raise BotError("circle.alone", circle=circle.name)
            told = {"circle": circle.name, "name": volunteer.display_name}
            for other in others:
                await tell_volunteer(uow, other, "circle.help_asked", told, now)
            await tell_place(uow, circle, "circle.place.help", told, now, about=volunteer.id)
            await uow.audit.add(_label(account), "circle.help", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.help_sent", count=len(others))

    async def settle(self, actor: Actor, circle_id: int, choice: str) -> Message:
        """What becomes of a circle below two members (its lead or a coordinator decides):
        `hand` gives its pen pals to the member left; `end` ends them, and each waits again
        with her original date (after a closing letter)."""
        if choice not in ("hand", "end"):
            raise NotFound("error.expired")
        now = self.clock.now()
        async with self.uow() as uow:
            circle = await uow.circles.get(circle_id)
            if circle is None or circle.status == "dissolved":
                raise NotFound("error.expired")
            if not actor.is_coordinator:
                volunteer = await uow.volunteers.by_account(_account(actor))
                if volunteer is None or volunteer.id != circle.lead_id:
                    raise NotAllowed("circle.settle_who")
            members = await rotation(uow, circle.id)
            matches = await uow.matches.of_circle(circle.id)
            if len(members) >= 2 or not matches:
                return msg("circle.settled_already", circle=circle.name)
            if choice == "hand" and members:
                keeper = members[0]
                for match in matches:
                    await uow.matches.update(replace(match, volunteer_id=keeper.id, circle_id=None))
                    penpal = await uow.penpals.get(match.penpal_id)
                    told = {
                        "circle": circle.name,
                        "penpal": penpal.preferred_name if penpal else "?",
                    }
                    await tell_volunteer(uow, keeper, "circle.handed_to_you", told, now)
                answer = msg("circle.handed", circle=circle.name, name=keeper.display_name)
            else:
                for match in matches:
                    await end_match(
                        uow, match, EndReason.VOLUNTEER_STOPPED, actor.label, now, requeue=True
                    )
                answer = msg("circle.ended_matches", circle=circle.name, count=len(matches))
            await uow.audit.add(actor.label, f"circle.{choice}", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return answer

    async def dissolve(self, actor: Actor, which: str) -> Message:
        """A coordinator ends a circle: its pen pals wait again with their original dates (the
        member whose turn it was writes the closing letter); every member is told."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            circle = await _circle_named(uow, which)
            matches = await uow.matches.of_circle(circle.id)
            for match in matches:
                await end_match(
                    uow, match, EndReason.COORDINATOR_DECISION, actor.label, now, requeue=True
                )
            for member in await rotation(uow, circle.id):
                await uow.circles.remove_member(circle.id, member.id, now)
                await tell_volunteer(
                    uow, member, "circle.dissolved_member", {"circle": circle.name}, now
                )
            await tell_place(uow, circle, "circle.place.dissolved", {"circle": circle.name}, now)
            await uow.circles.set_status(circle.id, "dissolved")
            await uow.audit.add(actor.label, "circle.dissolve", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.dissolved", circle=circle.name, count=len(matches))

    async def overview(self, actor: Actor, which: str = "") -> Message:
        """Coordinators: every circle (or one) with its members, pen pals, turns and letters."""
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            if which.strip():
                row = await _row(uow, await _circle_named(uow, which))
                return _described(row, "circle.shown_coord")
        rows = await self.rows(actor)
        if not rows:
            return msg("circle.none_yet")
        parts = [_described(row, "circle.shown_coord") for row in rows]
        return msg("circle.overview", circles=parts, count=len(parts))

    async def rows(self, actor: Actor) -> list[CircleRow]:
        """Coordinators: every circle not ended, by name."""
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            return [await _row(uow, c) for c in await uow.circles.listed()]

    async def _own_circle(self, uow: UnitOfWork, account: AccountRef) -> tuple[Volunteer, Circle]:
        volunteer = await self._someone(uow, account)
        circle = await uow.circles.of_volunteer(volunteer.id)
        if circle is None:
            raise BotError("circle.none")
        return volunteer, circle

    async def _someone(self, uow: UnitOfWork, account: AccountRef) -> Volunteer:
        volunteer = await uow.volunteers.by_account(account)
        if volunteer is None:
            raise BotError("circle.sign_up_first")
        return volunteer


def _label(account: AccountRef) -> str:
    return f"{account.platform.value}:{account.user_id}"


def _told(volunteer: Volunteer, circle: Circle) -> dict[str, object]:
    """What a notice naming a member and her circle says."""
    return {"name": volunteer.display_name, "circle": circle.name}


def _account(actor: Actor) -> AccountRef:
    return AccountRef(actor.platform, actor.user_id)


async def _unmet(uow: UnitOfWork, circle: Circle, volunteer: Volunteer) -> str:
    """The circle's pen pal whose hard rules she does not meet, if any (her preferred name)."""
    past = await uow.matches.past_pairs()
    for match in await uow.matches.of_circle(circle.id):
        penpal = await uow.penpals.get(match.penpal_id)
        if penpal is not None and unfit((volunteer,), penpal, past) is not None:
            return penpal.preferred_name
    return ""


async def _circle_named(uow: UnitOfWork, which: str) -> Circle:
    """A circle by its number or its name (any case)."""
    text = which.strip().lstrip("#")
    circle = await uow.circles.get(int(text)) if text.isdigit() and len(text) < 10 else None
    circle = circle or await uow.circles.named(normalise(text))
    if circle is None or circle.status == "dissolved":
        raise NotFound("circle.unknown_named", name=which.strip()[:60])
    return circle


async def _row(uow: UnitOfWork, circle: Circle) -> CircleRow:
    """A circle: its members in the order they write, and whom it writes to with whose turn it
    is and how many letters are logged."""
    members = await rotation(uow, circle.id)
    lead = next((m for m in members if m.id == circle.lead_id), None)
    writing = []
    for match in await uow.matches.of_circle(circle.id):
        penpal = await uow.penpals.get(match.penpal_id)
        writer = await uow.volunteers.get(match.volunteer_id)
        writing.append(
            (
                penpal.preferred_name if penpal else "?",
                writer.display_name if writer else "?",
                len(await uow.letters.for_match(match.id)),
            )
        )
    return CircleRow(
        circle.id,
        circle.name,
        circle.status,
        circle.place is not None,
        lead.display_name if lead else "?",
        tuple((m.display_name, m.status is not VolunteerStatus.ACTIVE) for m in members),
        tuple(writing),
        circle.capacity,
    )


def members_cell(row: CircleRow) -> Joined:
    """Its members, those away marked."""
    names = (msg("circle.member_paused" if away else "literal", text=n) for n, away in row.members)
    return Joined(tuple(names))


def writing_lines(row: CircleRow) -> list[Message] | Message:
    """Whom it writes to, one line each, with whose turn it is."""
    lines = [msg("circle.writing_to", penpal=p, name=w, count=n) for p, w, n in row.writing]
    return lines or msg("circle.writing_none")


def _described(row: CircleRow, key: str) -> Message:
    """A circle as its members (or the coordinators) see it."""
    return msg(
        key,
        id=row.circle_id,
        circle=row.name,
        state=msg(f"circle.state.{row.status}"),
        lead=row.lead,
        members=members_cell(row),
        count=len(row.members),
        writing=writing_lines(row),
        place=msg("circle.place_yes" if row.has_place else "circle.place_no"),
        takes=msg("circle.takes", count=row.capacity),
    )


async def step_out(
    uow: UnitOfWork,
    volunteer: Volunteer,
    now: datetime,
    coordinators: Sequence[Destination],
    leaving: bool,
) -> None:
    """She pauses (`leaving` False) or leaves her circle: her turns go to the next member who
    can write. Leaving, she is no longer a member; a lead hands the lead on; the last member
    ends the circle; a circle left with one member and a pen pal asks what to do."""
    circle = await uow.circles.of_volunteer(volunteer.id)
    if circle is None:
        return
    remaining = [m for m in await rotation(uow, circle.id) if m.id != volunteer.id]
    await hand_turns_on(uow, circle, volunteer, now, leaving)
    if not leaving:
        return
    await uow.circles.remove_member(circle.id, volunteer.id, now)
    if not remaining:
        for match in await uow.matches.of_circle(circle.id):
            await end_match(uow, match, EndReason.VOLUNTEER_STOPPED, "volunteer", now, requeue=True)
        await uow.circles.set_status(circle.id, "dissolved")
        return
    lead = next((m for m in remaining if m.id == circle.lead_id), None)
    if lead is None:
        lead = remaining[0]
        await uow.circles.set_lead(circle.id, lead.id)
        await tell_volunteer(uow, lead, "circle.now_lead", {"circle": circle.name}, now)
        await tell_coordinators(
            uow,
            coordinators,
            "circle.lead_handed",
            {"circle": circle.name, "name": lead.display_name, "left": volunteer.display_name},
            (),
            now,
            about=lead.id,
        )
    else:
        await tell_volunteer(uow, lead, "circle.left_lead", _told(volunteer, circle), now)
    await tell_place(
        uow, circle, "circle.place.left", _told(volunteer, circle), now, about=volunteer.id
    )
    if len(remaining) < 2 and await uow.matches.of_circle(circle.id):
        buttons = (
            Button("button.circle_hand", "cg", str(circle.id)),
            Button("button.circle_end", "cq", str(circle.id)),
        )
        told = {"circle": circle.name, "name": lead.display_name}
        await tell_volunteer(uow, lead, "circle.below_two", told, now, buttons)
        await tell_coordinators(
            uow,
            coordinators,
            "circle.below_two_coord",
            {**told, "id": circle.id},
            buttons,
            now,
            about=lead.id,
        )


__all__ = ["Circle", "CircleService", "step_out"]

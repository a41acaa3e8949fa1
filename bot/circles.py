"""Writing circles: volunteers who adopt a pen pal together and answer her letters in turn.

This first part is the circle itself. A volunteer creates one (`/circle create NAME`) and leads
it; a coordinator approves the lead (the coordinators are told). The lead invites other active
volunteers (`/circle invite @handle`, or her name), who accept or decline privately. Members
leave when they want (the lead last: she ends the circle). Members may be on either platform, and
their place in the rotation is the order they joined. Matching a circle, the rotation of letters
and the circle's own chat come next (issue 22)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import AccountRef, Actor, Button, Circle, Destination, VolunteerStatus
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.text import normalise
from bot.messages import Message, msg
from bot.messages.forms import Joined
from bot.notices import tell_coordinators, tell_volunteer
from bot.oversight import find_volunteers

MAX_NAME = 60
MAX_MEMBERS = 8


@dataclass
class CircleService:
    """Creating, joining and leaving writing circles."""

    uow: UnitOfWorkFactory
    clock: Clock
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
        """Her answer to an invitation (only hers, and only once)."""
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
                await uow.commit()
                return msg("circle.declined", circle=circle.name)
            if volunteer.status is not VolunteerStatus.ACTIVE:
                raise BotError("circle.active_only")
            if await uow.circles.of_volunteer(volunteer.id) is not None:
                raise BotError("circle.already_in")
            await uow.circles.add_member(circle.id, volunteer.id, now)
            lead = await uow.volunteers.get(circle.lead_id)
            if lead is not None:
                told = {"name": volunteer.display_name, "circle": circle.name}
                await tell_volunteer(uow, lead, "circle.joined_lead", told, now)
            await uow.audit.add(_label(account), "circle.join", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.joined", circle=circle.name)

    async def leave(self, account: AccountRef) -> Message:
        """She leaves her circle; the lead can leave only as its last member (it ends)."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer_id, display = await self._member_any(uow, account)
            circle = await uow.circles.of_volunteer(volunteer_id)
            if circle is None:
                raise BotError("circle.none")
            members = await uow.circles.members(circle.id)
            if circle.lead_id == volunteer_id and len(members) > 1:
                raise BotError("circle.lead_stays", circle=circle.name)
            await uow.circles.remove_member(circle.id, volunteer_id, now)
            if circle.lead_id == volunteer_id:
                await uow.circles.set_status(circle.id, "dissolved")
            else:
                lead = await uow.volunteers.get(circle.lead_id)
                if lead is not None:
                    told = {"name": display, "circle": circle.name}
                    await tell_volunteer(uow, lead, "circle.left_lead", told, now)
            await uow.audit.add(_label(account), "circle.leave", f"circle:{circle.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("circle.left", circle=circle.name)

    async def show(self, account: AccountRef) -> Message:
        """Her circle: its state, its lead, its members in the order they write."""
        async with self.uow() as uow:
            volunteer_id, _ = await self._member_any(uow, account)
            circle = await uow.circles.of_volunteer(volunteer_id)
            if circle is None:
                return msg("circle.none")
            names = []
            for member in await uow.circles.members(circle.id):
                volunteer = await uow.volunteers.get(member.volunteer_id)
                names.append(volunteer.display_name if volunteer else "?")
        return msg(
            "circle.shown",
            circle=circle.name,
            state=msg(f"circle.state.{circle.status}"),
            lead=names[0] if names else "?",
            members=Joined(tuple(msg("literal", text=n) for n in names)),
            count=len(names),
        )

    async def _member_any(self, uow: UnitOfWork, account: AccountRef) -> tuple[int, str]:
        volunteer = await uow.volunteers.by_account(account)
        if volunteer is None:
            raise BotError("circle.sign_up_first")
        return volunteer.id, volunteer.display_name


def _label(account: AccountRef) -> str:
    return f"{account.platform.value}:{account.user_id}"


__all__ = ["Circle", "CircleService"]

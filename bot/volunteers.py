"""Volunteer profiles (/me) and coordinators' approval or rejection of sign-ups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import AccountRef, Actor, Platform, SentPart, VolunteerStatus
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import Message, msg
from bot.notices import tell_volunteer
from bot.signup import profile_params, status_of

LONGEST_REASON = 1000
"""Characters of a rejection's reason (one private message)."""


@dataclass
class VolunteerService:
    """Reads volunteers' own profiles and applies coordinators' decisions on sign-ups."""

    uow: UnitOfWorkFactory
    clock: Clock
    outbox_written: Callable[[], None] = field(default=lambda: None)

    async def profile(self, account: AccountRef) -> Message:
        """The volunteer's own profile and status, or a hint to sign up."""
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            signing_up = volunteer is None and await uow.drafts.get(account) is not None
        if volunteer is None:
            return msg("me.signing_up" if signing_up else "me.none")
        return Message(
            "me.profile", profile_params(volunteer) | {"status": status_of(volunteer, True)}
        )

    async def shown(self, volunteer_id: int, platform: Platform, where: Sequence[SentPart]) -> None:
        """A coordinator's answer that names this volunteer was shown in a lasting message:
        remembered, so that her erasure reaches it."""
        async with self.uow() as uow:
            if await uow.volunteers.get(volunteer_id) is not None:
                await uow.outbox.remember(platform, where, volunteer_id, self.clock.now())
                await uow.commit()

    async def reject_ask(self, volunteer_id: int, actor: Actor) -> tuple[Message, bool]:
        """Before a rejection: how to give her the reason (or none). False when she was already
        handled (the answer says how)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            volunteer = await uow.volunteers.get(volunteer_id)
        if volunteer is None:
            raise NotFound("error.expired")
        params = profile_params(volunteer)
        if volunteer.status is not VolunteerStatus.PENDING:
            return Message("coord.already", params), False
        return Message("coord.reject_ask", params), True

    async def decide(
        self, volunteer_id: int, approve: bool, actor: Actor, reason: str = ""
    ) -> Message:
        """Approve or reject a pending volunteer; only coordinators may, and it is audited. A
        rejection's `reason` goes to her as the coordinator wrote it."""
        if not actor.is_coordinator:
            raise NotAllowed()
        reason = reason.strip()
        if len(reason) > LONGEST_REASON:
            raise BotError("coord.reason_too_long", limit=LONGEST_REASON)
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await uow.volunteers.get(volunteer_id)
            if volunteer is None:
                raise NotFound("error.expired")
            params = profile_params(volunteer)
            if volunteer.status is not VolunteerStatus.PENDING:
                return Message("coord.already", params)
            status = VolunteerStatus.ACTIVE if approve else VolunteerStatus.REJECTED
            await uow.volunteers.set_status(volunteer.id, status, now)
            await uow.audit.add(
                actor.label,
                "volunteer.approve" if approve else "volunteer.reject",
                f"volunteer:{volunteer.id}",
                now,
            )
            key = "volunteer.approved" if approve else "volunteer.rejected"
            told: dict[str, object] = {"name": volunteer.display_name}
            if reason and not approve:
                key, told["reason"] = "volunteer.rejected_reason", reason
            await tell_volunteer(uow, volunteer, key, told, now)
            await uow.commit()
        self.outbox_written()
        if approve:
            return Message("coord.approved", params)
        return Message("coord.rejected_reason" if reason else "coord.rejected", params)

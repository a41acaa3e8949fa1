"""Volunteer profiles (/me) and coordinators' approval or rejection of sign-ups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.domain.clock import Clock
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.models import AccountRef, Actor, Platform, SentPart, VolunteerStatus
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import Message, msg
from bot.notices import tell_volunteer
from bot.signup import profile_params, status_of


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

    async def decide(self, volunteer_id: int, approve: bool, actor: Actor) -> Message:
        """Approve or reject a pending volunteer; only coordinators may, and it is audited."""
        if not actor.is_coordinator:
            raise NotAllowed()
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
            await tell_volunteer(uow, volunteer, key, {"name": volunteer.display_name}, now)
            await uow.commit()
        self.outbox_written()
        return Message("coord.approved" if approve else "coord.rejected", params)

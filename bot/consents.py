"""A new version of the program's guidelines: every volunteer accepts it again.

Each day the volunteers (active or on a break) who accepted another version are asked, with
the new text and an "I agree" button; halfway through `reconsent_days` they are reminded
once, and at the end the coordinators are told. Until she accepts, a volunteer gets no new pen
pal (the matching pool leaves her out); her letters and reminders go on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.domain.models import AccountRef, Button, Destination, VolunteerStatus
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import GUIDELINES_VERSION, Message, days, msg
from bot.notices import tell_coordinators, tell_volunteer
from bot.questions import Guidelines


@dataclass
class ConsentService:
    """Asking volunteers to accept a changed version of the guidelines."""

    uow: UnitOfWorkFactory
    clock: Clock
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = field(default=lambda: None)
    guidelines: Guidelines | None = None
    """The program's own guidelines, else the bot's (`signup.guidelines`)."""
    reconsent_days: int = 14

    @property
    def version(self) -> str:
        return self.guidelines.version if self.guidelines else GUIDELINES_VERSION

    def _text(self) -> object:
        return self.guidelines.text if self.guidelines else msg("signup.guidelines")

    async def check(self) -> int:
        """Ask, remind (once) or tell the coordinators, as each request's days pass; how many
        messages were written."""
        now = self.clock.now()
        written = 0
        async with self.uow() as uow:
            volunteers = [
                v
                for status in (VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED)
                for v in await uow.volunteers.with_status(status)
                if v.guidelines_version != self.version
            ]
            for volunteer in volunteers:
                asked = await uow.consents.get(volunteer.id)
                params = {"text": self._text(), "version": self.version}
                agree = (Button("button.agree", "ga", str(volunteer.id)),)
                if asked is None or asked.version != self.version:
                    await uow.consents.ask(volunteer.id, self.version, now)
                    await tell_volunteer(uow, volunteer, "guidelines.changed", params, now, agree)
                elif asked.reminded_at is None and now - asked.asked_at >= timedelta(
                    days=self.reconsent_days / 2
                ):
                    await uow.consents.mark(volunteer.id, "reminded", now)
                    await tell_volunteer(uow, volunteer, "guidelines.reminder", params, now, agree)
                elif asked.escalated_at is None and now - asked.asked_at >= timedelta(
                    days=self.reconsent_days
                ):
                    await uow.consents.mark(volunteer.id, "escalated", now)
                    await tell_coordinators(
                        uow,
                        self.coordinators,
                        "coord.alert.no_reconsent",
                        {
                            "volunteer": volunteer.display_name,
                            "id": volunteer.id,
                            "days": days(self.reconsent_days),
                        },
                        (),
                        now,
                        about=volunteer.id,
                    )
                else:
                    continue
                written += 1
            await uow.commit()
        if written:
            self.outbox_written()
        return written

    async def agree(self, account: AccountRef, volunteer_id: int) -> Message:
        """She accepts the guidelines as they are now (only from one of her own accounts)."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            if volunteer is None or volunteer.id != volunteer_id:
                raise NotFound("error.expired")
            if volunteer.guidelines_version == self.version:
                return msg("guidelines.accepted_already")
            await uow.volunteers.update(
                replace(
                    volunteer,
                    guidelines_version=self.version,
                    consented_at=now,
                    updated_at=now,
                )
            )
            await uow.consents.done(volunteer.id)
            await uow.audit.add(
                "volunteer", "volunteer.reconsent", f"volunteer:{volunteer.id}", now
            )
            await uow.commit()
        return msg("guidelines.accepted")

"""Browse mode: volunteers page through anonymised profiles and ask to write to one woman.

A profile shows only her preferred name, pronouns, languages, interests, the kind of letters she
would like, how long she has waited and her own short description: never her committed name, ID
number, facility or release date. A request follows the same hard rules as matching.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from bot.domain.clock import Clock
from bot.domain.errors import BotError
from bot.domain.languages import names
from bot.domain.models import (
    AccountRef,
    Button,
    Circle,
    Destination,
    Match,
    MatchStatus,
    PenPal,
    PenPalStatus,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.matching.service import MatchService
from bot.matching.types import eligible, slot_of, waiting_of
from bot.messages import Message, days, msg
from bot.notices import tell_coordinators
from bot.turns import check_circle_fits, circle_ready, unfit

PAGE_SIZE = 5


@dataclass(frozen=True)
class BrowsePage:
    """One page of profiles, with the ids a request button may carry."""

    heading: Message
    profiles: tuple[tuple[int, str, Message], ...]  # (pen pal id, preferred name, profile)
    page: int
    pages: int
    circle: bool = False
    """For a circle's lead: her requests are for her circle."""


@dataclass
class BrowseService:
    """Lists waiting pen pals a volunteer could write to, and takes her requests."""

    uow: UnitOfWorkFactory
    clock: Clock
    matches: MatchService
    enabled: bool
    approval_required: bool
    coordinators: tuple[Destination, ...]
    outbox_written: Callable[[], None] = field(default=lambda: None)

    async def page(self, account: AccountRef, page: int = 1) -> BrowsePage:
        """Page `page` (from 1) of the women she could write to, longest waiting first."""
        async with self.uow() as uow:
            _, candidates = await self._candidates(uow, account)
        return self._paged(candidates, page)

    def _paged(self, candidates: list[PenPal], page: int, circle: bool = False) -> BrowsePage:
        pages = max(1, -(-len(candidates) // PAGE_SIZE))
        page = min(max(page, 1), pages)
        if not candidates:
            return BrowsePage(msg("browse.empty"), (), 1, 1, circle)
        today = self.clock.now().date()
        shown = candidates[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        profiles = tuple((p.id, p.preferred_name, _profile(p, today)) for p in shown)
        heading = msg("browse.circle_page" if circle else "browse.page", page=page, pages=pages)
        return BrowsePage(heading, profiles, page, pages, circle)

    async def request(self, account: AccountRef, penpal_id: int) -> Message:
        """She asks to write to one woman: a proposal for coordinators, or a match at once."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer, candidates = await self._candidates(uow, account)
            chosen = next((p for p in candidates if p.id == penpal_id), None)
            if chosen is None:
                penpal = await uow.penpals.get(penpal_id)
                return msg("browse.request_gone", name=penpal.preferred_name if penpal else "?")
            open_requests = await uow.matches.for_volunteer(volunteer.id, [MatchStatus.PROPOSED])
            if any(m.penpal_id == penpal_id for m in open_requests):
                return msg("browse.already", name=chosen.preferred_name)
            match = await uow.matches.add(
                Match(0, volunteer.id, penpal_id, MatchStatus.PROPOSED, now)
            )
            label = f"{account.platform.value}:{account.user_id}"
            await uow.audit.add(label, "browse.request", f"match:{match.id}", now)
            if self.approval_required:
                shared = set(volunteer.languages) & set(chosen.languages)
                languages = names(sorted(shared))
                told = {"volunteer": volunteer.display_name, "languages": languages}
                await self._ask(uow, "browse.request_for_coordinators", told, match, chosen, now)
                result = msg("browse.requested", name=chosen.preferred_name)
            elif await self.matches.confirm_in(uow, match, label):
                result = msg("browse.confirmed", name=chosen.preferred_name)
                await tell_coordinators(
                    uow,
                    self.coordinators,
                    "browse.chosen_for_coordinators",
                    {
                        "volunteer": volunteer.display_name,
                        "penpal": chosen.preferred_name,
                        "id": match.id,
                    },
                    (),
                    now,
                    about=volunteer.id,
                )
            else:
                result = msg("browse.request_gone", name=chosen.preferred_name)
            await uow.commit()
        self.outbox_written()
        return result

    async def circle_page(self, account: AccountRef, page: int = 1) -> BrowsePage:
        """For a circle's lead: page `page` of the women every member of her circle could
        write to, longest waiting first."""
        async with self.uow() as uow:
            _, _, candidates = await self._circle_candidates(uow, account)
        return self._paged(candidates, page, circle=True)

    async def circle_request(self, account: AccountRef, penpal_id: int) -> Message:
        """The lead asks for one woman for her circle: a proposal for the coordinators, or
        the circle's match at once (every member then gets her details privately)."""
        now = self.clock.now()
        async with self.uow() as uow:
            lead, circle, candidates = await self._circle_candidates(uow, account)
            chosen = next((p for p in candidates if p.id == penpal_id), None)
            if chosen is None:
                penpal = await uow.penpals.get(penpal_id)
                return msg("browse.request_gone", name=penpal.preferred_name if penpal else "?")
            asked = [m for m in await uow.matches.for_penpal(penpal_id)]
            if any(m.circle_id == circle.id and m.status is MatchStatus.PROPOSED for m in asked):
                return msg("browse.already", name=chosen.preferred_name)
            first = await check_circle_fits(uow, circle, chosen)
            match = await uow.matches.add(
                Match(0, first.id, penpal_id, MatchStatus.PROPOSED, now, circle_id=circle.id)
            )
            label = f"{account.platform.value}:{account.user_id}"
            await uow.audit.add(label, "browse.circle_request", f"match:{match.id}", now)
            if self.approval_required:
                told = {"volunteer": lead.display_name, "circle": circle.name}
                key = "browse.circle_request_for_coordinators"
                await self._ask(uow, key, told, replace(match, volunteer_id=lead.id), chosen, now)
                result = msg("browse.requested", name=chosen.preferred_name)
            elif await self.matches.confirm_in(uow, match, label):
                result = msg("browse.circle_confirmed", name=chosen.preferred_name)
            else:
                result = msg("browse.request_gone", name=chosen.preferred_name)
            await uow.commit()
        self.outbox_written()
        return result

    async def _ask(
        self,
        uow: UnitOfWork,
        key: str,
        told: Mapping[str, object],
        match: Match,
        penpal: PenPal,
        now: datetime,
    ) -> None:
        """A request waits for the coordinators: Confirm or Skip (the notice names the one
        who asked, `match.volunteer_id`)."""
        params = {
            **told,
            "id": match.id,
            "penpal": penpal.preferred_name,
            "days": days(max(0, (now.date() - penpal.waiting_since).days)),
        }
        buttons = (
            Button("button.confirm", "mc", str(match.id)),
            Button("button.skip", "mk", str(match.id)),
        )
        await tell_coordinators(
            uow, self.coordinators, key, params, buttons, now, about=match.volunteer_id
        )

    async def _circle_candidates(
        self, uow: UnitOfWork, account: AccountRef
    ) -> tuple[Volunteer, Circle, list[PenPal]]:
        if not self.enabled:
            raise BotError("browse.off")
        volunteer = await uow.volunteers.by_account(account)
        circle = await uow.circles.of_volunteer(volunteer.id) if volunteer else None
        if volunteer is None or circle is None or circle.lead_id != volunteer.id:
            raise BotError("circle.lead_only_browse")
        members = await circle_ready(uow, circle)
        past = await uow.matches.past_pairs()
        waiting = [p for p in await uow.penpals.all() if p.status is PenPalStatus.WAITING]
        found = [p for p in waiting if unfit(members, p, past) is None]
        return volunteer, circle, sorted(found, key=lambda p: (p.waiting_since, p.id))

    async def _candidates(
        self, uow: UnitOfWork, account: AccountRef
    ) -> tuple[Volunteer, list[PenPal]]:
        if not self.enabled:
            raise BotError("browse.off")
        volunteer = await uow.volunteers.by_account(account)
        if volunteer is None or volunteer.status is not VolunteerStatus.ACTIVE:
            raise BotError("browse.not_active")
        slot = slot_of(volunteer, (await uow.matches.active_counts()).get(volunteer.id, 0))
        if slot.free <= 0:
            raise BotError("browse.not_active")
        past = await uow.matches.past_pairs()
        waiting = [p for p in await uow.penpals.all() if p.status is PenPalStatus.WAITING]
        found = [p for p in waiting if eligible(slot, waiting_of(p, 0), past)]
        return volunteer, sorted(found, key=lambda p: (p.waiting_since, p.id))


def _profile(p: PenPal, today: date) -> Message:
    """Her anonymised profile: nothing that identifies her or where she is."""
    return msg(
        "browse.profile",
        name=p.preferred_name,
        pronouns=f" ({p.pronouns})" if p.pronouns else "",
        languages=names(p.languages),
        interests=", ".join(p.interests) or msg("none"),
        kinds=", ".join(p.correspondence_kinds) or msg("none"),
        days=days(max(0, (today - p.waiting_since).days)),
        description=p.description,
    )

"""Matching runs, their proposals, and what coordinators and volunteers do with them."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from bot.domain import languages as spoken
from bot.domain.clock import Clock
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.models import (
    AccountRef,
    Actor,
    Match,
    MatchStatus,
    PenPal,
    PenPalStatus,
    Platform,
    SentPart,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.matching.solver import InProcessSolver, Request, Solver, SolverFailed
from bot.matching.types import Weights, eligible, pair_score, slot_of, waiting_of
from bot.messages import Message, days, msg
from bot.notices import tell_volunteer
from bot.reminders.policy import MatchRhythm, ReminderPolicy, reply_cycle
from bot.turns import begin_circle_match

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """A sentence for the coordinator, and the proposal it shows, if any: its Confirm, Skip
    and Someone else buttons act on that match id (adapters never read it from the text)."""

    message: Message
    proposal: int | None = None


@dataclass
class RunCounts:
    """Matching runs since the process started, and the seconds spent solving them."""

    done: int = 0
    failed: int = 0
    seconds: float = 0.0


@dataclass
class MatchService:
    """Runs the matching engine over the database and applies coordinators' decisions."""

    uow: UnitOfWorkFactory
    clock: Clock
    outbox_written: Callable[[], None] = field(default=lambda: None)
    weights: Weights = field(default_factory=Weights)
    solver: Solver | None = None
    """Where the engine runs: a bot's composition root gives a child process; by default it
    runs in this process (tests)."""

    runs: RunCounts = field(default_factory=lambda: RunCounts())
    policy: ReminderPolicy = field(default_factory=ReminderPolicy)
    """The rhythm of letters: when a first letter and a reply are due."""
    sender: ReturnAddress = field(default_factory=lambda: ReturnAddress())
    """What goes on the envelopes as the sender (the program's return address)."""

    def __post_init__(self) -> None:
        if self.solver is None:
            self.solver = InProcessSolver(self.uow)

    async def prepare(self) -> None:
        """At start: the engine's compiled code is made ready if it never was."""
        assert self.solver is not None
        await self.solver.prepare()

    async def run(self, actor: Actor, seed: int | None = None) -> list[Answer]:
        """Propose pairs for the whole waiting list; earlier open proposals are withdrawn. The
        first answer sums the run up; each next one is a proposal."""
        if not actor.is_coordinator:
            raise NotAllowed()
        seed = secrets.randbits(63) if seed is None else seed
        today = self.clock.now().date()
        started = time.perf_counter()
        try:
            assert self.solver is not None
            solution = await self.solver.solve(Request(today, seed, self.weights))
        except SolverFailed as failed:  # nothing was written; open proposals stay open
            log.warning("a matching run failed: %s", failed)
            self.runs.failed += 1
            return [Answer(msg("match.failed"))]
        finally:
            self.runs.seconds += time.perf_counter() - started
        self.runs.done += 1
        found, names, preferred = solution.proposals, solution.volunteers, solution.penpals
        now = self.clock.now()
        async with self.uow() as uow:
            await uow.matches.skip_open_proposals()
            run_id = await uow.matches.add_run(seed, actor.label, now)
            out = [
                Answer(
                    msg("match.run", run=run_id, count=len(found)) if found else msg("match.none")
                )
            ]
            ids = await uow.matches.add_run_proposals(
                run_id,
                [
                    Match(
                        0,
                        p.volunteer_id,
                        p.penpal_id,
                        MatchStatus.PROPOSED,
                        now,
                        run_id=run_id,
                        score=p.score,
                    )
                    for p in found
                ],
            )
            for proposal, stored in zip(found, ids, strict=True):
                shown = msg(
                    "match.proposal",
                    id=stored,
                    volunteer=names[proposal.volunteer_id],
                    penpal=preferred[proposal.penpal_id],
                    languages=spoken.names(proposal.shared_languages),
                    interests=", ".join(proposal.shared_interests) or msg("none"),
                    days=days(proposal.days_waiting),
                )
                out.append(Answer(shown, stored))
            await uow.audit.add(actor.label, "matching.run", f"run:{run_id}", now)
            await uow.commit()
        return out

    async def decide(self, match_id: int, confirm: bool, actor: Actor) -> Message:
        """Confirm (re-checking every hard rule) or skip one proposal."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            found = await _open_proposal(uow, match_id)
            volunteer = await uow.volunteers.get(found[0].volunteer_id) if found else None
            if found is None or volunteer is None:
                return msg("match.already", id=match_id)
            match, penpal = found
            names = {
                "id": match_id,
                "volunteer": volunteer.display_name,
                "penpal": penpal.preferred_name,
            }
            if not confirm:
                await uow.matches.update(replace(match, status=MatchStatus.SKIPPED))
                await uow.audit.add(actor.label, "match.skip", f"match:{match_id}", now)
                await uow.commit()
                return Message("match.skipped", names)
            confirmed = await self.confirm_in(uow, match, actor.label)
            await uow.commit()
        self.outbox_written()
        return Message("match.confirmed" if confirmed else "match.gone", names)

    async def shown(self, match_id: int, platform: Platform, where: Sequence[SentPart]) -> None:
        """A proposal was shown in a coordinator's chat (a lasting message, not ephemeral):
        remembered, so that the volunteer's erasure reaches it."""
        async with self.uow() as uow:
            match = await uow.matches.get(match_id)
            if match is not None:
                await uow.outbox.remember(platform, where, match.volunteer_id, self.clock.now())
                await uow.commit()

    async def swap(self, match_id: int, actor: Actor) -> Answer:
        """Skip this proposal and propose the best other volunteer for the same pen pal."""
        if not actor.is_coordinator:
            raise NotAllowed()
        now = self.clock.now()
        async with self.uow() as uow:
            found = await _open_proposal(uow, match_id)
            if found is None:
                return Answer(msg("match.already", id=match_id))
            match, penpal = found
            await uow.matches.update(replace(match, status=MatchStatus.SKIPPED))
            taken = await uow.matches.active_counts()
            for other in await uow.matches.open_proposals():  # room already promised elsewhere
                taken[other.volunteer_id] = taken.get(other.volunteer_id, 0) + 1
            # Never the same pair twice, nor anyone already turned down for her.
            past = await uow.matches.past_pairs() | {
                (m.volunteer_id, penpal.id) for m in await uow.matches.for_penpal(penpal.id)
            }
            her = waiting_of(penpal, (now.date() - penpal.waiting_since).days)
            options = [
                (pair_score(slot, her, match.run_id or 0, self.weights), volunteer)
                for volunteer in await uow.volunteers.with_status(VolunteerStatus.ACTIVE)
                if eligible(slot := slot_of(volunteer, taken.get(volunteer.id, 0)), her, past)
            ]
            await uow.audit.add(actor.label, "match.swap", f"match:{match_id}", now)
            if not options:
                await uow.commit()
                return Answer(msg("match.no_swap", id=match_id, penpal=penpal.preferred_name))
            score, volunteer = max(options, key=lambda o: (o[0], -o[1].id))
            saved = await uow.matches.add(
                Match(
                    0,
                    volunteer.id,
                    penpal.id,
                    MatchStatus.PROPOSED,
                    now,
                    run_id=match.run_id,
                    score=score,
                )
            )
            slot = slot_of(volunteer, 0)
            result = msg(
                "match.proposal",
                id=saved.id,
                volunteer=volunteer.display_name,
                penpal=penpal.preferred_name,
                languages=spoken.names(sorted(slot.languages & her.languages)),
                interests=", ".join(sorted(slot.interests & her.interests)) or msg("none"),
                days=days(her.days_waiting),
            )
            await uow.commit()
        return Answer(result, saved.id)

    async def confirm_in(self, uow: UnitOfWork, match: Match, actor_label: str) -> bool:
        """Inside a transaction: re-check every hard rule, then make the match and send her
        mailing details privately. False (and the proposal skipped) when a rule fails now."""
        now = self.clock.now()
        if match.circle_id is not None:  # a circle's lead asked for her (browse mode)
            return await begin_circle_match(uow, match, self, actor_label, now)
        volunteer = await uow.volunteers.get(match.volunteer_id)
        penpal = await uow.penpals.get(match.penpal_id)
        if volunteer is None or penpal is None:
            return False
        taken = (await uow.matches.active_counts()).get(volunteer.id, 0)
        still_possible = (
            volunteer.status is VolunteerStatus.ACTIVE
            and penpal.status is PenPalStatus.WAITING
            and eligible(
                slot_of(volunteer, taken), waiting_of(penpal, 0), await uow.matches.past_pairs()
            )
        )
        if not still_possible:
            await uow.matches.update(replace(match, status=MatchStatus.SKIPPED))
            return False
        await uow.matches.update(replace(match, status=MatchStatus.ACTIVE, confirmed_at=now))
        await uow.penpals.update(replace(penpal, status=PenPalStatus.MATCHED))
        details = await self.details(uow, penpal, self.sender.of(volunteer.signs_as))
        due = now.date() + timedelta(days=self.policy.first_letter_days)
        await tell_volunteer(uow, volunteer, "match.details", {**details.params, "due": due}, now)
        await uow.audit.add(actor_label, "match.confirm", f"match:{match.id}", now)
        await uow.audit.add(actor_label, "penpal.details_sent", f"penpal:{penpal.id}", now)
        return True

    async def mine(self, account: AccountRef) -> list[Message]:
        """A volunteer's own pen pals with their mailing details (for a private reply only)."""
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            if volunteer is None:
                return [msg("me.none")]
            matches = await uow.matches.for_volunteer(
                volunteer.id, [MatchStatus.ACTIVE, MatchStatus.PAUSED]
            )
            circle = await uow.circles.of_volunteer(volunteer.id)
            if circle is not None:
                matches += await uow.matches.of_circle(circle.id)
            today = now.date()
            rhythms = {
                item.rhythm.match_id: item.rhythm
                for item in await uow.letters.active(today, volunteer_id=volunteer.id)
            }
            out = []
            for match in matches:
                penpal = await uow.penpals.get(match.penpal_id)
                if penpal is None:
                    continue
                details = await self.details(uow, penpal, self.sender.of(volunteer.signs_as))
                standing = self._standing(rhythms.get(match.id), volunteer, today)
                theirs = match.circle_id is not None and match.volunteer_id != volunteer.id
                if circle is not None and theirs:
                    writer = await uow.volunteers.get(match.volunteer_id)
                    name = writer.display_name if writer else "?"
                    standing = msg("circle.standing", circle=circle.name, name=name)
                out.append(msg("match.mine", **details.params, standing=standing))
                await uow.audit.add(
                    f"{account.platform.value}:{account.user_id}",
                    "penpal.read",
                    f"penpal:{penpal.id}",
                    now,
                )
            await uow.commit()
        return out or [msg("match.mine_none")]

    def _standing(
        self, rhythm: MatchRhythm | None, volunteer: Volunteer, today: date
    ) -> Message | str:
        """Where her letters with one pen pal stand: what is due next, and by when."""
        if volunteer.status is VolunteerStatus.PAUSED:
            if volunteer.paused_until is None:
                return msg("mine.paused")
            return msg("mine.paused_until", until=volunteer.paused_until)
        if rhythm is None:
            return ""
        waiting = reply_cycle(rhythm)
        if waiting is not None:
            due = waiting.dated + timedelta(days=self.policy.reply_days)
            key = "mine.reply" if due >= today else "mine.reply_late"
            return msg(key, dated=waiting.dated, due=due)
        if rhythm.last_out is None:
            due = rhythm.confirmed_on + timedelta(days=self.policy.first_letter_days)
            return msg("mine.first" if due >= today else "mine.first_late", due=due)
        return msg("mine.wrote", dated=rhythm.last_out.dated)

    async def details_for(self, uow: UnitOfWork, penpal: PenPal, volunteer: Volunteer) -> Message:
        """Her mailing details as this volunteer writes them (with her return address)."""
        return await self.details(uow, penpal, self.sender.of(volunteer.signs_as))

    @staticmethod
    async def details(uow: UnitOfWork, penpal: PenPal, sender: Message | str = "") -> Message:
        """Her mailing details as the matched volunteer needs them (private channels only),
        with what to write as the sender (`ReturnAddress.of`)."""
        custody = await uow.penpals.custody(penpal.id)
        facility = await uow.facilities.get(custody.facility_id) if custody else None
        return msg(
            "match.details",
            penpal=penpal.preferred_name,
            pronouns=f" ({penpal.pronouns})" if penpal.pronouns else "",
            committed_name=penpal.committed_name,
            id_number=custody.id_number if custody else "?",
            address="\n".join(facility.address_lines) if facility else "?",
            facility=facility.name if facility else "?",
            rules=facility.mail_rules if facility and facility.mail_rules else msg("none"),
            sender=sender,
        )


@dataclass(frozen=True)
class ReturnAddress:
    """The program's return address (`[program] return_address`), which goes on every
    envelope instead of the volunteer's own; in forwarding programs she signs with her name
    (or pen name) and the woman writes back to that name at the program's address."""

    return_address: str = ""
    forwarding: bool = False

    def of(self, name: str) -> Message | str:
        """What the volunteer called `name` writes as the sender."""
        if not self.return_address.strip():
            return ""
        address = self.return_address.strip()
        if self.forwarding:
            return msg("match.sender_forwarding", address=address, name=name)
        return msg("match.sender", address=address)


async def _open_proposal(uow: UnitOfWork, match_id: int) -> tuple[Match, PenPal] | None:
    """The proposal and its pen pal; None when it was already handled. Unknown ids (forged or
    from a wiped database) are an expired menu."""
    match = await uow.matches.get(match_id)
    if match is None:
        raise NotFound("error.expired")
    penpal = await uow.penpals.get(match.penpal_id)
    if match.status is not MatchStatus.PROPOSED or penpal is None:
        return None
    return match, penpal

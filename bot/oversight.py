"""What coordinators look at: sign-ups waiting for approval, one volunteer in full with her
reliability, the waiting list, the program's numbers, and the audit trail. Coordinators only,
checked here on every call (and every page button); each look at someone's data is audited."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.addresses import address_state
from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.languages import names
from bot.domain.models import (
    Actor,
    EndReason,
    LetterDirection,
    Match,
    MatchStatus,
    PenPal,
    PenPalStatus,
    QuizResult,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.timezones import zone_name
from bot.letters import overdue_rows
from bot.messages import Message, days, msg
from bot.messages.forms import Joined, Month
from bot.reminders.policy import LetterMark, ReminderPolicy, answers
from bot.signup import status_of
from bot.training import score_line

PER_PAGE = {"pending": 5, "penpals": 15, "audit": 15}
"""Lines on one page of each list (each page fits one message on both platforms)."""
PAGED = tuple(PER_PAGE)
FIND_SHOWN = 8
"""Pen pals shown for one search (more: type more of the name)."""
FIND_LONGEST = 60
CHOICES_SHOWN = 25
"""Discord offers at most 25 choices."""
FILTER_LONGEST = 11
"""A filter travels in page buttons: Telegram allows 64 bytes of callback data."""


@dataclass(frozen=True)
class Page:
    """One page of a coordinators' list; `ids` are the volunteers a pending page can approve."""

    message: Message
    kind: str
    page: int
    pages: int
    arg: str = ""
    ids: tuple[int, ...] = ()

    @property
    def has_previous(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


@dataclass(frozen=True)
class Reliability:
    """Her replies: on time (by the due day), late, and not yet answered though past due."""

    on_time: int = 0
    late: int = 0
    unanswered: int = 0


def reliability(letters: list[LetterMark], policy: ReminderPolicy, today: date) -> Reliability:
    """Count each letter from her pen pal by how it was answered."""
    on_time = late = unanswered = 0
    for mark in letters:
        if not mark.incoming:
            continue
        due = mark.dated + timedelta(days=policy.reply_days)
        replies = [x.dated for x in letters if not x.incoming and answers(x, mark)]
        if replies:
            if min(replies) <= due:
                on_time += 1
            else:
                late += 1
        elif today > due:
            unanswered += 1
    return Reliability(on_time, late, unanswered)


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def _quiz_state(result: QuizResult | None) -> Message:
    """A pending sign-up's quiz, as the list of sign-ups shows it."""
    if result is None or result.passed_at is None:
        return msg("quiz.pending_not_passed", tries=result.tries if result else 0)
    return msg("quiz.pending_passed", line=score_line(result))


@dataclass
class OversightService:
    """Coordinators' lists and numbers."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: ReminderPolicy
    quiz: bool = False
    """The program has a training quiz: pending sign-ups show how their quiz went."""

    @staticmethod
    def _check(actor: Actor) -> None:
        if not actor.is_coordinator:
            raise NotAllowed()

    async def page(self, actor: Actor, kind: str, page: int, arg: str = "") -> Page:
        """A page of a list (what the page buttons ask for)."""
        self._check(actor)
        if kind == "pending":
            return await self.pending(actor, page)
        if kind == "penpals":
            return await self.penpals(actor, arg, page)
        if kind == "audit":
            return await self.audit(actor, page)
        raise NotFound("error.expired")

    async def pending(self, actor: Actor, page: int = 0) -> Page:
        """Sign-ups waiting for approval, oldest first, with Approve and Reject for each."""
        self._check(actor)
        size = PER_PAGE["pending"]
        async with self.uow() as uow:
            waiting = await uow.volunteers.with_status(VolunteerStatus.PENDING)
            pages = _pages(len(waiting), size)
            page = min(max(page, 0), pages - 1)
            shown = waiting[page * size : (page + 1) * size]
            quizzes = {v.id: await uow.quizzes.get(v.id) for v in shown} if self.quiz else {}
        if not shown:
            return Page(msg("oversight.pending_none"), "pending", 0, 1)
        lines = [
            msg(
                "oversight.pending_line",
                id=v.id,
                name=v.display_name,
                languages=names(v.languages),
                capacity=v.capacity,
                since=v.created_at.date(),
                platforms=", ".join(a.platform.value for a in v.accounts),
                quiz=_quiz_state(quizzes[v.id]) if self.quiz else "",
            )
            for v in shown
        ]
        message = msg(
            "oversight.pending", count=len(waiting), page=page + 1, pages=pages, lines=lines
        )
        return Page(message, "pending", page, pages, ids=tuple(v.id for v in shown))

    async def volunteer(self, actor: Actor, who: str) -> Message:
        """One volunteer: profile, matches with letters, and how reliably she replies. `who` is
        her number, or part of her name or handle."""
        self._check(actor)
        who = who.strip().lstrip("@#")
        if not who:
            raise BotError("oversight.volunteer_usage")
        today = self.clock.now().date()
        async with self.uow() as uow:
            found = await self._find(uow, who)
            if len(found) != 1:
                await uow.commit()
                if not found:
                    return msg("oversight.volunteer_none", who=who)
                lines = [
                    msg("oversight.volunteer_choice", id=v.id, name=v.display_name) for v in found
                ]
                return msg("oversight.volunteer_many", lines=lines)
            volunteer = found[0]
            lines, marks = [], []
            for match in await uow.matches.for_volunteer(
                volunteer.id, [MatchStatus.ACTIVE, MatchStatus.PAUSED, MatchStatus.ENDED]
            ):
                penpal = await uow.penpals.get(match.penpal_id)
                letters = await uow.letters.for_match(match.id)
                mine = [
                    LetterMark(x.id, x.dated, x.direction is LetterDirection.FROM_PENPAL)
                    for x in letters
                    if x.counts
                ]
                marks.append(mine)
                lines.append(
                    msg(
                        "oversight.volunteer_match",
                        id=match.id,
                        penpal=penpal.preferred_name if penpal else "?",
                        state=_state(match),
                        received=sum(m.incoming for m in mine),
                        sent=sum(not m.incoming for m in mine),
                    )
                )
            circle = await uow.circles.of_volunteer(volunteer.id)
            if circle is not None:  # the circle's pen pals: /coord circle list
                lines.append(msg("oversight.volunteer_circle", circle=circle.name, id=circle.id))
            await uow.audit.add(
                actor.label, "volunteer.view", f"volunteer:{volunteer.id}", self.clock.now()
            )
            await uow.commit()
        score = Reliability()
        for mine in marks:
            one = reliability(mine, self.policy, today)
            score = Reliability(
                score.on_time + one.on_time,
                score.late + one.late,
                score.unanswered + one.unanswered,
            )
        return msg(
            "oversight.volunteer",
            id=volunteer.id,
            name=volunteer.display_name,
            pronouns=f" ({volunteer.pronouns})" if volunteer.pronouns else "",
            status=status_of(volunteer),
            languages=names(volunteer.languages),
            interests=", ".join(volunteer.interests),
            capacity=msg("count.pen_pals", n=volunteer.capacity),
            timezone=zone_name(volunteer.timezone),
            accounts=", ".join(
                f"{a.platform.value} {a.handle or a.user_id}" for a in volunteer.accounts
            )
            or "-",
            matches=lines or [msg("oversight.volunteer_no_matches")],
            on_time=score.on_time,
            late=score.late,
            unanswered=score.unanswered,
        )

    async def _find(self, uow: UnitOfWork, who: str) -> list[Volunteer]:
        return await find_volunteers(uow, who)

    async def volunteer_choices(self, actor: Actor, text: str) -> list[tuple[str, Message]]:
        """Active volunteers a coordinator's typing finds (Discord's autocomplete): what the
        command reads (her number) and how she is offered. Nothing for anyone else."""
        if not actor.is_coordinator:
            return []
        async with self.uow() as uow:
            found = (
                await find_volunteers(uow, text, CHOICES_SHOWN)
                if text.strip()
                else (await uow.volunteers.with_status(VolunteerStatus.ACTIVE))
            )
        return [
            (str(v.id), msg("oversight.volunteer_choice", id=v.id, name=v.display_name))
            for v in found
            if v.status is VolunteerStatus.ACTIVE
        ][:CHOICES_SHOWN]

    async def penpals(self, actor: Actor, filter_text: str = "", page: int = 0) -> Page:
        """The waiting list, longest wait first: first name, languages, interests, days waiting
        (no committed name, ID number or facility). `filter_text`: a language code, an
        interest, or "woman" (she asked for a woman writer)."""
        self._check(actor)
        wanted = filter_text.strip().casefold()[:FILTER_LONGEST]
        today = self.clock.now().date()
        size = PER_PAGE["penpals"]
        async with self.uow() as uow:
            waiting = [p for p in await uow.penpals.all() if p.status is PenPalStatus.WAITING]
            await uow.audit.add(actor.label, "penpal.list", "penpals:waiting", self.clock.now())
            await uow.commit()
        if wanted:
            waiting = [
                p
                for p in waiting
                if wanted in p.languages
                or any(wanted == i.casefold() for i in p.interests)
                or (wanted == "woman" and p.writer_preference == "woman")
            ]
        waiting.sort(key=lambda p: (p.waiting_since, p.id))
        pages = _pages(len(waiting), size)
        page = min(max(page, 0), pages - 1)
        shown = waiting[page * size : (page + 1) * size]
        if not shown and wanted:  # not a language or an interest: perhaps a name
            found = await self.find_penpals(actor, filter_text)
            if found.key == "oversight.find_none":
                found = msg("oversight.penpals_none", text=" ".join(filter_text.split()))
            return Page(found, "penpals", 0, 1, wanted)
        if not shown:
            return Page(msg("oversight.waiting_empty"), "penpals", 0, 1, wanted)
        lines = [
            msg(
                "oversight.penpal_line",
                id=p.id,
                name=p.preferred_name,
                languages=", ".join(p.languages),
                interests=", ".join(p.interests[:4]),
                days=days(max(0, (today - p.waiting_since).days)),
            )
            for p in shown
        ]
        message = msg(
            "oversight.penpals",
            count=len(waiting),
            page=page + 1,
            pages=pages,
            lines=lines,
            filter=wanted or "-",
        )
        return Page(message, "penpals", page, pages, wanted)

    async def find_penpals(self, actor: Actor, text: str) -> Message:
        """Pen pals by preferred or committed name, ID number or facility, whatever their
        status, with the ids other commands take: hers, her facility's, her open matches'.
        Coordinators only (the answer holds private details: private chats only)."""
        self._check(actor)
        wanted = " ".join(text.split())[:FIND_LONGEST]
        if not wanted:
            raise BotError("oversight.find_usage")
        async with self.uow() as uow:
            found = await uow.penpals.find(wanted, FIND_SHOWN + 1)
            lines = [await _found_line(uow, p) for p in found[:FIND_SHOWN]]
            await uow.audit.add(actor.label, "penpal.search", "penpals", self.clock.now())
            await uow.commit()
        if not found:
            return msg("oversight.find_none", text=wanted)
        key = "oversight.found_more" if len(found) > FIND_SHOWN else "oversight.found"
        return msg(key, text=wanted, lines=lines, count=len(lines))

    async def penpal_choices(self, actor: Actor, text: str) -> list[tuple[int, Message]]:
        """What a coordinator's typing finds, to pick a pen pal by name (Discord's
        autocomplete): her id and how she is offered. Nothing for anyone else."""
        if not actor.is_coordinator:
            return []
        wanted = " ".join(text.split())[:FIND_LONGEST]
        async with self.uow() as uow:
            found = await uow.penpals.find(wanted, CHOICES_SHOWN)
            choices = []
            for penpal in found:
                custody = await uow.penpals.custody(penpal.id)
                choices.append(
                    (
                        penpal.id,
                        msg(
                            "oversight.penpal_choice",
                            id=penpal.id,
                            name=penpal.preferred_name,
                            committed=penpal.committed_name,
                            id_number=custody.id_number if custody else "?",
                        ),
                    )
                )
        return choices

    async def stats(self, actor: Actor) -> Message:
        """The program's numbers: volunteers, waiting list, matches, letters this month, the
        median time to reply (last 90 days), overdue replies and open concerns."""
        self._check(actor)
        now = self.clock.now()
        today = now.date()
        async with self.uow() as uow:
            counts = await uow.volunteers.count_by_status()
            penpals = await uow.penpals.all()
            active = await uow.letters.active(today)
            month = await uow.letters.count_since(today.replace(day=1))
            gaps = await uow.letters.reply_days(today - timedelta(days=90))
            concerns = await uow.concerns.count_open()
            under_way = sum((await uow.matches.active_counts()).values())  # breaks included
        waiting = sum(1 for p in penpals if p.status is PenPalStatus.WAITING)
        return msg(
            "oversight.stats",
            active=counts.get(VolunteerStatus.ACTIVE, 0),
            paused=counts.get(VolunteerStatus.PAUSED, 0),
            pending=counts.get(VolunteerStatus.PENDING, 0),
            waiting=msg("count.pen_pals", n=waiting),
            matches=under_way,
            letters=month,
            month=Month(today.year, today.month),
            median=f"{statistics.median(gaps):g}" if gaps else "-",
            replies=msg("count.replies", n=len(gaps)),
            overdue=len(overdue_rows(active, self.policy, today)),
            concerns=concerns,
        )

    async def audit(self, actor: Actor, page: int = 0) -> Page:
        """The audit trail, newest first (who, what, which record, when; never the data)."""
        self._check(actor)
        size = PER_PAGE["audit"]
        async with self.uow() as uow:
            total = await uow.audit.count()
            pages = _pages(total, size)
            page = min(max(page, 0), pages - 1)
            rows = await uow.audit.recent(size, page * size)
        if not rows:
            return Page(msg("oversight.audit_none"), "audit", 0, 1)
        lines = [
            msg(
                "oversight.audit_line",
                at=row.at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M"),
                actor=row.actor,
                action=row.action,
                subject=row.subject,
            )
            for row in rows
        ]
        message = msg("oversight.audit", page=page + 1, pages=pages, lines=lines)
        return Page(message, "audit", page, pages)


def _state(match: Match) -> Message:
    """Where a match stands and since when: an ended match by the day it ended."""
    began = (match.confirmed_at or match.proposed_at).date()
    if match.status is MatchStatus.ENDED and match.ended_at is not None:
        reason: Message | str = match.end_reason or "-"
        if match.end_reason in set(EndReason):
            reason = msg(f"end_reason.{EndReason(match.end_reason).name.lower()}")
        return msg("oversight.match_ended", day=match.ended_at.date(), reason=reason, began=began)
    return msg("oversight.match_since", status=msg(f"match_status.{match.status.value}"), day=began)


async def _found_line(uow: UnitOfWork, penpal: PenPal) -> Message:
    """One pen pal found by a search: who she is, where she is, and her open matches."""
    custody = await uow.penpals.custody(penpal.id)
    facility = await uow.facilities.get(custody.facility_id) if custody else None
    matches = []
    for match in await uow.matches.for_penpal(penpal.id):
        if match.status in (MatchStatus.ACTIVE, MatchStatus.PAUSED, MatchStatus.PROPOSED):
            volunteer = await uow.volunteers.get(match.volunteer_id)
            matches.append(
                msg(
                    f"oversight.found_match.{match.status.value}",
                    id=match.id,
                    volunteer=volunteer.display_name if volunteer else "?",
                )
            )
    return msg(
        "oversight.found_line",
        id=penpal.id,
        name=penpal.preferred_name,
        committed=penpal.committed_name,
        id_number=custody.id_number if custody else "?",
        facility=f"{facility.name} (#{facility.id})" if facility else "?",
        status=msg(f"penpal_status.{penpal.status.value}"),
        matches=Joined(tuple(matches)) if matches else msg("none"),
        address=address_state(penpal),
    )


async def find_volunteers(uow: UnitOfWork, who: str, limit: int = 10) -> list[Volunteer]:
    """Volunteers by number (`12` or `#12`), @handle, platform user id or Discord mention, or
    part of the name."""
    key = who.strip().removeprefix("<@").removesuffix(">").lstrip("@#").strip()
    if not key:
        return []
    found = await uow.volunteers.find(key, limit)
    if key.isascii() and key.isdigit() and len(key) <= 18:  # her number, first
        one = await uow.volunteers.get(int(key))
        if one is not None:
            found = [one, *(v for v in found if v.id != one.id)]
    return found

"""Letters: volunteers log what they send and receive; the buttons under a reminder; and the
coordinators' list of overdue replies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    AccountRef,
    Actor,
    Letter,
    LetterDirection,
    LetterState,
    Match,
    MatchStatus,
    Volunteer,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.forwarding import ForwardingService
from bot.messages import Message, days, folded, msg
from bot.messages.forms import Joined
from bot.reminders.policy import ActiveMatch, ReminderPolicy, cycle_of, reply_cycle
from bot.turns import letter_answered, letter_arrived

SHOWN = 30
"""Lines in one list message: it must fit Discord's 2,000 and Telegram's 4,096 characters."""


def history_line(letter: Letter, penpal: str) -> Message:
    """One letter in her history, with the leg through the program when it had one."""
    incoming = letter.direction is LetterDirection.FROM_PENPAL
    line = msg(
        "letters.line_in" if incoming else "letters.line_out", dated=letter.dated, penpal=penpal
    )
    if letter.state is LetterState.DONE:
        if letter.program_on is None:
            return line
        leg = "letters.leg_arrived" if incoming else "letters.leg_posted"
        return msg("letters.with_leg", line=line, leg=msg(leg, dated=letter.program_on))
    if incoming:
        line = msg("letters.line_in", dated=letter.program_on or letter.dated, penpal=penpal)
    state = msg(f"letters.state_{letter.state.value}", note=letter.note)
    return msg("letters.with_leg", line=line, leg=state)


def parse_day(text: str | None) -> date | None:
    """An ISO date, or None for "today"; BotError for anything else."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BotError("letter.bad_date") from None


@dataclass(frozen=True)
class PenPalChoice:
    """One of her active matches, as a volunteer picks it (preferred name only)."""

    match_id: int
    name: str


@dataclass
class LetterService:
    """Logging letters and answering the buttons under reminders."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: ReminderPolicy
    outbox_written: Callable[[], None] = lambda: None
    forwarding: ForwardingService | None = None
    """In forwarding programs: letters from her are logged by the coordinators, and with
    review a letter to her is handed to the program (it waits in the review queue)."""

    def _today(self, volunteer: Volunteer) -> date:
        return self.clock.now().astimezone(ZoneInfo(volunteer.timezone)).date()

    async def choices(self, account: AccountRef) -> list[PenPalChoice]:
        """Her active matches, to choose which one a letter belongs to."""
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            if volunteer is None:
                return []
            return await active_choices(uow, volunteer)

    async def match_named(self, account: AccountRef, typed: str | None) -> int | None:
        """The match she meant: a picked choice (its match id), or a pen pal's name typed in
        full or in part; None when she named nobody (she is asked)."""
        text = (typed or "").strip()
        if not text:
            return None
        if text.isascii() and text.isdigit() and len(text) <= 18:
            return int(text)
        choices = await self.choices(account)
        if not choices:
            raise BotError("letter.no_matches")
        wanted = folded(text)
        found = [c for c in choices if folded(c.name) == wanted] or [
            c for c in choices if wanted in folded(c.name)
        ]
        if len(found) != 1:
            names = Joined(tuple(c.name for c in (found or choices)))
            key = "letter.several_penpals" if found else "letter.which_penpal"
            raise BotError(key, typed=text[:40], names=names)
        return found[0].match_id

    async def log(
        self, account: AccountRef, incoming: bool, match_id: int | None, day: str | None
    ) -> Message | list[PenPalChoice]:
        """Log a letter. Without a match and with several pen pals, the choices come back (the
        adapter asks and calls again); nothing is written until the match is known."""
        dated = parse_day(day)
        if incoming and self.forwarding is not None and self.forwarding.enabled:
            raise BotError("letter.received_forwarding")
        async with self.uow() as uow:
            picked = await pick_match(uow, account, match_id)
            if not isinstance(picked, Picked):
                return picked
            volunteer, match, name = picked
            today = self._today(volunteer)
            dated = dated or today
            if dated > today:
                raise BotError("letter.future")
            matched_on = match.confirmed_at.date() if match.confirmed_at else today
            if dated < matched_on - timedelta(days=1):
                raise BotError("letter.before_match", penpal=name, matched=matched_on)
            direction = LetterDirection.FROM_PENPAL if incoming else LetterDirection.TO_PENPAL
            handed = await self._add(uow, match, direction, dated, account, volunteer)
            await uow.commit()
        self.outbox_written()  # a circle's members hear of it; with review, the coordinators
        if handed:
            return msg("letter.handed_in", penpal=name, dated=dated)
        if incoming:
            due = dated + timedelta(days=self.policy.reply_days)
            return msg("letter.logged_in", penpal=name, dated=dated, due=due)
        return msg("letter.logged_out", penpal=name, dated=dated)

    async def _add(
        self,
        uow: UnitOfWork,
        match: Match,
        direction: LetterDirection,
        dated: date,
        account: AccountRef,
        volunteer: Volunteer,
    ) -> bool:
        """Log it; True when it was handed to the program to be read before it is posted. In
        a writing circle, a letter from her goes to the member whose turn it is, and a reply
        (once posted) moves the turn on."""
        now = self.clock.now()
        label = f"{account.platform.value}:{account.user_id}"
        via = self.forwarding
        handed = (
            direction is LetterDirection.TO_PENPAL
            and via is not None
            and via.enabled
            and via.review
        )
        state = LetterState.WAITING if handed else LetterState.DONE
        letter = await uow.letters.add(
            Letter(0, match.id, direction, dated, label, now, state=state)
        )
        await uow.audit.add(label, f"letter.{direction.value}", f"match:{match.id}", now)
        if handed and via is not None:
            await via.handed_in(uow, match, letter, now)
        elif direction is LetterDirection.FROM_PENPAL:
            due = dated + timedelta(days=self.policy.reply_days)
            await letter_arrived(uow, match, due, now, logged_by=volunteer.id)
        else:
            await letter_answered(uow, match, now, by=volunteer)
        return handed

    async def history(
        self, account: AccountRef, match_id: int | None
    ) -> Message | list[PenPalChoice]:
        """The letters of one of her matches, oldest first."""
        async with self.uow() as uow:
            picked = await pick_match(uow, account, match_id)
            if not isinstance(picked, Picked):
                return picked
            name = picked.name
            letters = await uow.letters.for_match(picked.match.id)
        if not letters:
            return msg("letters.none", penpal=name)
        lines = [history_line(x, name) for x in letters[-SHOWN:]]
        if len(letters) > SHOWN:
            lines.insert(0, msg("list.earlier", count=len(letters) - SHOWN))
        return msg("letters.history", penpal=name, lines=lines)

    async def replied(self, account: AccountRef, reminder_id: int) -> Message:
        """ "I've replied" under a reminder: log her letter dated today, once."""
        async with self.uow() as uow:
            volunteer, match, current = await self._reminded(uow, account, reminder_id)
            if current is None:
                return msg("reminder.already")
            today = self._today(volunteer)
            handed = await self._add(
                uow, match, LetterDirection.TO_PENPAL, today, account, volunteer
            )
            await uow.commit()
        self.outbox_written()
        if handed:
            return msg("letter.handed_in", penpal=current, dated=today)
        return msg("reminder.replied", penpal=current, dated=today)

    async def snooze(self, account: AccountRef, reminder_id: int) -> Message:
        """ "Remind me in N days", at most `max_snoozes` times per letter."""
        async with self.uow() as uow:
            volunteer, match, current = await self._reminded(uow, account, reminder_id)
            fired = await uow.letters.reminder(reminder_id)
            if current is None or fired is None:
                return msg("reminder.already")
            count = await uow.letters.snoozes(match.id, fired.cycle)
            if count >= self.policy.max_snoozes:
                return msg("reminder.snooze_limit", count=count)
            until = self.clock.now() + timedelta(days=self.policy.snooze_days)
            await uow.letters.snooze(match.id, fired.cycle, until)
            await uow.commit()
        when = until.astimezone(ZoneInfo(volunteer.timezone)).date()
        return msg("reminder.snoozed", when=when)

    async def _reminded(
        self, uow: UnitOfWork, account: AccountRef, reminder_id: int
    ) -> tuple[Volunteer, Match, str | None]:
        """Her volunteer record and match for a reminder she was sent, and the pen pal's name
        if the reminder's cycle is still open (None: already answered). A reminder that is not
        hers (a forged button) or of a match that has ended (a stale one) is an expired menu."""
        fired = await uow.letters.reminder(reminder_id)
        volunteer = await uow.volunteers.by_account(account)
        if fired is None or volunteer is None:
            raise NotFound("error.expired")
        match = await uow.matches.get(fired.match_id)
        if match is None or match.volunteer_id != volunteer.id:
            raise NotFound("error.expired")
        if match.status is not MatchStatus.ACTIVE:  # the match ended since: a stale menu
            raise NotFound("error.expired")
        found = await uow.letters.active(self._today(volunteer), match.id)
        if not found or cycle_of(found[0].rhythm) != fired.cycle:
            return volunteer, match, None
        return volunteer, match, found[0].penpal_name

    async def overdue(self, actor: Actor) -> Message:
        """Coordinators: every match whose reply is past due, the latest first."""
        if not actor.is_coordinator:
            raise NotAllowed()
        today = self.clock.now().date()
        async with self.uow() as uow:
            rows = overdue_rows(await uow.letters.active(today), self.policy, today)
        if not rows:
            return msg("coord.overdue_none")
        rows.sort(key=lambda row: (-row[0], row[1].rhythm.match_id))
        lines = [
            msg(
                "coord.overdue_line",
                volunteer=item.volunteer_name,
                penpal=item.penpal_name,
                match=item.rhythm.match_id,
                dated=dated,
                days=days(late),
            )
            for late, item, dated in rows[:SHOWN]
        ]
        if len(rows) > SHOWN:
            lines.append(msg("list.more", count=len(rows) - SHOWN))
        return msg("coord.overdue", count=len(rows), lines=lines)


def overdue_rows(
    active: list[ActiveMatch], policy: ReminderPolicy, today: date
) -> list[tuple[int, ActiveMatch, date]]:
    """(days late, match, the unanswered letter's date) of every match whose reply is late."""
    rows = []
    for item in active:
        waiting = reply_cycle(item.rhythm)
        if waiting is None:
            continue
        late = (today - waiting.dated).days - policy.reply_days
        if late > 0:
            rows.append((late, item, waiting.dated))
    return rows


async def active_choices(
    uow: UnitOfWork,
    volunteer: Volunteer,
    statuses: Sequence[MatchStatus] = (MatchStatus.ACTIVE,),
    circle: bool = False,
) -> list[PenPalChoice]:
    """Her active matches (or those in `statuses`), by pen pal (preferred name only); with
    `circle`, her writing circle's too (any member logs its letters)."""
    matches = await uow.matches.for_volunteer(volunteer.id, list(statuses))
    if circle:
        matches += [m for m in await circle_matches(uow, volunteer) if m.status in statuses]
    out = []
    for match in matches:
        penpal = await uow.penpals.get(match.penpal_id)
        out.append(PenPalChoice(match.id, penpal.preferred_name if penpal else "?"))
    return out


async def circle_matches(uow: UnitOfWork, volunteer: Volunteer) -> list[Match]:
    """The open matches of her writing circle, if she is in one."""
    found = await uow.circles.of_volunteer(volunteer.id)
    return await uow.matches.of_circle(found.id) if found else []


class Picked(NamedTuple):
    """The active match a volunteer means, with her pen pal's preferred name."""

    volunteer: Volunteer
    match: Match
    name: str


async def pick_match(
    uow: UnitOfWork, account: AccountRef, match_id: int | None
) -> Picked | Message | list[PenPalChoice]:
    """Which of her active matches she means: the one given (hers and active, else expired),
    her only one, or, with several, the choices to ask her (`letter.no_matches` with none)."""
    volunteer = await uow.volunteers.by_account(account)
    choices = await active_choices(uow, volunteer, circle=True) if volunteer else []
    if volunteer is None or not choices:
        return msg("letter.no_matches")
    if match_id is None:
        if len(choices) > 1:
            return choices
        match_id = choices[0].match_id
    match = await _own_active(uow, volunteer, match_id)
    name = next((c.name for c in choices if c.match_id == match_id), "?")
    return Picked(volunteer, match, name)


async def _own_active(uow: UnitOfWork, volunteer: Volunteer, match_id: int) -> Match:
    """Her active match with this id (or her circle's); anything else (forged, ended, someone
    else's) expired."""
    match = await uow.matches.get(match_id)
    if match is None or match.status is not MatchStatus.ACTIVE:
        raise NotFound("error.expired")
    if match.circle_id is not None:
        if match.id not in {m.id for m in await circle_matches(uow, volunteer)}:
            raise NotFound("error.expired")
    elif match.volunteer_id != volunteer.id:
        raise NotFound("error.expired")
    return match

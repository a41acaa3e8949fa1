"""Forwarding programs: letters that pass through the program, each leg with its date.

The volunteer never writes from her own address. A letter from the woman reaches the program's
mailbox (a coordinator logs it: `/coord letter`) and the program forwards it to her volunteer, at
once or, with `[program] review_letters`, after reading it. With review, a letter to the woman is
handed to the program, which reads it and posts it; without, the volunteer posts it herself with
the program's return address. Letters at the program wait in `/coord review`: forward (or post),
hold with a note, or give back to the volunteer to rewrite, with the reason. The volunteer is told
each time, privately. Reminders count from the leg that reached her (bot/reminders/policy.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    Actor,
    Button,
    Destination,
    Letter,
    LetterDirection,
    LetterState,
    Match,
    MatchStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.messages import Message, msg
from bot.notices import tell_coordinators, tell_volunteer
from bot.reminders.policy import ReminderPolicy
from bot.turns import letter_answered, letter_arrived

SHOWN = 20
"""Letters listed by /coord review in one message."""
MAX_NOTE = 500


def review_buttons(letter: Letter) -> tuple[Button, ...]:
    """Under a letter at the program: forward (or post) it, hold it, and for a letter to her,
    give it back to be rewritten."""
    arg = str(letter.id)
    incoming = letter.direction is LetterDirection.FROM_PENPAL
    buttons = [
        Button("button.review_forward" if incoming else "button.review_post", "rf", arg),
        Button("button.review_hold", "rh", arg),
    ]
    if not incoming:
        buttons.append(Button("button.review_return", "rr", arg))
    return tuple(buttons)


@dataclass
class ForwardingService:
    """Letters through the program's mailbox, and the coordinators' review queue."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: ReminderPolicy
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = field(default=lambda: None)
    enabled: bool = False
    review: bool = False
    zone: str = "UTC"
    """The program's time zone: what "today" is for a coordinator."""

    def _today(self, now: datetime) -> date:
        return now.astimezone(ZoneInfo(self.zone)).date()

    def _check(self, actor: Actor) -> None:
        if not actor.is_coordinator:
            raise NotAllowed()
        if not self.enabled:
            raise BotError("letter.forwarding_off")

    async def arrived(self, actor: Actor, match_id: int, day: date | None) -> Message:
        """A letter from her reached the program's mailbox on `day` (today if None). Without
        review it is forwarded today and her volunteer is told; with review it waits in the
        queue, and the coordinators are asked to read it."""
        self._check(actor)
        now = self.clock.now()
        today = self._today(now)
        arrived_on = day or today
        if arrived_on > today:
            raise BotError("letter.future")
        async with self.uow() as uow:
            match = await uow.matches.get(match_id)
            if match is None or match.status is not MatchStatus.ACTIVE:
                return msg("match.not_active", id=match_id)
            began = match.confirmed_at.date() if match.confirmed_at else today
            if arrived_on < began - timedelta(days=1):
                raise BotError("letter.before_match_coord", match=match_id, matched=began)
            state = LetterState.WAITING if self.review else LetterState.DONE
            letter = await uow.letters.add(
                Letter(
                    0,
                    match.id,
                    LetterDirection.FROM_PENPAL,
                    arrived_on if self.review else today,
                    actor.label,
                    now,
                    program_on=arrived_on,
                    state=state,
                )
            )
            if self.review:
                await self._ask_review(uow, match, letter, now)
                await uow.audit.add(actor.label, "letter.arrived", f"letter:{letter.id}", now)
            else:
                await self._tell_forwarded(uow, match, letter, now)
                await uow.audit.add(actor.label, "letter.forwarded", f"letter:{letter.id}", now)
            await uow.commit()
        self.outbox_written()
        if self.review:
            return msg("review.arrived", letter=letter.id, match=match_id, dated=arrived_on)
        return msg("letter.forwarded", match=match_id, dated=arrived_on)

    async def handed_in(self, uow: UnitOfWork, match: Match, letter: Letter, now: datetime) -> None:
        """A volunteer handed her letter to the program (review is on): the coordinators are
        asked to read it, in the caller's transaction."""
        await self._ask_review(uow, match, letter, now)

    async def _ask_review(
        self, uow: UnitOfWork, match: Match, letter: Letter, now: datetime
    ) -> None:
        """Tell the coordinators that a letter waits to be read, with the buttons to act."""
        names = await _names(uow, match)
        incoming = letter.direction is LetterDirection.FROM_PENPAL
        await tell_coordinators(
            uow,
            self.coordinators,
            "review.new_in" if incoming else "review.new_out",
            {
                "letter": letter.id,
                "match": match.id,
                "penpal": names[1],
                "volunteer": names[0],
                "dated": letter.program_on or letter.dated,
            },
            review_buttons(letter),
            now,
            about=match.volunteer_id,
        )

    async def queue(self, actor: Actor) -> Message:
        """`/coord review`: the letters at the program, the oldest first (held ones with their
        note), and how to act on them."""
        self._check(actor)
        today = self._today(self.clock.now())
        async with self.uow() as uow:
            letters = await uow.letters.at_program()
            lines: list[Message] = []
            for letter in letters[:SHOWN]:
                match = await uow.matches.get(letter.match_id)
                if match is None:
                    continue
                volunteer, penpal = await _names(uow, match)
                since = letter.program_on or letter.dated
                incoming = letter.direction is LetterDirection.FROM_PENPAL
                lines.append(
                    msg(
                        "review.line_in" if incoming else "review.line_out",
                        letter=letter.id,
                        match=match.id,
                        penpal=penpal,
                        volunteer=volunteer,
                        dated=since,
                        days=_age(today, since),
                        held=(
                            msg("review.held_note", note=letter.note)
                            if letter.state is LetterState.HELD
                            else ""
                        ),
                    )
                )
        if not lines:
            return msg("review.empty")
        if len(letters) > SHOWN:
            lines.append(msg("list.more", count=len(letters) - SHOWN))
        return msg("review.list", count=len(letters), lines=lines)

    async def first(self, actor: Actor) -> tuple[Message, tuple[Button, ...]]:
        """The queue, with the buttons for its oldest letter (what `/coord review` shows)."""
        listed = await self.queue(actor)
        async with self.uow() as uow:
            letters = await uow.letters.at_program()
        if not letters:
            return listed, ()
        oldest = letters[0]
        return msg("review.with_first", listed=listed, letter=oldest.id), review_buttons(oldest)

    async def forward(self, actor: Actor, letter_id: int, day: date | None = None) -> Message:
        """Forward a letter from her to her volunteer, or post a letter to her, on `day`."""
        self._check(actor)
        now = self.clock.now()
        today = self._today(now)
        on = day or today
        if on > today:
            raise BotError("letter.future")
        async with self.uow() as uow:
            letter, match = await self._at_program(uow, letter_id)
            if on < (letter.program_on or letter.dated):
                raise BotError(
                    "review.before_leg", letter=letter_id, dated=letter.program_on or letter.dated
                )
            if letter.direction is LetterDirection.FROM_PENPAL:
                done = replace(letter, dated=on, state=LetterState.DONE, note="")
                await uow.letters.update(done)
                await self._tell_forwarded(uow, match, done, now)
                action, answer = "letter.forwarded", "review.forwarded"
            else:
                done = replace(letter, program_on=on, state=LetterState.DONE, note="")
                await uow.letters.update(done)
                await self._tell(uow, match, "review.posted_volunteer", {"dated": on}, now)
                await letter_answered(uow, match, now)
                action, answer = "letter.posted", "review.posted"
            await uow.audit.add(actor.label, action, f"letter:{letter.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg(answer, letter=letter_id, match=match.id, dated=on)

    async def hold(self, actor: Actor, letter_id: int, note: str) -> Message:
        """Keep a letter at the program for now; its volunteer is told why (the note)."""
        self._check(actor)
        text = note.strip()
        if not text:
            raise BotError("review.need_note", letter=letter_id)
        if len(text) > MAX_NOTE:
            raise BotError("review.note_too_long", max=MAX_NOTE, length=len(text))
        now = self.clock.now()
        async with self.uow() as uow:
            letter, match = await self._at_program(uow, letter_id)
            await uow.letters.update(replace(letter, state=LetterState.HELD, note=text))
            incoming = letter.direction is LetterDirection.FROM_PENPAL
            key = "review.held_in_volunteer" if incoming else "review.held_out_volunteer"
            await self._tell(uow, match, key, {"note": text}, now)
            await uow.audit.add(actor.label, "letter.held", f"letter:{letter.id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("review.held", letter=letter_id, match=match.id)

    async def give_back(self, actor: Actor, letter_id: int, reason: str) -> Message:
        """Give a letter to her back to its volunteer to rewrite, with the reason: it no longer
        counts as written, so her reminders go on."""
        self._check(actor)
        text = reason.strip()
        if not text:
            raise BotError("review.need_reason", letter=letter_id)
        if len(text) > MAX_NOTE:
            raise BotError("review.note_too_long", max=MAX_NOTE, length=len(text))
        now = self.clock.now()
        async with self.uow() as uow:
            letter, match = await self._at_program(uow, letter_id)
            if letter.direction is LetterDirection.FROM_PENPAL:
                raise BotError("review.not_hers", letter=letter_id)
            await uow.letters.update(replace(letter, state=LetterState.RETURNED, note=text))
            await self._tell(uow, match, "review.returned_volunteer", {"reason": text}, now)
            await uow.audit.add(
                actor.label, "letter.returned_for_rewrite", f"letter:{letter.id}", now
            )
            await uow.commit()
        self.outbox_written()
        return msg("review.returned", letter=letter_id, match=match.id)

    async def waiting(self) -> tuple[int, date | None]:
        """How many letters are at the program, and since when the oldest (for the digest)."""
        async with self.uow() as uow:
            letters = await uow.letters.at_program()
        if not letters:
            return 0, None
        return len(letters), min(x.program_on or x.dated for x in letters)

    async def _at_program(self, uow: UnitOfWork, letter_id: int) -> tuple[Letter, Match]:
        letter = await uow.letters.get(letter_id)
        if letter is None:
            raise NotFound("review.unknown", letter=letter_id)
        match = await uow.matches.get(letter.match_id)
        if match is None:
            raise NotFound("review.unknown", letter=letter_id)
        if letter.state not in (LetterState.WAITING, LetterState.HELD):
            raise BotError("review.already", letter=letter_id)
        return letter, match

    async def _tell_forwarded(
        self, uow: UnitOfWork, match: Match, letter: Letter, now: datetime
    ) -> None:
        """Her volunteer: a letter from her is on its way, and when the reply is due."""
        due = letter.dated + timedelta(days=self.policy.reply_days)
        told = {"dated": letter.program_on or letter.dated, "due": due}
        await self._tell(uow, match, "letter.waiting", told, now)
        await letter_arrived(uow, match, due, now)

    async def _tell(
        self, uow: UnitOfWork, match: Match, key: str, params: Mapping[str, object], now: datetime
    ) -> None:
        if match.status is not MatchStatus.ACTIVE:
            return  # the match ended meanwhile: nothing to tell about it
        volunteer = await uow.volunteers.get(match.volunteer_id)
        penpal = await uow.penpals.get(match.penpal_id)
        if volunteer is not None:
            name = penpal.preferred_name if penpal else "?"
            await tell_volunteer(uow, volunteer, key, {"penpal": name, **params}, now)


def _age(today: date, since: date) -> Message:
    """How long a letter has been at the program: "today", or "3 days"."""
    waited = (today - since).days
    return msg("count.days", n=waited) if waited > 0 else msg("review.age_today")


async def _names(uow: UnitOfWork, match: Match) -> tuple[str, str]:
    """The volunteer's display name and the pen pal's preferred name (no personal data)."""
    volunteer = await uow.volunteers.get(match.volunteer_id)
    penpal = await uow.penpals.get(match.penpal_id)
    return (
        volunteer.display_name if volunteer else "?",
        penpal.preferred_name if penpal else "?",
    )

"""Concerns: a volunteer reports a worry about a match, privately; coordinators are told at once,
may answer her through the bot, and mark it handled with a note (she is told it was handled;
the note stays with the coordinators). The notice in a coordinators' channel never carries the
details (they may hold a pen pal's private data): those are shown only in `/coord concerns`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    AccountRef,
    Actor,
    Concern,
    ConcernAnswer,
    Destination,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.letters import PenPalChoice, active_choices
from bot.messages import Message, msg
from bot.notices import tell_coordinators, tell_volunteer

KINDS = ("money", "romance", "threats", "wellbeing", "other")
"""What a concern is about (catalogue `concern.kind.*`)."""
LONGEST = 1500
"""Characters of a concern's text (it must fit a coordinators' list message)."""
SHOWN = 5
"""Open concerns listed in one message, each cut to PREVIEW characters (one in full by number)."""
PREVIEW = 250


@dataclass(frozen=True)
class ConcernStep:
    """What the volunteer chooses next: the kind (`choices` empty), or which pen pal."""

    message: Message
    concern_id: int
    choices: tuple[PenPalChoice, ...] = ()
    ask_kind: bool = False


@dataclass
class ConcernService:
    """Reporting (volunteers) and handling (coordinators) of concerns."""

    uow: UnitOfWorkFactory
    clock: Clock
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = field(default=lambda: None)

    async def start(self, account: AccountRef, text: str) -> ConcernStep:
        """Her words, kept as a draft; next she says what kind of worry it is."""
        details = text.strip()
        if not details:
            raise BotError("concern.usage")
        if len(details) > LONGEST:
            raise BotError("concern.too_long", limit=LONGEST)
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            if volunteer is None or volunteer.status in (VolunteerStatus.LEFT,):
                raise BotError("me.none")
            concern_id = await uow.concerns.add_draft(volunteer.id, details, self.clock.now())
            await uow.commit()
        return ConcernStep(msg("concern.ask_kind"), concern_id, ask_kind=True)

    async def _draft(self, account: AccountRef, concern_id: int) -> tuple[Concern, int]:
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            concern = await uow.concerns.get(concern_id)
        if (
            volunteer is None
            or concern is None
            or concern.status != "draft"
            or concern.volunteer_id != volunteer.id
        ):
            raise NotFound("error.expired")
        return concern, volunteer.id

    async def choose_kind(self, account: AccountRef, concern_id: int, kind: str) -> ConcernStep:
        """The kind; then which pen pal it is about, when she has any."""
        if kind not in KINDS:
            raise NotFound("error.expired")
        _, volunteer_id = await self._draft(account, concern_id)
        async with self.uow() as uow:
            await uow.concerns.set_kind(concern_id, kind)
            volunteer = await uow.volunteers.get(volunteer_id)
            assert volunteer is not None
            choices = tuple(await active_choices(uow, volunteer))
            await uow.commit()
        if not choices:
            return ConcernStep(await self.submit(account, concern_id, 0), concern_id)
        return ConcernStep(msg("concern.ask_match"), concern_id, choices)

    async def submit(self, account: AccountRef, concern_id: int, match_id: int) -> Message:
        """Send it: about `match_id` (one of her own active matches) or none (0)."""
        concern, volunteer_id = await self._draft(account, concern_id)
        now = self.clock.now()
        async with self.uow() as uow:
            volunteer = await uow.volunteers.get(volunteer_id)
            assert volunteer is not None
            choices = {c.match_id: c.name for c in await active_choices(uow, volunteer)}
            if match_id and match_id not in choices:
                raise NotFound("error.expired")
            if not await uow.concerns.submit(concern_id, match_id or None):
                raise NotFound("error.expired")
            await tell_coordinators(
                uow,
                self.coordinators,
                "coord.alert.concern",
                {
                    "id": concern_id,
                    "kind": msg(f"concern.kind.{concern.kind}"),
                    "volunteer": volunteer.display_name,
                    "penpal": choices.get(match_id, "-"),
                },
                (),
                now,
                about=volunteer.id,
            )
            await uow.commit()
        self.outbox_written()
        return msg("concern.sent")

    async def open_list(self, actor: Actor, concern_id: int | None = None) -> Message:
        """Open concerns, oldest first, with the start of their words; or one concern in full
        (coordinators only, privately)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            if concern_id is not None:
                one = await uow.concerns.get(concern_id)
                if one is None or one.status == "draft":
                    raise NotFound("concern.unknown")
                return msg("concern.one", lines=await _lines(uow, one, whole=True))
            found = await uow.concerns.open(SHOWN)
            total = await uow.concerns.count_open()
            lines = [line for concern in found for line in await _lines(uow, concern)]
        if not lines:
            return msg("concern.none")
        more = [msg("list.more", count=total - SHOWN)] if total > SHOWN else []
        return msg("concern.list", count=total, lines=[*lines, *more])

    async def handled_list(self, actor: Actor) -> Message:
        """The concerns handled last, newest first, with the coordinators' notes and answers."""
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            found = await uow.concerns.handled(SHOWN)
            total = await uow.concerns.count_handled()
            lines = [line for concern in found for line in await _lines(uow, concern)]
        if not lines:
            return msg("concern.none_handled")
        more = [msg("list.earlier", count=total - SHOWN)] if total > SHOWN else []
        return msg("concern.handled_list", count=total, lines=[*lines, *more])

    async def answer(self, actor: Actor, concern_id: int, text: str) -> Message:
        """A coordinator's answer to the volunteer who raised a concern, sent to her privately
        and kept with the concern (audited)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        words = text.strip()
        if not words:
            raise BotError("concern.answer_usage")
        if len(words) > LONGEST:
            raise BotError("concern.too_long", limit=LONGEST)
        now = self.clock.now()
        async with self.uow() as uow:
            concern = await uow.concerns.get(concern_id)
            if concern is None or concern.status == "draft":
                raise NotFound("concern.unknown")
            volunteer = (
                await uow.volunteers.get(concern.volunteer_id) if concern.volunteer_id else None
            )
            if volunteer is None or not volunteer.display_name:
                return msg("concern.answer_nobody", id=concern_id)
            await uow.concerns.add_answer(concern_id, ConcernAnswer(now, actor.label, words))
            told = {"day": concern.created_at.date(), "text": words}
            await tell_volunteer(uow, volunteer, "concern.answer_volunteer", told, now)
            await uow.audit.add(actor.label, "concern.answer", f"concern:{concern_id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("concern.answered", id=concern_id, name=volunteer.display_name)

    async def handle(self, actor: Actor, concern_id: int, note: str) -> Message:
        """Mark an open concern handled, with a note (audited)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        note = note.strip()
        if not note:
            raise BotError("concern.need_note")
        if len(note) > LONGEST:
            raise BotError("concern.too_long", limit=LONGEST)
        now = self.clock.now()
        async with self.uow() as uow:
            if not await uow.concerns.handle(concern_id, actor.label, note, now):
                return msg("concern.not_open", id=concern_id)
            concern = await uow.concerns.get(concern_id)
            volunteer = (
                await uow.volunteers.get(concern.volunteer_id)
                if concern and concern.volunteer_id
                else None
            )
            if concern is not None and volunteer is not None and volunteer.display_name:
                told = {
                    "day": concern.created_at.date(),
                    "kind": msg(f"concern.kind.{concern.kind}"),
                }
                await tell_volunteer(uow, volunteer, "concern.handled_volunteer", told, now)
            await uow.audit.add(actor.label, "concern.handle", f"concern:{concern_id}", now)
            await uow.commit()
        self.outbox_written()
        return msg("concern.handled", id=concern_id)


async def _lines(uow: UnitOfWork, concern: Concern, whole: bool = False) -> list[Message]:
    """A concern as the coordinators read it: who, about whom, what (cut unless `whole`), and
    once handled, the note; then what was answered her."""
    details: str | Message = concern.details or msg("concern.erased_details")
    if not whole and len(concern.details) > PREVIEW:
        details = concern.details[:PREVIEW] + "…"
    volunteer = await uow.volunteers.get(concern.volunteer_id) if concern.volunteer_id else None
    who: str | Message = volunteer.display_name if volunteer else "?"
    if volunteer is not None and not volunteer.display_name:
        who = msg("concern.erased_volunteer")
    penpal = "-"
    if concern.match_id:
        match = await uow.matches.get(concern.match_id)
        pal = await uow.penpals.get(match.penpal_id) if match else None
        penpal = pal.preferred_name if pal else "?"
    lines = [
        msg(
            "concern.line",
            id=concern.id,
            day=concern.created_at.date(),
            kind=msg(f"concern.kind.{concern.kind}"),
            volunteer=who,
            penpal=penpal,
            details=details,
        )
    ]
    if concern.status == "handled":
        lines.append(msg("concern.handled_note", note=concern.note or ""))
    lines += [msg("concern.answer_line", day=a.at.date(), text=a.text) for a in concern.answers]
    return lines

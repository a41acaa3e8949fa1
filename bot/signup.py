"""Volunteer sign-up: questions with validation, a draft kept in the database, and consent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.domain.clock import Clock
from bot.domain.errors import InvalidAnswer, PlacesToChoose
from bot.domain.gazetteer import loaded as places_loaded
from bot.domain.gazetteer import ready as places_ready
from bot.domain.languages import language_name, names
from bot.domain.models import (
    AccountRef,
    Button,
    Destination,
    Frequency,
    SignupDraft,
    Volunteer,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.domain.timezones import local_time, zone_name
from bot.messages import GUIDELINES_VERSION, Message, msg
from bot.notices import tell_coordinators
from bot.questions import (
    MULTI_CHOICE,
    ORDER,
    TEXT_QUESTIONS,
    ZONE_CHOICES,
    Guidelines,
    Prompt,
    Question,
    as_text,
    parse_answer,
    prompt_for,
)


@dataclass(frozen=True)
class Step:
    """What happened after answers: notes to show, problems found, and the next prompt."""

    prompt: Prompt | None
    notes: tuple[Message, ...] = ()
    problems: tuple[Message, ...] = ()


@dataclass(frozen=True)
class SignupOutcome:
    """A finished sign-up: the saved volunteer and the sentence to show her."""

    volunteer: Volunteer
    message: Message
    quiz: bool = False
    """The program's training quiz comes next (the adapter asks its first question)."""


def profile_params(volunteer: Volunteer) -> dict[str, object]:
    """Catalogue parameters describing a volunteer's profile (shared by /me and coordinators)."""
    return {
        "id": volunteer.id,
        "name": volunteer.display_name,
        "pronouns": f" ({volunteer.pronouns})" if volunteer.pronouns else "",
        "languages": names(volunteer.languages),
        "interests": ", ".join(volunteer.interests),
        "capacity": volunteer.capacity,
        "frequency": msg(f"frequency_in_text.{volunteer.frequency.value}"),
        "zone": zone_name(volunteer.timezone),
        "status": status_of(volunteer),
        "platform": ", ".join(a.platform.value.title() for a in volunteer.accounts),
        "pen_name": msg("profile.pen_name", name=volunteer.pen_name) if volunteer.pen_name else "",
        "quiz": "",
    }


async def tell_of_signup(
    uow: UnitOfWork,
    coordinators: Sequence[Destination],
    volunteer: Volunteer,
    now: datetime,
    quiz: Message | str = "",
) -> None:
    """A sign-up for the coordinators to approve, with Approve and Reject (and her quiz)."""
    buttons = (
        Button("button.approve", "approve", str(volunteer.id)),
        Button("button.reject", "reject", str(volunteer.id)),
    )
    params = profile_params(volunteer) | ({"quiz": quiz} if quiz else {})
    await tell_coordinators(
        uow, coordinators, "coord.pending_signup", params, buttons, now, about=volunteer.id
    )


def status_of(volunteer: Volunteer, own: bool = False) -> Message:
    """Where she stands; a break with its end date, when she gave one (and, to herself, how
    to end a break that has none)."""
    if volunteer.status is VolunteerStatus.PAUSED:
        if volunteer.paused_until is not None:
            return msg("status.paused_until", until=volunteer.paused_until)
        if own:
            return msg("status.paused_own")
    return msg(f"status.{volunteer.status.value}")


@dataclass
class SignupService:
    """Starts, continues and finishes volunteer sign-ups on any platform."""

    uow: UnitOfWorkFactory
    clock: Clock
    approval_required: bool
    coordinators: tuple[Destination, ...]
    outbox_written: Callable[[], None] = field(default=lambda: None)
    ask_woman_writer: bool = True
    ask_pen_name: bool = False
    """Forwarding programs: she chooses the name she signs her letters with."""
    guidelines: Guidelines | None = None
    """The program's own guidelines, if it wrote them (else the catalogue's)."""
    quiz_version: str | None = None
    """The program has a training quiz (for this version of its guidelines): a new volunteer
    passes it before the coordinators see her sign-up (or, without approval, before she is
    active)."""
    _warming: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self, account: AccountRef) -> tuple[Message, Prompt]:
        """Begin a sign-up, or continue the one in progress; return the intro and next prompt.
        The list of cities for her time zone starts loading now, in the background, so that it
        is there when that question comes (nobody waits for it)."""
        if not places_loaded() and not self._warming:
            task = asyncio.get_running_loop().create_task(places_ready())
            self._warming.add(task)
            task.add_done_callback(self._warming.discard)
        async with self.uow() as uow:
            draft = await uow.drafts.get(account)
            existing = await uow.volunteers.by_account(account)
            if draft is None:
                now = self.clock.now()
                draft = SignupDraft(account, {}, started_at=now, updated_at=now)
                await uow.drafts.save(draft)
                await uow.commit()
        intro = msg("signup.updating") if existing else msg("signup.intro")
        prompt = self._next(draft.answers)
        assert prompt is not None  # a fresh or unfinished draft always has a next question
        return intro, prompt

    async def current(self, account: AccountRef) -> Prompt | None:
        """The question waiting for an answer, or None when no sign-up is in progress."""
        async with self.uow() as uow:
            draft = await uow.drafts.get(account)
        return None if draft is None else self._next(draft.answers)

    async def defaults(self, account: AccountRef) -> dict[Question, str]:
        """Text answers known so far (draft first, then the saved profile), to prefill a form."""
        async with self.uow() as uow:
            draft = await uow.drafts.get(account)
            volunteer = await uow.volunteers.by_account(account)
        known: dict[Question, str] = {}
        if volunteer is not None:
            known = {
                Question.NAME: volunteer.display_name,
                Question.PRONOUNS: volunteer.pronouns,
                Question.LANGUAGES: ", ".join(language_name(c) for c in volunteer.languages),
                Question.INTERESTS: ", ".join(volunteer.interests),
                # a fixed offset from before (no daylight saving) is asked again as a place
                Question.TIMEZONE: "" if "Etc/" in volunteer.timezone else volunteer.timezone,
                Question.PEN_NAME: volunteer.pen_name,
            }
        for question in (*TEXT_QUESTIONS, Question.PEN_NAME):
            if draft is not None and question.value in draft.answers:
                known[question] = as_text(question, draft.answers[question.value])
        return known

    async def answer(self, account: AccountRef, question: Question, raw: str) -> Step:
        """Validate and save one answer; a bad one raises InvalidAnswer and saves nothing. A
        time zone that could be several places is asked again with a choice of them."""
        if question is Question.TIMEZONE:
            await places_ready()
        now = self.clock.now()
        try:
            value, notes = parse_answer(question, raw, now)
        except PlacesToChoose as choose:
            return Step(await self._save(account, {}, {ZONE_CHOICES: choose.places}))
        if question is Question.TIMEZONE:  # one of the places she was offered: say it so
            waiting = await self.current(account)
            picked = [c.label for c in (waiting.choices if waiting else ()) if c.value == value]
            if picked:
                notes = (
                    msg("signup.timezone_chosen", place=picked[0], time=local_time(value, now)),
                )
        prompt = await self._save(account, {question: value})
        return Step(prompt, notes)

    async def answer_waiting(self, account: AccountRef, raw: str) -> Step | None:
        """Answer the question that is waiting, in one transaction; None when no sign-up is in
        progress. Consent cannot be typed: its prompt is returned again."""
        waiting = await self.current(account)
        if waiting is not None and waiting.question is Question.TIMEZONE:
            await places_ready()  # before the transaction: it may take a second, once
        async with self.uow() as uow:
            draft = await uow.drafts.get(account)
            if draft is None:
                return None
            prompt = self._next(draft.answers)
            assert prompt is not None  # a draft is deleted when the sign-up finishes
            if prompt.question is Question.CONSENT:  # typed "I agree" does not count: the button
                hint = msg("signup.press_agree", button=msg("button.agree"))
                return Step(replace(prompt, text=hint))
            try:
                value, notes = parse_answer(prompt.question, raw, self.clock.now())
                answers = {**draft.answers, prompt.question.value: value}
            except PlacesToChoose as choose:
                answers, notes = {**draft.answers, ZONE_CHOICES: choose.places}, ()
            await uow.drafts.save(replace(draft, answers=answers, updated_at=self.clock.now()))
            await uow.commit()
        return Step(self._next(answers), notes)

    async def answer_many(self, account: AccountRef, raw: Mapping[Question, str]) -> Step:
        """Save every valid answer of a form at once; list the problems with the others."""
        values: dict[Question, Any] = {}
        extra: dict[str, Any] = {}
        notes: list[Message] = []
        problems: list[Message] = []
        if Question.TIMEZONE in raw:
            await places_ready()
        for question, text in raw.items():
            try:
                value, found = parse_answer(question, text, self.clock.now())
            except PlacesToChoose as choose:  # asked with a choice when its turn comes
                extra[ZONE_CHOICES] = choose.places
                continue
            except InvalidAnswer as bad:
                problems.append(bad.message)
                continue
            values[question] = value
            notes.extend(found)
        prompt = await self._save(account, values, extra)
        return Step(prompt, tuple(notes), tuple(problems))

    async def toggle(self, account: AccountRef, question: Question, value: str) -> Prompt:
        """Select or unselect one button of a multi-choice question before pressing Done."""
        if question not in MULTI_CHOICE or value not in {
            c.value for c in prompt_for(question, {}).choices
        }:
            raise InvalidAnswer("error.expired")
        key = f"_selected_{question.value}"
        async with self.uow() as uow:
            draft = await self._draft(uow, account)
            chosen = list(draft.answers.get(key, []))
            chosen.remove(value) if value in chosen else chosen.append(value)
            answers = {**draft.answers, key: chosen}
            await uow.drafts.save(replace(draft, answers=answers, updated_at=self.clock.now()))
            await uow.commit()
        return prompt_for(question, answers, self.guidelines)

    async def done(self, account: AccountRef, question: Question) -> Step:
        """Confirm the buttons picked for a multi-choice question."""
        if question not in MULTI_CHOICE:
            raise InvalidAnswer("error.expired")
        async with self.uow() as uow:
            draft = await self._draft(uow, account)
        chosen = draft.answers.get(f"_selected_{question.value}", [])
        return await self.answer(account, question, ", ".join(chosen))

    async def agree(self, account: AccountRef, language: str | None = None) -> SignupOutcome:
        """Consent to the guidelines and finish: create or update the volunteer. `language`
        is the one she was answered in; it is kept as hers unless she has one already, so
        that what the bot sends her on its own is written in it."""
        now = self.clock.now()
        notify = False
        async with self.uow() as uow:
            draft = await self._draft(uow, account)
            nxt = self._next(draft.answers)
            if nxt is None or nxt.question is not Question.CONSENT:
                raise InvalidAnswer("invalid.consent_first")
            a = draft.answers
            existing = await uow.volunteers.by_account(account)
            profile: dict[str, Any] = {
                "display_name": a["name"],
                "pronouns": a.get("pronouns", ""),
                "languages": tuple(a["languages"]),
                "interests": tuple(a["interests"]),
                "kinds": tuple(a.get("kinds", ())),
                "woman_writer": a.get("woman"),
                "capacity": a["capacity"],
                "frequency": Frequency(a["frequency"]),
                "timezone": a["timezone"],
                "guidelines_version": (
                    self.guidelines.version if self.guidelines else GUIDELINES_VERSION
                ),
                "consented_at": now,
                "updated_at": now,
            }
            if Question.PEN_NAME.value in a:
                profile["pen_name"] = a[Question.PEN_NAME.value]
            quiz = False
            if self.quiz_version is not None:
                reapplying = existing is not None and existing.status in (
                    VolunteerStatus.REJECTED,
                    VolunteerStatus.LEFT,
                )
                if existing is None or reapplying:
                    taken = await uow.quizzes.get(existing.id) if existing else None
                    quiz = not (
                        taken is not None
                        and taken.version == self.quiz_version
                        and taken.passed_at is not None
                    )
            fresh_status = (
                VolunteerStatus.PENDING
                if self.approval_required or quiz
                else VolunteerStatus.ACTIVE
            )
            if existing is None:
                volunteer = await uow.volunteers.add(
                    Volunteer(
                        id=0,
                        status=fresh_status,
                        created_at=now,
                        accounts=(account,),
                        **profile,
                    )
                )
                done = "signup.done_pending" if self.approval_required else "signup.done_active"
                notify = self.approval_required and not quiz
                action = "volunteer.signup"
            else:
                reapplying = existing.status in (VolunteerStatus.REJECTED, VolunteerStatus.LEFT)
                status = fresh_status if reapplying else existing.status
                volunteer = replace(existing, status=status, **profile)
                await uow.volunteers.update(volunteer)
                notify = reapplying and self.approval_required
                done = "signup.done_pending" if notify else "signup.done_updated"
                notify = notify and not quiz
                action = "volunteer.update"
            if notify:
                await tell_of_signup(uow, self.coordinators, volunteer, now)
            await uow.audit.add(
                f"{account.platform.value}:{account.user_id}",
                action,
                f"volunteer:{volunteer.id}",
                now,
            )
            await uow.drafts.delete(account)
            if language is not None and await uow.languages.get(account) is None:
                await uow.languages.set(account, language, False, now)
            await uow.commit()
        if notify:
            self.outbox_written()
        if quiz:
            then = "quiz.then_pending" if self.approval_required else "quiz.then_active"
            done, told = "signup.done_quiz", {"then": msg(then)}
            return SignupOutcome(volunteer, msg(done, name=volunteer.display_name, **told), True)
        return SignupOutcome(volunteer, msg(done, name=volunteer.display_name))

    async def cancel(self, account: AccountRef) -> bool:
        """Drop the sign-up in progress; True when there was one."""
        async with self.uow() as uow:
            dropped = await uow.drafts.delete(account)
            await uow.commit()
        return dropped

    async def _save(
        self,
        account: AccountRef,
        values: Mapping[Question, Any],
        extra: Mapping[str, Any] | None = None,
    ) -> Prompt | None:
        async with self.uow() as uow:
            draft = await self._draft(uow, account)
            answers = {**draft.answers, **(extra or {}), **{q.value: v for q, v in values.items()}}
            if values or extra:
                await uow.drafts.save(replace(draft, answers=answers, updated_at=self.clock.now()))
                await uow.commit()
        return self._next(answers)

    async def _draft(self, uow: UnitOfWork, account: AccountRef) -> SignupDraft:
        draft = await uow.drafts.get(account)
        if draft is None:
            raise InvalidAnswer("signup.not_started")
        return draft

    def _next(self, answers: Mapping[str, Any]) -> Prompt | None:
        for question in ORDER:
            if question is Question.WOMAN and not self.ask_woman_writer:
                continue
            if question is Question.PEN_NAME and not self.ask_pen_name:
                continue
            if question.value not in answers:
                return prompt_for(question, answers, self.guidelines)
        return None

"""Volunteer sign-up: questions with validation, a draft kept in the database, and consent."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from bot.clock import Clock
from bot.errors import InvalidAnswer
from bot.languages import COMMON, known_names, language_code, language_name
from bot.messages import GUIDELINES_VERSION, Message, msg
from bot.models import (
    CORRESPONDENCE_KINDS,
    AccountRef,
    Button,
    Destination,
    Frequency,
    SignupDraft,
    Volunteer,
    VolunteerStatus,
)
from bot.outbox import tell_coordinators
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.text import normalise, split_list
from bot.timezones import resolve_timezone

MAX_NAME = 60
MAX_PRONOUNS = 30
MAX_LIST_TEXT = 300
MAX_ITEMS = 10
MAX_ITEM = 40
MAX_CAPACITY = 5


class Question(StrEnum):
    """The sign-up questions, in the order they are asked."""

    NAME = "name"
    PRONOUNS = "pronouns"
    LANGUAGES = "languages"
    INTERESTS = "interests"
    KINDS = "kinds"
    WOMAN = "woman"
    CAPACITY = "capacity"
    FREQUENCY = "frequency"
    TIMEZONE = "timezone"
    CONSENT = "consent"


ORDER = tuple(Question)
MULTI_CHOICE = (Question.LANGUAGES, Question.KINDS)
"""Questions answered by picking several buttons, then Done (or by typing a list)."""
TEXT_QUESTIONS = (
    Question.NAME,
    Question.PRONOUNS,
    Question.LANGUAGES,
    Question.INTERESTS,
    Question.TIMEZONE,
)
"""Questions answered by typing (on Discord, the fields of the sign-up form)."""


@dataclass(frozen=True)
class Choice:
    """One button or menu option for a question."""

    value: str
    label: Message


@dataclass(frozen=True)
class Prompt:
    """The next question to ask, with its choices when it has some."""

    question: Question
    text: Message
    choices: tuple[Choice, ...] = ()
    optional: bool = False
    multi: bool = False
    selected: tuple[str, ...] = ()


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


def profile_params(volunteer: Volunteer) -> dict[str, object]:
    """Catalogue parameters describing a volunteer's profile (shared by /me and coordinators)."""
    return {
        "id": volunteer.id,
        "name": volunteer.display_name,
        "pronouns": f" ({volunteer.pronouns})" if volunteer.pronouns else "",
        "languages": ", ".join(language_name(c) for c in volunteer.languages),
        "interests": ", ".join(volunteer.interests),
        "capacity": volunteer.capacity,
        "frequency": msg(f"frequency.{volunteer.frequency.value}"),
        "zone": volunteer.timezone,
        "status": msg(f"status.{volunteer.status.value}"),
        "platform": ", ".join(a.platform.value.title() for a in volunteer.accounts),
    }


@dataclass
class SignupService:
    """Starts, continues and finishes volunteer sign-ups on any platform."""

    uow: UnitOfWorkFactory
    clock: Clock
    approval_required: bool
    coordinators: tuple[Destination, ...]
    outbox_written: Callable[[], None] = field(default=lambda: None)
    ask_woman_writer: bool = True

    async def start(self, account: AccountRef) -> tuple[Message, Prompt]:
        """Begin a sign-up, or continue the one in progress; return the intro and next prompt."""
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
                Question.TIMEZONE: volunteer.timezone,
            }
        for question in TEXT_QUESTIONS:
            if draft is not None and question.value in draft.answers:
                known[question] = _as_text(question, draft.answers[question.value])
        return known

    async def answer(self, account: AccountRef, question: Question, raw: str) -> Step:
        """Validate and save one answer; a bad one raises InvalidAnswer and saves nothing."""
        value, notes = _parse(question, raw)
        prompt = await self._save(account, {question: value})
        return Step(prompt, notes)

    async def answer_waiting(self, account: AccountRef, raw: str) -> Step | None:
        """Answer the question that is waiting, in one transaction; None when no sign-up is in
        progress. Consent cannot be typed: its prompt is returned again."""
        async with self.uow() as uow:
            draft = await uow.drafts.get(account)
            if draft is None:
                return None
            prompt = self._next(draft.answers)
            assert prompt is not None  # a draft is deleted when the sign-up finishes
            if prompt.question is Question.CONSENT:
                return Step(prompt)
            value, notes = _parse(prompt.question, raw)
            answers = {**draft.answers, prompt.question.value: value}
            await uow.drafts.save(replace(draft, answers=answers, updated_at=self.clock.now()))
            await uow.commit()
        return Step(self._next(answers), notes)

    async def answer_many(self, account: AccountRef, raw: Mapping[Question, str]) -> Step:
        """Save every valid answer of a form at once; list the problems with the others."""
        values: dict[Question, Any] = {}
        notes: list[Message] = []
        problems: list[Message] = []
        for question, text in raw.items():
            try:
                value, found = _parse(question, text)
            except InvalidAnswer as bad:
                problems.append(bad.message)
                continue
            values[question] = value
            notes.extend(found)
        prompt = await self._save(account, values)
        return Step(prompt, tuple(notes), tuple(problems))

    async def toggle(self, account: AccountRef, question: Question, value: str) -> Prompt:
        """Select or unselect one button of a multi-choice question before pressing Done."""
        if question not in MULTI_CHOICE or value not in {
            c.value for c in _prompt(question, {}).choices
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
        return _prompt(question, answers)

    async def done(self, account: AccountRef, question: Question) -> Step:
        """Confirm the buttons picked for a multi-choice question."""
        if question not in MULTI_CHOICE:
            raise InvalidAnswer("error.expired")
        async with self.uow() as uow:
            draft = await self._draft(uow, account)
        chosen = draft.answers.get(f"_selected_{question.value}", [])
        return await self.answer(account, question, ", ".join(chosen))

    async def agree(self, account: AccountRef) -> SignupOutcome:
        """Consent to the guidelines and finish: create or update the volunteer."""
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
                "guidelines_version": GUIDELINES_VERSION,
                "consented_at": now,
                "updated_at": now,
            }
            fresh_status = (
                VolunteerStatus.PENDING if self.approval_required else VolunteerStatus.ACTIVE
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
                notify = self.approval_required
                action = "volunteer.signup"
            else:
                reapplying = existing.status in (VolunteerStatus.REJECTED, VolunteerStatus.LEFT)
                status = fresh_status if reapplying else existing.status
                volunteer = replace(existing, status=status, **profile)
                await uow.volunteers.update(volunteer)
                notify = reapplying and self.approval_required
                done = "signup.done_pending" if notify else "signup.done_updated"
                action = "volunteer.update"
            if notify:
                buttons = (
                    Button("button.approve", "approve", str(volunteer.id)),
                    Button("button.reject", "reject", str(volunteer.id)),
                )
                await tell_coordinators(uow, self.coordinators, "coord.pending_signup",
                                        profile_params(volunteer), buttons, now)  # fmt: skip
            await uow.audit.add(f"{account.platform.value}:{account.user_id}", action,
                                f"volunteer:{volunteer.id}", now)  # fmt: skip
            await uow.drafts.delete(account)
            await uow.commit()
        if notify:
            self.outbox_written()
        return SignupOutcome(volunteer, msg(done, name=volunteer.display_name))

    async def cancel(self, account: AccountRef) -> bool:
        """Drop the sign-up in progress; True when there was one."""
        async with self.uow() as uow:
            dropped = await uow.drafts.delete(account)
            await uow.commit()
        return dropped

    async def _save(self, account: AccountRef, values: Mapping[Question, Any]) -> Prompt | None:
        async with self.uow() as uow:
            draft = await self._draft(uow, account)
            answers = {**draft.answers, **{q.value: v for q, v in values.items()}}
            if values:
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
            if question.value not in answers:
                return _prompt(question, answers)
        return None


def _prompt(question: Question, answers: Mapping[str, Any]) -> Prompt:
    text = msg(f"signup.ask.{question.value}")
    if question is Question.NAME:
        text = msg("signup.ask.name", max=MAX_NAME)
    if question is Question.CONSENT:
        text = msg("signup.ask.consent", version=GUIDELINES_VERSION)
    choices: tuple[Choice, ...] = ()
    if question in MULTI_CHOICE:
        if question is Question.LANGUAGES:
            choices = tuple(Choice(c, _literal(language_name(c))) for c in COMMON)
        else:
            choices = tuple(Choice(k, msg(f"kind.{k}")) for k in CORRESPONDENCE_KINDS)
        selected = tuple(answers.get(f"_selected_{question.value}", ()))
        return Prompt(question, text, choices, optional=question is Question.KINDS, multi=True,
                      selected=selected)  # fmt: skip
    if question is Question.WOMAN:
        choices = (Choice("yes", msg("choice.yes")), Choice("no", msg("choice.no")))
    elif question is Question.CAPACITY:
        choices = tuple(
            Choice(str(n), msg("capacity.choice", n=n)) for n in range(1, MAX_CAPACITY + 1)
        )
    elif question is Question.FREQUENCY:
        choices = tuple(Choice(f.value, msg(f"frequency.{f.value}")) for f in Frequency)
    elif question is Question.CONSENT:
        choices = (Choice("agree", msg("button.agree")), Choice("cancel", msg("button.cancel")))
    return Prompt(question, text, choices, optional=question is Question.PRONOUNS)


def _literal(text: str) -> Message:
    return msg("literal", text=text)


def _as_text(question: Question, value: Any) -> str:
    if question is Question.LANGUAGES:
        return ", ".join(language_name(c) for c in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _parse(question: Question, raw: str) -> tuple[Any, tuple[Message, ...]]:
    """Validate one answer; raise InvalidAnswer (with a friendly message) when it is bad."""
    field_name = msg(f"field.{question.value}")
    text = normalise(raw)
    limit = {Question.NAME: MAX_NAME, Question.PRONOUNS: MAX_PRONOUNS}.get(question, MAX_LIST_TEXT)
    if len(text) > limit:
        raise InvalidAnswer("invalid.too_long", field=field_name, max=limit, length=len(text))
    if not text and question not in (Question.PRONOUNS, Question.KINDS):
        raise InvalidAnswer("invalid.required", field=field_name)
    if question is Question.NAME:
        return text, ()
    if question is Question.PRONOUNS:
        return ("" if text in {"-", "skip"} else text), ()
    if question is Question.LANGUAGES:
        items = split_list(text)
        codes = [language_code(item) for item in items]
        unknown = [item for item, code in zip(items, codes, strict=True) if code is None]
        if unknown:
            raise InvalidAnswer(
                "invalid.languages", field=field_name, unknown=", ".join(unknown),
                known=known_names(),
            )  # fmt: skip
        unique = list(dict.fromkeys(c for c in codes if c))
        if len(unique) > MAX_ITEMS:
            raise InvalidAnswer("invalid.too_many", field=field_name, max=MAX_ITEMS)
        return unique, ()
    if question is Question.INTERESTS:
        items = split_list(text)
        if len(items) > MAX_ITEMS:
            raise InvalidAnswer("invalid.too_many", field=field_name, max=MAX_ITEMS)
        for item in items:
            if len(item) > MAX_ITEM:
                raise InvalidAnswer(
                    "invalid.too_long", field=field_name, max=MAX_ITEM, length=len(item)
                )
        return items, ()
    if question is Question.KINDS:
        kinds = [k.casefold() for k in split_list(text) if k.casefold() not in {"-", "skip"}]
        unknown = [k for k in kinds if k not in CORRESPONDENCE_KINDS]
        if unknown:
            raise InvalidAnswer(
                "invalid.kinds", field=field_name, known=", ".join(CORRESPONDENCE_KINDS)
            )
        return list(dict.fromkeys(kinds)), ()
    if question is Question.WOMAN:
        answer = {"yes": True, "y": True, "no": False, "n": False}.get(text.casefold())
        if answer is None:
            raise InvalidAnswer("invalid.yesno", field=field_name)
        return answer, ()
    if question is Question.CAPACITY:
        if not text.isdigit() or not 1 <= int(text) <= MAX_CAPACITY:
            raise InvalidAnswer("invalid.capacity", field=field_name, max=MAX_CAPACITY)
        return int(text), ()
    if question is Question.FREQUENCY:
        wanted = {
            "every week": "weekly",
            "every two weeks": "fortnightly",
            "biweekly": "fortnightly",
        }
        value = wanted.get(text.casefold(), text.casefold())
        if value not in {f.value for f in Frequency}:
            raise InvalidAnswer("invalid.frequency", field=field_name)
        return value, ()
    if question is Question.TIMEZONE:
        zone = resolve_timezone(text)
        if zone is None:
            raise InvalidAnswer("invalid.timezone", field=field_name, typed=text[:60])
        return zone, (msg("signup.timezone_chosen", zone=zone),)
    raise InvalidAnswer("invalid.consent_first")

"""The sign-up questions: their order, their choices, and how each answer is checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.errors import InvalidAnswer, PlacesToChoose
from bot.domain.languages import COMMON, known_names, language_code, language_name, names
from bot.domain.models import CORRESPONDENCE_KINDS, Frequency
from bot.domain.text import normalise, split_list
from bot.domain.timezones import find_zone, local_time
from bot.messages import GUIDELINES_VERSION, Message, msg, params_from_json, params_to_json
from bot.messages.forms import ByLanguage

MAX_NAME = 60
MAX_PRONOUNS = 30
MAX_PEN_NAME = 40
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
    PEN_NAME = "pen_name"  # forwarding programs only
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


def prompt_for(
    question: Question, answers: Mapping[str, Any], guidelines: Guidelines | None = None
) -> Prompt:
    text = msg(f"signup.ask.{question.value}")
    if question is Question.NAME:
        text = msg("signup.ask.name", max=MAX_NAME)
    if question is Question.CONSENT:
        text = (
            msg("signup.ask.consent", text=guidelines.text, version=guidelines.version)
            if guidelines is not None
            else msg(
                "signup.ask.consent", text=msg("signup.guidelines"), version=GUIDELINES_VERSION
            )
        )
    choices: tuple[Choice, ...] = ()
    if question in MULTI_CHOICE:
        if question is Question.LANGUAGES:
            choices = tuple(Choice(c, msg("literal", text=names((c,)))) for c in COMMON)
        else:
            choices = tuple(Choice(k, msg(f"kind.{k}")) for k in CORRESPONDENCE_KINDS)
        selected = tuple(answers.get(f"_selected_{question.value}", ()))
        return Prompt(
            question,
            text,
            choices,
            optional=question is Question.KINDS,
            multi=True,
            selected=selected,
        )
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
    elif question is Question.TIMEZONE and answers.get(ZONE_CHOICES):
        text = msg("signup.ask.timezone_which")
        choices = tuple(Choice(zone, _place_name(name)) for zone, name in answers[ZONE_CHOICES])
    if question is Question.PEN_NAME:
        text = msg("signup.ask.pen_name", name=answers.get(Question.NAME.value, ""))
    optional = question in (Question.PRONOUNS, Question.PEN_NAME)
    return Prompt(question, text, choices, optional=optional)


ZONE_CHOICES = "_timezone_choices"
"""The draft key of the places offered for an answer that could mean several."""


def _place_name(stored: object) -> Message:
    """An offered place's name as the draft keeps it (a catalogue message in its JSON form;
    drafts saved before kept the text itself)."""
    name = params_from_json({"name": stored})["name"]
    return name if isinstance(name, Message) else _literal(str(name))


@dataclass(frozen=True)
class Guidelines:
    """The guidelines the program wrote itself (per language), and their version."""

    text: ByLanguage | Message
    version: str


def _literal(text: str) -> Message:
    return msg("literal", text=text)


def as_text(question: Question, value: Any) -> str:
    if question is Question.LANGUAGES:
        return ", ".join(language_name(c) for c in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def parse_answer(question: Question, raw: str, now: datetime) -> tuple[Any, tuple[Message, ...]]:
    """Validate one answer; raise InvalidAnswer (with a friendly message) when it is bad, and
    PlacesToChoose when a time zone could be several places (`now`: for their offsets)."""
    field_name = msg(f"field.{question.value}")
    text = normalise(raw)
    limit = {
        Question.NAME: MAX_NAME,
        Question.PRONOUNS: MAX_PRONOUNS,
        Question.PEN_NAME: MAX_PEN_NAME,
    }.get(question, MAX_LIST_TEXT)
    if len(text) > limit:
        raise InvalidAnswer("invalid.too_long", field=field_name, max=limit, length=len(text))
    if not text and question not in (Question.PRONOUNS, Question.KINDS, Question.PEN_NAME):
        raise InvalidAnswer("invalid.required", field=field_name)
    if question is Question.NAME:
        return text, ()
    if question in (Question.PRONOUNS, Question.PEN_NAME):
        return ("" if text.casefold() in {"-", "skip"} else text), ()
    if question in (Question.LANGUAGES, Question.INTERESTS) and not split_list(text):
        raise InvalidAnswer("invalid.required", field=field_name)  # only commas or spaces
    if question is Question.LANGUAGES:
        items = split_list(text)
        codes = [language_code(item) for item in items]
        unknown = [item for item, code in zip(items, codes, strict=True) if code is None]
        if unknown:
            raise InvalidAnswer(
                "invalid.languages",
                field=field_name,
                unknown=", ".join(unknown),
                known=known_names(),
            )
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
        found = find_zone(text, now)
        if found.choices:
            raise PlacesToChoose(
                [[p.zone, params_to_json({"name": p.name})["name"]] for p in found.choices]
            )
        if found.place is None:
            raise InvalidAnswer("invalid.timezone", field=field_name, typed=text[:60])
        place = found.place
        return place.zone, (
            msg("signup.timezone_chosen", place=place.name, time=local_time(place.zone, now)),
        )
    raise InvalidAnswer("invalid.consent_first")

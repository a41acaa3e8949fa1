"""The coordinators' commands: what each is called, the arguments it takes, its help, and the
service call it makes. Both adapters read this table (through `bot.console`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.addresses import reason_words
from bot.announcing import AUDIENCES
from bot.domain.errors import BotError
from bot.domain.models import Actor, Button, EndReason
from bot.matching.service import Answer
from bot.messages import Message, folded, msg, typed_words
from bot.messages.forms import Joined
from bot.oversight import Page
from bot.registry import FACILITY_COLUMNS, PENPAL_COLUMNS
from bot.services import Services
from bot.sheets import EXPORTS, IMPORTS, Sheet


class Kind(StrEnum):
    """What an argument holds, and so how it is read and offered."""

    NUMBER = "number"  # an id: a match, a concern, a schedule
    PENPAL = "penpal"  # a pen pal's id (Discord: picked by typing her name)
    WORD = "word"  # one word: an ID number, days, a time, a time zone
    TEXT = "text"  # free text, the rest of the message (always the last argument)
    DATE = "date"  # YYYY-MM-DD
    REASON = "reason"  # why a match ends (one of EndReason; may be several words)
    AUDIENCE = "audience"  # who gets an announcement
    VOLUNTEER = "volunteer"  # her number, part of her name, @handle (Discord: picked by typing)
    FORM = "form"  # Telegram: `column: value` lines; Discord: a form opens instead
    FILE = "file"  # an attached file (Telegram: a document; Discord: an attachment option)
    CHOICE = "choice"  # one of the argument's `options`

    @property
    def takes_rest(self) -> bool:
        """Read from the rest of the message, spaces and lines included."""
        return self in (Kind.TEXT, Kind.REASON, Kind.FORM, Kind.VOLUNTEER)


@dataclass(frozen=True)
class Arg:
    """One argument of a command; `help` is its catalogue key (the Discord option's text)."""

    name: str
    kind: Kind
    help: str
    optional: bool = False
    options: tuple[str, ...] = ()
    """The values a CHOICE takes (each offered under the name `{help}.{value}`)."""

    @property
    def choices(self) -> tuple[str, ...]:
        """The fixed values it may take, if any (Discord offers them as a list)."""
        if self.kind is Kind.REASON:
            return tuple(reason.value for reason in EndReason)
        if self.kind is Kind.AUDIENCE:
            return AUDIENCES
        return self.options

    def choice_label(self, value: str) -> str:
        """The catalogue key of what a fixed value is called where it is offered."""
        if self.kind is Kind.REASON:
            return f"end_reason.{EndReason(value).name.lower()}"
        if self.kind is Kind.CHOICE:
            return f"{self.help}.{value}"
        return f"audience.{value}"


Value = int | str | date | EndReason | bytes | None
Values = Mapping[str, Value]


@dataclass(frozen=True)
class Proposals:
    """Proposed matches, each shown with Confirm, Skip and Someone else."""

    answers: list[Answer]


@dataclass(frozen=True)
class Preview:
    """An announcement as it will read; `draft` is what Send and Cancel act on."""

    message: Message
    draft: int


@dataclass(frozen=True)
class FormWanted:
    """The details of a pen pal or a facility are needed: Discord opens its form; Telegram
    shows `message` (how to send them as lines)."""

    kind: str
    message: Message


@dataclass(frozen=True)
class Actions:
    """A message with buttons under it (each an outbox button both adapters know)."""

    message: Message
    buttons: tuple[Button, ...]


Outcome = Message | Page | Proposals | Preview | FormWanted | Actions | Sheet
Call = Callable[[Services, Actor, Values], Awaitable[Outcome]]


@dataclass(frozen=True)
class Command:
    """One coordinator command.

    `words` name it (`("penpal", "add")` is `/coord penpal add`); `help` is the one-line
    description (a catalogue key, Discord shows it); `line` is its line in the list of commands;
    `usage`, if set, explains it more fully when it was mistyped; `aliases` are other words for
    it on Telegram; `slow` commands take seconds (Discord shows that it is thinking)."""

    words: tuple[str, ...]
    help: str
    line: str
    args: tuple[Arg, ...]
    call: Call
    usage: str | None = None
    aliases: tuple[tuple[str, ...], ...] = ()
    slow: bool = False

    @property
    def name(self) -> str:
        return " ".join(self.words)

    def listed(self) -> Message:
        """Its line in the list of commands."""
        return _line(self.line)

    def explained(self) -> Message:
        """What to tell someone who typed it wrongly."""
        return _line(self.usage or self.line)


def reason_word(reason: EndReason) -> Message:
    """What a coordinator types for a reason, in her language ("no reply", "sin respuesta")."""
    return msg(f"end_reason_word.{reason.name.lower()}")


def _line(key: str) -> Message:
    reasons = Joined(tuple(reason_word(r) for r in EndReason))
    return msg(key, reasons=reasons, returns=reason_words())


def _number(values: Values, name: str) -> int:
    value = values[name]
    assert isinstance(value, int)
    return value


def _text(values: Values, name: str) -> str:
    value = values.get(name)
    return value if isinstance(value, str) else ""


def _file(values: Values) -> bytes | None:
    value = values.get("file")
    return value if isinstance(value, bytes) else None


def _day(values: Values, name: str) -> date | None:
    value = values.get(name)
    return value if isinstance(value, date) else None


def _reason(values: Values) -> EndReason:
    value = values["reason"]
    assert isinstance(value, EndReason)
    return value


async def _match(s: Services, who: Actor, v: Values) -> Outcome:
    return Proposals(await s.matches.run(who))


async def _reassign(s: Services, who: Actor, v: Values) -> Outcome:
    return Proposals(await s.custody.reassign(_number(v, "match"), _reason(v), who))


async def _transfer(s: Services, who: Actor, v: Values) -> Outcome:
    penpal, id_number = _number(v, "penpal"), _text(v, "id_number")
    return await s.custody.transfer(penpal, id_number, _text(v, "facility"), who)


async def _broadcast(s: Services, who: Actor, v: Values) -> Outcome:
    message, draft = await s.announcements.preview(who, _text(v, "audience"), _text(v, "text"))
    return Preview(message, draft)


async def _schedule(s: Services, who: Actor, v: Values) -> Outcome:
    days, at, zone = _text(v, "days"), _text(v, "at"), _text(v, "timezone")
    audience, text = _text(v, "audience"), _text(v, "text")
    return await s.announcements.add_schedule(who, days, at, zone, audience, text)


async def _concerns(s: Services, who: Actor, v: Values) -> Outcome:
    number = v.get("number")
    return await s.concerns.open_list(who, number if isinstance(number, int) else None)


async def _handled(s: Services, who: Actor, v: Values) -> Outcome:
    """`/coord handled` alone lists the handled concerns; with a number and a note, marks one."""
    number = v.get("number")
    if not isinstance(number, int):
        return await s.concerns.handled_list(who)
    return await s.concerns.handle(who, number, _text(v, "note"))


def form_cells(text: str) -> dict[str, str]:
    """`column: value` lines as spreadsheet cells (column names as the spreadsheet spells them)."""
    cells: dict[str, str] = {}
    for line in text.splitlines():
        column, sep, value = line.partition(":")
        if sep:
            cells[column.strip().casefold().replace(" ", "_")] = value.strip()
    return cells


async def _penpal_add(s: Services, who: Actor, v: Values) -> Outcome:
    cells = form_cells(_text(v, "details"))
    if cells:
        return await s.registry.save_penpal(who, cells)
    return _form_wanted("penpal", PENPAL_COLUMNS)


async def _facility_add(s: Services, who: Actor, v: Values) -> Outcome:
    cells = form_cells(_text(v, "details"))
    if cells:
        return await s.registry.save_facility(who, cells)
    return _form_wanted("facility", FACILITY_COLUMNS)


def _form_wanted(kind: str, columns: tuple[str, ...]) -> FormWanted:
    example = msg(f"registry.example.{kind}")
    told = msg("registry.telegram_form", kind=kind, example=example, columns=", ".join(columns))
    return FormWanted(kind, told)


REVIEW_WORDS = {
    "review_word.forward": "forward",
    "review_word.post": "forward",
    "review_word.hold": "hold",
    "review_word.keep": "hold",
    "review_word.return": "return",
}
"""What a coordinator types after `/coord review`, in her language."""


async def _review(s: Services, who: Actor, v: Values) -> Outcome:
    """`/coord review` alone: the letters at the program, with buttons for the oldest; with
    an action and a letter's number, that action (the date, note or reason after it)."""
    typed = _text(v, "action")
    if not typed:
        message, buttons = await s.forwarding.first(who)
        return Actions(message, buttons) if buttons else message
    action = typed_words(REVIEW_WORDS).get(folded(typed))
    number = v.get("letter")
    if action is None or not isinstance(number, int):
        raise BotError("review.bad_action_usage", usage=msg("review.usage"))
    rest = _text(v, "note")
    if action == "forward":
        return await s.forwarding.forward(who, number, _day_text(rest))
    if action == "hold":
        return await s.forwarding.hold(who, number, rest)
    return await s.forwarding.give_back(who, number, rest)


def _day_text(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BotError("letter.bad_date") from None


MATCH = Arg("match", Kind.NUMBER, "arg.match")
REASON = Arg("reason", Kind.REASON, "arg.reason")
PENPAL = Arg("penpal", Kind.PENPAL, "arg.penpal")
AUDIENCE = Arg("audience", Kind.AUDIENCE, "arg.audience")
TEXT = Arg("text", Kind.TEXT, "arg.text")
DETAILS = Arg("details", Kind.FORM, "arg.details", optional=True)


COMMANDS: tuple[Command, ...] = (
    Command(("match",), "cmd.coord.match", "coord.line.match", (), _match, slow=True),
    Command(
        ("end",),
        "cmd.coord.end",
        "coord.line.end",
        (MATCH, REASON),
        lambda s, who, v: s.custody.end_match(_number(v, "match"), _reason(v), who),
    ),
    Command(
        ("transfer",),
        "cmd.coord.transfer",
        "coord.line.transfer",
        (
            PENPAL,
            Arg("id_number", Kind.WORD, "arg.id_number"),
            Arg("facility", Kind.TEXT, "arg.facility"),
        ),
        _transfer,
    ),
    Command(
        ("release",),
        "cmd.coord.release",
        "coord.line.release",
        (PENPAL, Arg("on", Kind.DATE, "arg.release_date", optional=True)),
        lambda s, who, v: s.custody.release(_number(v, "penpal"), _day(v, "on"), who),
    ),
    Command(  # (in the penpal group: Discord allows 25 commands under /coord)
        ("penpal", "releasedate"),
        "cmd.coord.releasedate",
        "coord.line.releasedate",
        (PENPAL, Arg("date", Kind.WORD, "arg.release_date_or_none")),
        lambda s, who, v: s.releases.set_date(who, _number(v, "penpal"), _text(v, "date")),
        aliases=(("releasedate",),),
    ),
    Command(  # (in the penpal group: Discord allows 25 commands under /coord)
        ("penpal", "addresses"),
        "cmd.coord.addresses",
        "coord.line.addresses",
        (),
        lambda s, who, v: s.addresses.to_check(who),
        aliases=(("addresses",),),
    ),
    Command(  # (in the penpal group: Discord allows 25 commands under /coord)
        ("penpal", "returned"),
        "cmd.coord.returned",
        "coord.line.returned",
        (MATCH, Arg("reason", Kind.TEXT, "arg.return_reason", optional=True)),
        lambda s, who, v: s.addresses.returned_by_coordinator(
            who, _number(v, "match"), _text(v, "reason"), None
        ),
        aliases=(("returned",),),
    ),
    Command(
        ("overdue",),
        "cmd.coord.overdue",
        "coord.line.overdue",
        (),
        lambda s, who, v: s.letters.overdue(who),
    ),
    Command(
        ("letter",),
        "cmd.coord.letter",
        "coord.line.letter",
        (MATCH, Arg("date", Kind.DATE, "arg.date", optional=True)),
        lambda s, who, v: s.forwarding.arrived(who, _number(v, "match"), _day(v, "date")),
    ),
    Command(
        ("review",),
        "cmd.coord.review",
        "coord.line.review",
        (
            Arg("action", Kind.WORD, "arg.review_action", optional=True),
            Arg("letter", Kind.NUMBER, "arg.letter", optional=True),
            Arg("note", Kind.TEXT, "arg.review_note", optional=True),
        ),
        _review,
        usage="review.usage",
    ),
    Command(
        ("broadcast",),
        "cmd.coord.broadcast",
        "coord.line.broadcast",
        (AUDIENCE, TEXT),
        _broadcast,
        usage="broadcast.usage",
    ),
    Command(
        ("remind",),
        "cmd.coord.remind",
        "coord.line.remind",
        (Arg("volunteer", Kind.VOLUNTEER, "arg.volunteer"),),
        lambda s, who, v: s.announcements.remind(who, _text(v, "volunteer")),
        usage="remind.usage",
    ),
    Command(  # (a group: Discord allows 25 commands under /coord)
        ("schedule", "add"),
        "cmd.coord.schedule",
        "coord.line.schedule",
        (
            Arg("days", Kind.WORD, "arg.days"),
            Arg("at", Kind.WORD, "arg.time"),
            Arg("timezone", Kind.WORD, "arg.timezone"),
            AUDIENCE,
            TEXT,
        ),
        _schedule,
        usage="schedule.usage",
        aliases=(("schedule",),),
    ),
    Command(
        ("schedule", "stop"),
        "cmd.coord.unschedule",
        "coord.line.unschedule",
        (Arg("schedule", Kind.NUMBER, "arg.schedule"),),
        lambda s, who, v: s.announcements.stop_schedule(who, _number(v, "schedule")),
        usage="schedule.usage",
        aliases=(("unschedule",),),
    ),
    Command(
        ("concerns",),
        "cmd.coord.concerns",
        "coord.line.concerns",
        (Arg("number", Kind.NUMBER, "arg.concern", optional=True),),
        _concerns,
    ),
    Command(
        ("handled",),
        "cmd.coord.handled",
        "coord.line.handled",
        (
            Arg("number", Kind.NUMBER, "arg.concern_handled", optional=True),
            Arg("note", Kind.TEXT, "arg.note", optional=True),
        ),
        _handled,
        usage="concern.need_note",
    ),
    Command(
        ("answer",),
        "cmd.coord.answer",
        "coord.line.answer",
        (Arg("number", Kind.NUMBER, "arg.concern"), Arg("text", Kind.TEXT, "arg.answer")),
        lambda s, who, v: s.concerns.answer(who, _number(v, "number"), _text(v, "text")),
        usage="concern.answer_usage",
        aliases=(("reply",),),
    ),
    Command(
        ("approve",),
        "cmd.coord.approve",
        "coord.line.approve",
        (Arg("volunteer", Kind.NUMBER, "arg.volunteer_number"),),
        lambda s, who, v: s.volunteers.decide(_number(v, "volunteer"), True, who),
    ),
    Command(
        ("reject",),
        "cmd.coord.reject",
        "coord.line.reject",
        (
            Arg("volunteer", Kind.NUMBER, "arg.volunteer_number"),
            Arg("reason", Kind.TEXT, "arg.reject_reason", optional=True),
        ),
        lambda s, who, v: s.volunteers.decide(
            _number(v, "volunteer"), False, who, _text(v, "reason")
        ),
    ),
    Command(
        ("pending",),
        "cmd.coord.pending",
        "coord.line.pending",
        (),
        lambda s, who, v: s.oversight.pending(who),
    ),
    Command(
        ("volunteer",),
        "cmd.coord.volunteer",
        "coord.line.volunteer",
        (Arg("who", Kind.TEXT, "arg.who"),),
        lambda s, who, v: s.oversight.volunteer(who, _text(v, "who")),
    ),
    Command(
        ("penpal", "list"),
        "cmd.coord.penpals",
        "coord.line.penpals",
        (Arg("filter", Kind.TEXT, "arg.filter", optional=True),),
        lambda s, who, v: s.oversight.penpals(who, _text(v, "filter")),
        aliases=(("penpal",),),
    ),
    Command(
        ("penpal", "find"),
        "cmd.coord.penpal_find",
        "coord.line.penpal_find",
        (Arg("text", Kind.TEXT, "arg.search"),),
        lambda s, who, v: s.oversight.find_penpals(who, _text(v, "text")),
        usage="oversight.find_usage",
        aliases=(("find",),),
    ),
    Command(
        ("penpal", "add"), "cmd.coord.penpal_add", "coord.line.penpal_add", (DETAILS,), _penpal_add
    ),
    Command(
        ("facility", "add"),
        "cmd.coord.facility_add",
        "coord.line.facility_add",
        (DETAILS,),
        _facility_add,
    ),
    Command(
        ("stats",),
        "cmd.coord.stats",
        "coord.line.stats",
        (),
        lambda s, who, v: s.oversight.stats(who),
    ),
    Command(  # (a group: Discord allows 25 commands under /coord)
        ("sheet", "export"),
        "cmd.coord.export",
        "coord.line.export",
        (Arg("kind", Kind.CHOICE, "arg.export", options=EXPORTS),),
        lambda s, who, v: s.sheets.export(who, _text(v, "kind")),
        aliases=(("export",),),
    ),
    Command(
        ("sheet", "import"),
        "cmd.coord.import",
        "coord.line.import",
        (
            Arg("kind", Kind.CHOICE, "arg.import", options=IMPORTS),
            Arg("file", Kind.FILE, "arg.file", optional=True),
        ),
        lambda s, who, v: s.sheets.import_(who, _text(v, "kind"), _file(v)),
        aliases=(("import",),),
    ),
    Command(
        ("web",),
        "cmd.coord.web",
        "coord.line.web",
        (),
        lambda s, who, v: s.workspace.link(who),
    ),
    Command(
        ("audit",),
        "cmd.coord.audit",
        "coord.line.audit",
        (),
        lambda s, who, v: s.oversight.audit(who),
    ),
    Command(  # (a group: Discord allows 25 commands under /coord)
        ("circle", "list"),
        "cmd.coord.circle_list",
        "coord.line.circle_list",
        (Arg("circle", Kind.TEXT, "arg.circle", optional=True),),
        lambda s, who, v: s.circles.overview(who, _text(v, "circle")),
        aliases=(("circle",), ("circles",)),
    ),
    Command(
        ("circle", "approve"),
        "cmd.coord.circle_approve",
        "coord.line.circle_approve",
        (Arg("circle", Kind.NUMBER, "arg.circle_id"),),
        lambda s, who, v: s.circles.approve(who, _number(v, "circle")),
    ),
    Command(
        ("circle", "match"),
        "cmd.coord.circle_match",
        "coord.line.circle_match",
        (PENPAL, Arg("circle", Kind.TEXT, "arg.circle")),
        lambda s, who, v: s.circles.match(who, _text(v, "circle"), _number(v, "penpal")),
    ),
    Command(
        ("circle", "dissolve"),
        "cmd.coord.circle_dissolve",
        "coord.line.circle_dissolve",
        (Arg("circle", Kind.TEXT, "arg.circle"),),
        lambda s, who, v: s.circles.dissolve(who, _text(v, "circle")),
    ),
    Command(
        ("reassign",),
        "cmd.coord.reassign",
        "coord.line.reassign",
        (MATCH, REASON),
        _reassign,
        usage="oversight.reassign_usage",
        slow=True,
    ),
)


GROUPS = {
    "penpal": "cmd.coord.group.penpal",
    "facility": "cmd.coord.group.facility",
    "sheet": "cmd.coord.group.sheet",
    "schedule": "cmd.coord.group.schedule",
    "circle": "cmd.coord.group.circle",
}
"""What the first word of a two-word command covers (Discord shows it over its subcommands)."""

"""The coordinators' console: every `/coord` command in one table that both adapters read.

An entry names the command, its arguments, its help and the service call. The Telegram adapter
reads a typed line with `read_line`; the Discord adapter builds its slash commands from the same
entries and hands their options to `read_options`. Either way `run` checks the coordinator right
first, then calls the service, and returns an outcome the adapter shows with its own widgets.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date

from bot.console.commands import (
    COMMANDS,
    GROUPS,
    Actions,
    Arg,
    Command,
    FormWanted,
    Kind,
    Outcome,
    Preview,
    Proposals,
    Value,
    Values,
    reason_word,
)
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import Actor, EndReason
from bot.messages import Message, folded, msg, typed_words
from bot.services import Services

__all__ = [
    "COMMANDS",
    "GROUPS",
    "Actions",
    "Arg",
    "Command",
    "FormWanted",
    "Kind",
    "Outcome",
    "Preview",
    "Proposals",
    "address_action",
    "authorize",
    "listing",
    "read_line",
    "read_options",
    "review_action",
    "run",
    "run_list",
]


def listing() -> Message:
    """Every command, one line each (the answer to `/coord` alone or an unknown command)."""
    return msg("coord.usage", lines=[command.listed() for command in COMMANDS])


def authorize(who: Actor) -> None:
    """Every command is for coordinators; the right is checked before anything is read."""
    if not who.is_coordinator:
        raise NotAllowed()


async def run(services: Services, who: Actor, command: Command, values: Values) -> Outcome:
    """Call the command's service (which checks the right again)."""
    authorize(who)
    return await command.call(services, who, values)


def _named() -> list[tuple[tuple[str, ...], Command]]:
    """Every way to name a command, longest first (so `penpal add` wins over `penpal`)."""
    names = [(words, c) for c in COMMANDS for words in (c.words, *c.aliases)]
    return sorted(names, key=lambda pair: -len(pair[0]))


_TOKEN = re.compile(r"\s*(\S+)")


def read_line(text: str) -> tuple[Command, Values]:
    """A typed command (the text after `/coord`): the command and its arguments' values.

    BotError when it names no command (the list of commands) or its arguments do not fit
    (what was wrong, and how the command is written)."""
    folded = [word.casefold() for word in text.split()]
    found = next(((n, c) for n, c in _named() if folded[: len(n)] == list(n)), None)
    if found is None:
        raise _unknown(folded)
    names, command = found
    rest = text
    for _ in names:  # what follows the command's own words, lines and spacing kept
        word = _TOKEN.match(rest)
        assert word is not None
        rest = rest[word.end() :]
    raw: dict[str, str | None] = {}
    for arg in command.args:
        if arg.kind is Kind.FILE:  # attached, never typed (the adapter adds it)
            continue
        if arg.kind.takes_rest:
            raw[arg.name], rest = rest.strip() or None, ""
            continue
        token = _TOKEN.match(rest)
        raw[arg.name] = token.group(1) if token else None
        rest = rest[token.end() :] if token else ""
    if rest.strip():
        raise _misread(command)
    return command, read_options(command, raw)


def read_options(command: Command, raw: Mapping[str, object]) -> Values:
    """Values from what was typed or picked (strings, or numbers a platform already read);
    BotError naming the command's use when one is missing or cannot be read."""
    values: dict[str, Value] = {}
    for arg in command.args:
        given = raw.get(arg.name)
        if isinstance(given, str):
            given = given.strip() or None
        if given is None:
            if not arg.optional:
                raise _misread(command)
            values[arg.name] = None
            continue
        values[arg.name] = _value(command, arg, given)
    return values


def _value(command: Command, arg: Arg, given: object) -> Value:
    text = str(given)
    if arg.kind in (Kind.NUMBER, Kind.PENPAL):
        if isinstance(given, int):
            return given
        if not (text.isascii() and text.isdigit()) or len(text) > 18:
            raise _misread(command)
        return int(text)
    if arg.kind is Kind.DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise BotError("invalid.date", field=msg(arg.help)) from None
    if arg.kind is Kind.REASON:
        found = _reasons().get(folded(text))
        if found is None:
            raise _misread(command)
        return found
    if arg.kind is Kind.FILE:
        return given if isinstance(given, bytes) else None
    if arg.kind is Kind.CHOICE:
        chosen = text.casefold()
        if chosen not in arg.options:
            raise _misread(command)
        return chosen
    return text


def _reasons() -> dict[str, EndReason]:
    """Every way to type a reason: its stored value, and its word in each language."""
    words = typed_words({reason_word(reason).key: reason for reason in EndReason})
    return {reason.value: reason for reason in EndReason} | words


LISTS = ("pending", "overdue", "concerns", "review")
"""The lists a button under the digest opens (each is the `/coord` command of that name)."""


async def run_list(services: Services, who: Actor, name: str) -> Outcome:
    """The list a digest's button names, as its `/coord` command shows it."""
    authorize(who)
    if name not in LISTS:
        raise NotFound("error.expired")
    command = next(c for c in COMMANDS if c.words == (name,))
    return await command.call(services, who, read_options(command, {}))


async def address_action(services: Services, who: Actor, action: str, penpal_id: int) -> Message:
    """A button under an address in doubt: `aw` where is she, `ao` still there, `am` she moved,
    `ar` released, `al` not known yet."""
    authorize(who)
    if action == "aw":
        return await services.addresses.where(who, penpal_id)
    if action == "ao":
        return await services.addresses.still_there(who, penpal_id)
    if action == "ar":
        return await services.custody.release(penpal_id, None, who)
    if action == "am":  # Telegram: how to write it (Discord opens a form instead)
        return msg("address.moved_how", id=penpal_id)
    if action == "al":
        return await services.addresses.later(who, penpal_id)
    raise NotFound("error.expired")


async def review_action(services: Services, who: Actor, action: str, letter_id: int) -> Message:
    """A button under a letter at the program: `rf` forward or post it; `rh` keep it and
    `rr` give it back (Telegram: how to write the note; Discord opens a form instead)."""
    authorize(who)
    if action == "rf":
        return await services.forwarding.forward(who, letter_id)
    if action == "rh":
        return msg("review.hold_how", letter=letter_id)
    if action == "rr":
        return msg("review.return_how", letter=letter_id)
    raise NotFound("error.expired")


def _unknown(words: list[str]) -> BotError:
    """No command is named so: the one she most likely meant, with its own usage; the whole
    list when nothing is close (or nothing was typed)."""
    if not words:
        everything = listing()
        return BotError(everything.key, **everything.params)
    typed = " ".join(words[:2])
    named = {" ".join(n): c for n, c in _named()}
    close = difflib.get_close_matches(typed, named, n=1, cutoff=0.6) or difflib.get_close_matches(
        words[0], named, n=1, cutoff=0.6
    )
    if close:
        meant = named[close[0]]
        return BotError(
            "coord.did_you_mean", typed=words[0], meant=meant.name, usage=meant.explained()
        )
    lines = [command.listed() for command in COMMANDS]
    return BotError("coord.unknown", typed=words[0], lines=lines)


def _misread(command: Command) -> BotError:
    return BotError("coord.bad_arguments", usage=command.explained())

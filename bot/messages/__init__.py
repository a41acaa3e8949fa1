"""The one catalogue of user-facing sentences, keyed by id, in English; the other languages are
gettext catalogues of the same keys (`translations`).

Templates use `{name}` placeholders and `**bold**`. Adapters render them with their own escaping:
`render(message, escape=..., bold=..., language=...)` escapes every literal part and every
parameter. A `Plural` entry takes the form its count needs in that language; a `date`
parameter is written as the language writes days (`format.day`).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from babel import Locale
from babel.dates import format_date

from bot.messages.forms import (
    ByLanguage,
    CountryName,
    Entry,
    Joined,
    LanguageNames,
    Month,
    Plural,
)
from bot.messages.general import GENERAL_MESSAGES
from bot.messages.general import GUIDELINES_VERSION as GUIDELINES_VERSION
from bot.messages.letters import LETTER_MESSAGES
from bot.messages.lifecycle import LIFECYCLE_MESSAGES, OVERSIGHT_MESSAGES
from bot.messages.translations import LANGUAGES, SOURCE, plural_index, translations
from bot.messages.workspace import WORKSPACE_MESSAGES
from bot.messages.zones import ZONE_MESSAGES

V = TypeVar("V")


class DuplicateKeyError(Exception):
    """The same catalogue key is defined in two parts: one would silently hide the other."""


def merged(*parts: Mapping[str, Entry]) -> dict[str, Entry]:
    """The parts of the catalogue as one; a key defined twice is an error, not an overwrite."""
    catalogue: dict[str, Entry] = {}
    for part in parts:
        twice = sorted(catalogue.keys() & part.keys())
        if twice:
            raise DuplicateKeyError(f"catalogue keys defined twice: {', '.join(twice)}")
        catalogue.update(part)
    return catalogue


CATALOGUE = merged(
    GENERAL_MESSAGES,
    LETTER_MESSAGES,
    LIFECYCLE_MESSAGES,
    OVERSIGHT_MESSAGES,
    WORKSPACE_MESSAGES,
    ZONE_MESSAGES,
)


@dataclass(frozen=True)
class Message:
    """One catalogue entry with its parameters, not yet rendered for a platform."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in CATALOGUE:
            raise KeyError(f"no message {self.key!r} in the catalogue")


def msg(key: str, **params: object) -> Message:
    """Shorthand for `Message(key, params)`."""
    return Message(key, params)


def days(n: int) -> Message:
    """A number of days, as a sentence writes it ("1 day", "3 days", "1 día")."""
    return Message("count.days", {"n": n})


def _identity(text: str) -> str:
    return text


LANGUAGE: ContextVar[str] = ContextVar("language", default=SOURCE)
"""The language of the person being answered or written to: an adapter sets it when an update
or an interaction arrives (her language), the outbox around each send (the receiver's)."""


def render(
    message: Message,
    escape: Callable[[str], str] = _identity,
    bold: Callable[[str], str] = _identity,
    language: str | None = None,
) -> str:
    """Render a message in `language` (by default the one being spoken, `LANGUAGE`): literal
    text and parameters are escaped; `**x**` becomes `bold(x)`; nested messages are rendered
    in the same language."""
    language = language or LANGUAGE.get()
    out: list[str] = []
    for index, segment in enumerate(template(message, language).split("**")):
        rendered = _fill(segment, message.params, escape, bold, language)
        out.append(bold(rendered) if index % 2 else rendered)
    return "".join(out)


def template(message: Message, language: str | None = None) -> str:
    """The message's sentence in `language` (English where it has no translation), in the
    plural form its count takes."""
    language = language or LANGUAGE.get()
    entry = CATALOGUE[message.key]
    translated = translations(language).get(message.key)
    if not isinstance(entry, Plural):
        return translated if isinstance(translated, str) else entry
    count = message.params.get(entry.count, 0)
    n = count if isinstance(count, int) else 0
    if isinstance(translated, tuple):
        return translated[min(plural_index(language)(n), len(translated) - 1)]
    return entry.one if n == 1 else entry.other


def plain(message: Message, language: str | None = None) -> str:
    """The message as plain text (for tests and the terminal)."""
    return render(message, language=language)


def folded(text: str) -> str:
    """Typed text as it is compared with words: case, accents and spacing set aside
    ("Mié" and "mie", "No  reply" and "no reply")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def typed_words(words: Mapping[str, V]) -> dict[str, V]:
    """Every way to type one of a few fixed words: for each catalogue key, its sentence in
    every language, folded, leads to the value (`{"audience_word.all": "all"}` reads "all"
    and "todas")."""
    found: dict[str, V] = {}
    for language in LANGUAGES:
        for key, value in words.items():
            found.setdefault(folded(plain(Message(key), language)), value)
    return found


def _fill(
    template: str,
    params: Mapping[str, object],
    escape: Callable[[str], str],
    bold: Callable[[str], str],
    language: str,
) -> str:
    parts: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(escape(literal))
        if name is not None:
            parts.append(_value(params[name], escape, bold, language))
    return "".join(parts)


_HEADING = re.compile(r"#{1,6}\s+(.*)")
_ITEM = re.compile(r"[-*•]\s+(.*)")


def _written(text: str, escape: Callable[[str], str], bold: Callable[[str], str]) -> str:
    """A text the program wrote itself (its guidelines, welcome, words after a release), read
    as a little Markdown: a `# heading` line and `**words**` are bold, a line starting with
    `- ` or `* ` is a bullet. Everything else is escaped, so nothing in it can change how the
    platform shows the message (no links, no mentions, no code)."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        heading = _HEADING.fullmatch(stripped)
        if heading:
            lines.append(bold(escape(heading.group(1).replace("**", ""))))
            continue
        item = _ITEM.fullmatch(stripped)
        body = item.group(1) if item else line
        parts = body.split("**")
        if len(parts) % 2 == 0:  # an odd number of ** marks: shown as written
            rendered = escape(body)
        else:
            rendered = "".join(
                (bold(escape(part)) if index % 2 else escape(part)) if part else ""
                for index, part in enumerate(parts)
            )
        lines.append(("• " if item else "") + rendered)
    return "\n".join(lines)


def _value(
    value: object, escape: Callable[[str], str], bold: Callable[[str], str], language: str
) -> str:
    if isinstance(value, Message):
        return render(value, escape, bold, language)
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, date):
        pattern = template(Message("format.day"), language)
        return escape(format_date(value, pattern, locale=language))
    if isinstance(value, Month):
        pattern = template(Message("format.month"), language)
        return escape(format_date(date(value.year, value.month, 1), pattern, locale=language))
    if isinstance(value, ByLanguage):
        own = dict(value.texts).get(language)
        return (
            _written(own, escape, bold) if own else _value(value.fallback, escape, bold, language)
        )
    if isinstance(value, Joined):
        return escape(", ").join(_value(item, escape, bold, language) for item in value.items)
    if isinstance(value, CountryName):
        named = None if language == SOURCE else Locale.parse(language).territories.get(value.code)
        return escape(named or value.english)
    if isinstance(value, LanguageNames):
        names = Locale.parse(language).languages
        return escape(", ".join(names.get(code) or english for code, english in value.languages))
    if isinstance(value, Iterable):
        return "\n".join(_value(v, escape, bold, language) for v in value)
    return escape(str(value))


def params_to_json(params: Mapping[str, object]) -> dict[str, object]:
    """Parameters as JSON-safe values; nested messages become `{"$msg": key, "params": ...}`."""
    return {name: _to_json(value) for name, value in params.items()}


def params_from_json(params: Mapping[str, object]) -> dict[str, object]:
    """The inverse of `params_to_json`."""
    return {name: _from_json(value) for name, value in params.items()}


def _to_json(value: object) -> object:
    if isinstance(value, Message):
        return {"$msg": value.key, "params": params_to_json(value.params)}
    if isinstance(value, date):
        return {"$day": value.isoformat()}
    if isinstance(value, LanguageNames):
        return {"$languages": [list(pair) for pair in value.languages]}
    if isinstance(value, CountryName):
        return {"$country": value.code, "en": value.english}
    if isinstance(value, Joined):
        return {"$joined": [_to_json(item) for item in value.items]}
    if isinstance(value, Month):
        return {"$month": [value.year, value.month]}
    if isinstance(value, ByLanguage):
        return {
            "$by_language": [list(pair) for pair in value.texts],
            "or": _to_json(value.fallback),
        }
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Iterable):
        return [_to_json(v) for v in value]
    return str(value)


def _from_json(value: object) -> object:
    if isinstance(value, dict) and "$day" in value:
        return date.fromisoformat(str(value["$day"]))
    if isinstance(value, dict) and "$month" in value:
        year, month = value["$month"]
        return Month(int(year), int(month))
    if isinstance(value, dict) and "$joined" in value:
        items = value["$joined"]
        return Joined(tuple(_from_json(i) for i in items) if isinstance(items, list) else ())
    if isinstance(value, dict) and "$country" in value:
        return CountryName(str(value["$country"]), str(value.get("en", value["$country"])))
    if isinstance(value, dict) and "$by_language" in value:
        texts = value["$by_language"]
        pairs = tuple((str(c), str(t)) for c, t in texts) if isinstance(texts, list) else ()
        return ByLanguage(pairs, _from_json(value.get("or", "")))
    if isinstance(value, dict) and "$languages" in value:
        pairs = value["$languages"]
        return LanguageNames(tuple((str(c), str(e)) for c, e in pairs if isinstance(pairs, list)))
    if isinstance(value, dict) and "$msg" in value:
        inner = value.get("params", {})
        return Message(
            str(value["$msg"]), params_from_json(inner if isinstance(inner, dict) else {})
        )
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value

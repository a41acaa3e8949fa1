"""The bot's languages and their translations, read from gettext catalogues (`locale/*.po`,
one per language, made with Babel; the English source is the catalogue in this package).

Each entry of a .po file is one catalogue key: the key is its context (`msgctxt`), the English
sentence its `msgid` (with `msgid_plural` for a `Plural`), and the translation its `msgstr`
(one per plural form, chosen by the language's CLDR plural rule). A missing or fuzzy
translation falls back to English; the checks in `make test` keep every language whole.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources

from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

SOURCE = "en"
"""The language the catalogue is written in."""

LANGUAGES = ("en", "es")
"""Every language the bot speaks (a program may turn some off in its config)."""

Translated = str | tuple[str, ...]


def language_of(hint: str | None, allowed: tuple[str, ...] = LANGUAGES) -> str | None:
    """A platform's locale hint ("es-ES", "es", "en-GB", "pt-BR") as one of `allowed`, or None
    when it names none of them."""
    if not hint:
        return None
    base = hint.replace("_", "-").split("-")[0].casefold()
    return base if base in allowed else None


@cache
def plural_index(language: str) -> Callable[[int], int]:
    """Which plural form a number takes in `language` (gettext's index, from CLDR)."""
    return gettext.c2py(get_plural(language).plural_expr)


@cache
def translations(language: str) -> Mapping[str, Translated]:
    """Every translated entry of `language`, by catalogue key (empty for the source)."""
    if language == SOURCE:
        return {}
    source = resources.files("bot.messages").joinpath("locale", f"{language}.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    found: dict[str, Translated] = {}
    for message in catalog:
        if not message.id or not message.context or message.fuzzy:
            continue
        text = message.string
        if isinstance(text, tuple | list):
            if all(text):
                found[message.context] = tuple(text)
        elif text:
            found[message.context] = text
    return found

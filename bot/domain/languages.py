"""Languages a volunteer can write in, as short codes, recognised from common names."""

from __future__ import annotations

from collections.abc import Iterable

from bot.messages.forms import LanguageNames

# code -> (English name, other names people type)
LANGUAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "en": ("English", ("inglés", "ingles", "anglais")),
    "es": ("Spanish", ("español", "espanol", "castellano")),
    "fr": ("French", ("français", "francais")),
    "pt": ("Portuguese", ("português", "portugues")),
    "de": ("German", ("deutsch",)),
    "it": ("Italian", ("italiano",)),
    "nl": ("Dutch", ("nederlands",)),
    "ar": ("Arabic", ("العربية",)),
    "zh": ("Chinese", ("mandarin", "cantonese", "中文")),
    "vi": ("Vietnamese", ("tiếng việt",)),
    "tl": ("Tagalog", ("filipino",)),
    "ko": ("Korean", ("한국어",)),
    "ja": ("Japanese", ("日本語",)),
    "ru": ("Russian", ("русский",)),
    "uk": ("Ukrainian", ("українська",)),
    "pl": ("Polish", ("polski",)),
    "ht": ("Haitian Creole", ("kreyòl", "creole", "kreyol")),
    "hi": ("Hindi", ("हिन्दी",)),
    "so": ("Somali", ("soomaali",)),
    "asl": ("American Sign Language", ("asl",)),
}

# Offered as buttons on Telegram; any other language can be typed.
COMMON = ("en", "es", "fr", "pt", "de", "it", "ar", "zh")

_LOOKUP: dict[str, str] = {}
for _code, (_name, _aliases) in LANGUAGES.items():
    for _key in (_code, _name, *_aliases):
        _LOOKUP[_key.casefold()] = _code


def language_code(typed: str) -> str | None:
    """The code for a typed language name or code, or None when it is not one we know."""
    return _LOOKUP.get(typed.strip().casefold())


def language_name(code: str) -> str:
    """The English name of a language code (the code itself if unknown)."""
    entry = LANGUAGES.get(code)
    return entry[0] if entry else code


def known_names() -> str:
    """A short list of the language names we recognise, for help texts."""
    return ", ".join(name for name, _ in LANGUAGES.values())


def names(codes: Iterable[str]) -> LanguageNames:
    """Languages as a message parameter, named in the reader's language when she reads it."""
    return LanguageNames(tuple((code, language_name(code)) for code in codes))

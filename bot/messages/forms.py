"""The shapes a catalogue entry takes besides plain text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plural:
    """A sentence about a number: `one` for 1 and `other` for any other number, in English.
    Each language has as many forms as its plural rules need (Spanish: one, many, other),
    in its .po file. `count` names the parameter that holds the number."""

    one: str
    other: str
    count: str = "n"


Entry = str | Plural


@dataclass(frozen=True)
class LanguageNames:
    """A message parameter: languages people write letters in (codes, with their English
    names), written as the reader's language names them ("English, Spanish" or "inglés,
    español"); a name the reader's language lacks stays English."""

    languages: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ByLanguage:
    """A message parameter the program wrote itself, one text per language (its guidelines,
    its welcome): the reader's, else the `fallback` message (the bot's own words)."""

    texts: tuple[tuple[str, str], ...]
    fallback: object  # a Message


@dataclass(frozen=True)
class CountryName:
    """A message parameter: a country (ISO code, with its English name), named as the
    reader's language names it ("United States", "Estados Unidos")."""

    code: str
    english: str


@dataclass(frozen=True)
class Joined:
    """A message parameter: several messages written one after another, with commas."""

    items: tuple[object, ...]


@dataclass(frozen=True)
class Month:
    """A message parameter: a month of a year, written as the reader's language writes it
    ("March 2026", "marzo de 2026"; the pattern is the catalogue's `format.month`)."""

    year: int
    month: int

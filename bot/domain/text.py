"""Normalising free text typed by users before it is validated or stored."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Bidi overrides/embeddings/isolates and zero-width characters: invisible, and used to spoof text.
_INVISIBLE = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u061c",
}


def normalise(raw: str) -> str:
    """NFKC, drop control/bidi-override/zero-width characters, collapse whitespace runs."""
    text = unicodedata.normalize("NFKC", raw)
    kept = []
    for ch in text:
        if ch in _INVISIBLE:
            continue
        if ch in "\n\t\r":
            kept.append(" ")
            continue
        if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"}:
            continue
        kept.append(ch)
    return " ".join("".join(kept).split())


_FORMULA = re.compile(r"'*[=+\-@\t\r]")
"""A cell that a spreadsheet would run as a formula: it starts with = + - @, a tab or a
carriage return (also behind quotes that are part of the value)."""


def safe_cell(value: str) -> str:
    """A value as written to an exported spreadsheet: a leading `'` keeps Excel and LibreOffice
    from running it as a formula (CSV injection). `plain_cell` gives the value back."""
    return "'" + value if _FORMULA.match(value) else value


def plain_cell(cell: str) -> str:
    """A cell read from a spreadsheet, without the `'` that `safe_cell` put in front."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell[1:]) else cell


def split_list(text: str) -> list[str]:
    """Split a typed list on commas, semicolons, slashes or the word 'and'; drop empties."""
    for sep in (";", "/", " and ", "&"):
        text = text.replace(sep, ",")
    seen: dict[str, str] = {}
    for part in text.split(","):
        item = part.strip(" .")
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return list(seen.values())


def utf16_units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


@dataclass(frozen=True)
class Markup:
    """How a platform's rendered text must not be cut: `atoms` matches the pieces that stay
    whole (a tag, an entity, an escape; otherwise one character); `bold` opens and closes the
    one style that can span a cut (it is closed and reopened there)."""

    atoms: re.Pattern[str]
    bold: tuple[str, str]
    size: Callable[[str], int] = len


def split_rendered(text: str, limit: int, markup: Markup) -> list[str]:
    """Rendered text in pieces of at most `limit` (as `markup.size` counts), cut after a line
    break where possible, else after a space, else anywhere between atoms. Pieces of nothing
    but whitespace are dropped."""
    if markup.size(text) <= limit:
        return [text] if text.strip() else []
    opener, closer = markup.bold
    reserve = markup.size(closer)
    pieces: list[str] = []
    current: list[tuple[str, bool]] = []  # (atom, bold after it)
    bold_at_start = False
    used = 0

    def piece(atoms: list[tuple[str, bool]], bold_before: bool) -> str:
        body = "".join(atom for atom, _ in atoms)
        bold_after = atoms[-1][1] if atoms else bold_before
        return (opener if bold_before else "") + body + (closer if bold_after else "")

    for match in markup.atoms.finditer(text):
        atom = match.group(0)
        bold = current[-1][1] if current else bold_at_start
        bold = True if atom == opener else False if atom == closer else bold
        if atom == opener == closer:  # markdown's ** toggles
            bold = not (current[-1][1] if current else bold_at_start)
        while current and used + markup.size(atom) > (
            limit - reserve - (markup.size(opener) if bold_at_start else 0)
        ):
            cut = _cut(current)
            pieces.append(piece(current[:cut], bold_at_start))
            bold_at_start = current[cut - 1][1]
            current = current[cut:]
            used = sum(markup.size(a) for a, _ in current)
        current.append((atom, bold))
        used += markup.size(atom)
    if current:
        pieces.append(piece(current, bold_at_start))
    return [p for p in pieces if p.strip() and p.strip() not in (opener + closer,)]


def _cut(atoms: list[tuple[str, bool]]) -> int:
    """Where to cut: after the last line break, else after the last space (not at the start)."""
    for wanted in ("\n", " "):
        for index in range(len(atoms) - 1, 0, -1):
            if atoms[index - 1][0] == wanted:
                return index
    return len(atoms)

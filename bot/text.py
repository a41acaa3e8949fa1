"""Normalising free text typed by users before it is validated or stored."""

from __future__ import annotations

import unicodedata

# Bidi overrides/embeddings/isolates and zero-width characters: invisible, and used to spoof text.
_INVISIBLE = {
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u061c",
}  # fmt: skip


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

"""The translators' files: `python -m bot.messages.po update` writes the template
(`locale/messages.pot`, extracted from the English catalogue) and merges it into every
language's `.po` (new sentences come in untranslated, changed ones are marked fuzzy); `check`
fails when the template is out of date, or a language misses a sentence, has it fuzzy, or
changes its placeholders, bold marks or plural forms, or does not compile. `make test` runs
`check`.
"""

from __future__ import annotations

import io
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.messages import CATALOGUE
from bot.messages.forms import Plural
from bot.messages.translations import LANGUAGES, SOURCE

LOCALE = Path(__file__).resolve().parent / "locale"
TEMPLATE = LOCALE / "messages.pot"
HEADER = "Pen pal bot: every sentence the bot says. Context = the catalogue key."


def template() -> Catalog:
    """The English catalogue as a gettext template: one entry per key (its context)."""
    catalog = Catalog(
        project="penpal-bot",
        copyright_holder="the penpal-bot authors",
        header_comment=f"# {HEADER}",
        fuzzy=False,
    )
    for key, entry in CATALOGUE.items():
        text = (entry.one, entry.other) if isinstance(entry, Plural) else entry
        comments = [f"plural count: {{{entry.count}}}"] if isinstance(entry, Plural) else []
        catalog.add(text, context=key, auto_comments=comments)
    return catalog


def _po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False, no_location=True)
    return _without_date(out.getvalue())


def _without_date(data: bytes) -> bytes:
    """The dates Babel writes into headers change on every run: they are left out, so that
    an unchanged catalogue gives unchanged files."""
    return b"\n".join(
        line
        for line in data.split(b"\n")
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))
    )


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update() -> None:
    """Write the template and merge it into each language's catalogue."""
    LOCALE.mkdir(exist_ok=True)
    fresh = template()
    TEMPLATE.write_bytes(_po(fresh))
    for language in LANGUAGES:
        if language == SOURCE:
            continue
        path = LOCALE / f"{language}.po"
        catalog = (
            _read(path, language)
            if path.exists()
            else Catalog(
                locale=language,
                project="penpal-bot",
                copyright_holder="the penpal-bot authors",
                header_comment=f"# {HEADER}",
                fuzzy=False,
            )
        )
        catalog.update(fresh, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.write_bytes(_po(catalog))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(language: str) -> Iterator[str]:
    """What keeps `language` from being whole."""
    path = LOCALE / f"{language}.po"
    if not path.exists():
        yield f"{path.name} is missing"
        return
    catalog = _read(path, language)
    found: dict[str, Message] = {m.context: m for m in catalog if m.context}
    for key, entry in CATALOGUE.items():
        message = found.get(key)
        if message is None:
            yield f"{language}: {key} is missing (run: python -m bot.messages.po update)"
            continue
        english = [entry.one, entry.other] if isinstance(entry, Plural) else [entry]
        raw = message.string
        translated = [str(t or "") for t in raw] if isinstance(raw, tuple | list) else [raw or ""]
        if message.fuzzy or not all(translated):
            yield f"{language}: {key} is {'fuzzy' if message.fuzzy else 'not translated'}"
            continue
        if isinstance(entry, Plural) and len(translated) != catalog.num_plurals:
            yield f"{language}: {key} needs {catalog.num_plurals} plural forms"
        wanted = set().union(*(_fields(e) for e in english))
        for text in translated:
            extra = _fields(text) - wanted
            if extra:
                yield f"{language}: {key} has placeholders the English does not: {sorted(extra)}"
            if text.count("**") != english[0].count("**"):
                yield f"{language}: {key} does not keep the bold marks (**) of the English"
        if not isinstance(entry, Plural) and _fields(translated[0]) != wanted:
            yield f"{language}: {key} must keep the placeholders {sorted(wanted)}"
    write_mo(io.BytesIO(), catalog)  # compiles, or raises


def check() -> list[str]:
    """Everything out of date or incomplete; empty when the catalogues are whole."""
    found: list[str] = []
    if not TEMPLATE.exists() or TEMPLATE.read_bytes() != _po(template()):
        found.append(f"{TEMPLATE.name} is out of date (run: python -m bot.messages.po update)")
    for language in LANGUAGES:
        if language != SOURCE:
            found += list(problems(language))
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        found = check()
        for problem in found:
            print(problem, file=sys.stderr)
        return 1 if found else 0
    print("usage: python -m bot.messages.po update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

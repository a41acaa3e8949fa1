"""Spreadsheets through the chat and the workspace: a coordinator gets the program's lists as
CSV files privately, and sends a CSV of facilities or pen pals to import (all or nothing, with
the same checks and report as `penpal-bot penpals import`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.domain.errors import BotError, NotAllowed
from bot.domain.models import Actor
from bot.domain.ports import UnitOfWorkFactory
from bot.domain.text import plain_cell, safe_cell
from bot.messages import Message, msg
from bot.registry import FACILITY_COLUMNS, PENPAL_COLUMNS, ImportReport, RegistryService

EXPORTS = ("penpals", "facilities", "volunteers", "matches", "letters")
IMPORTS = ("penpals", "facilities")
MAX_BYTES = 5_000_000
"""A file to import may be this big (about 20,000 pen pals)."""
SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Sheet:
    """A CSV file to hand to a coordinator privately."""

    filename: str
    content: bytes
    caption: Message


def to_csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheet apps then read accents right), and no cell a
    spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def from_csv(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of an uploaded CSV; BotError when it is not one we can read."""
    if len(data) > MAX_BYTES:
        raise BotError("sheet.too_big", max=MAX_BYTES // 1_000_000)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BotError("sheet.not_utf8") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [{k: plain_cell(v or "") for k, v in row.items() if k is not None} for row in reader]
    except csv.Error:
        raise BotError("sheet.not_csv") from None
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise BotError("sheet.empty")
    return header, rows


@dataclass
class SheetService:
    """Exports and imports for coordinators (each audited)."""

    uow: UnitOfWorkFactory
    clock: Clock
    registry: RegistryService

    async def export(self, actor: Actor, kind: str) -> Sheet:
        if not actor.is_coordinator:
            raise NotAllowed()
        if kind not in EXPORTS:
            raise BotError("sheet.which_export", kinds=", ".join(EXPORTS))
        columns: tuple[str, ...]
        rows: list[dict[str, str]]
        if kind == "penpals":
            columns, rows = PENPAL_COLUMNS, await self.registry.export_penpals(actor.label)
        elif kind == "facilities":
            columns, rows = FACILITY_COLUMNS, await self.registry.export_facilities(actor.label)
        else:
            async with self.uow() as uow:
                columns, rows = await uow.workspace.export_rows(kind)
                await uow.audit.add(
                    actor.label, f"{kind}.export", f"{kind}:{len(rows)}", self.clock.now()
                )
                await uow.commit()
        day = self.clock.now().date().isoformat()
        caption = msg("sheet.exported", kind=kind, count=len(rows))
        return Sheet(f"{kind}-{day}.csv", to_csv(columns, rows), caption)

    async def import_(self, actor: Actor, kind: str, data: bytes | None) -> Message:
        """Import a CSV the coordinator sent: all rows or none, with every problem listed."""
        if not actor.is_coordinator:
            raise NotAllowed()
        if kind not in IMPORTS:
            raise BotError("sheet.which_import", kinds=", ".join(IMPORTS))
        if data is None:
            raise BotError("sheet.attach", kind=kind)
        header, rows = from_csv(data)
        importer = (
            self.registry.import_penpals if kind == "penpals" else self.registry.import_facilities
        )
        return described(await importer(header, rows, actor.label), kind)


def described(report: ImportReport, kind: str) -> Message:
    """What an import did, or every problem that stopped it (the first 20, then how many more)."""
    if report.ok:
        return msg(
            "sheet.imported",
            kind=kind,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
        )
    lines = [
        msg("sheet.problem", row=p.row, column=p.column, reason=p.reason)
        for p in report.problems[:SHOWN_PROBLEMS]
    ]
    if len(report.problems) > SHOWN_PROBLEMS:
        lines.append(msg("list.more", count=len(report.problems) - SHOWN_PROBLEMS))
    return msg("sheet.refused", kind=kind, count=len(report.problems), lines=lines)

"""`penpal-bot penpals|facilities import|export FILE`: spreadsheets in and out (CLI glue only)."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path
from typing import Any

from bot.domain.text import plain_cell, safe_cell
from bot.registry import FACILITY_COLUMNS, PENPAL_COLUMNS, ImportReport, RegistryService

ACTOR = "cli"
PROGRESS_FROM = 500  # rows; smaller files finish before a bar would help


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a UTF-8 CSV (a spreadsheet's byte-order mark is accepted; the
    `'` an export put before a formula-like value is taken off)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = [{k: plain_cell(v or "") for k, v in row.items() if k is not None} for row in reader]
        return [h.strip() for h in (reader.fieldnames or [])], rows


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write rows readable only by the owner (the file holds personal data), with no cell a
    spreadsheet would run as a formula."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file was there before
    with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)


def describe(report: ImportReport, kind: str) -> str:
    """One report for the whole file: every bad row and column, or what was done."""
    if report.ok:
        return (
            f"{kind}: {report.added} added, {report.updated} updated, {report.unchanged} unchanged."
        )
    count = len(report.problems)
    these = "this problem" if count == 1 else f"these {count} problems"
    lines = [f"{kind}: nothing was imported; fix {these}:"]
    lines += [f"  row {p.row}, column {p.column}: {p.reason}" for p in report.problems]
    return "\n".join(lines)


async def run(registry: RegistryService, kind: str, action: str, path: Path) -> int:
    """Carry out one registry command; 0 on success, 1 when the file was refused."""
    if action == "export":
        if kind == "penpals":
            write_csv(path, PENPAL_COLUMNS, await registry.export_penpals(ACTOR))
        else:
            write_csv(path, FACILITY_COLUMNS, await registry.export_facilities(ACTOR))
        print(f"{kind}: exported to {path} (readable by you only: it holds personal data)")
        return 0
    try:
        header, rows = read_csv(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        print(f"{kind}: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    bar = _progress(len(rows))
    importer = registry.import_penpals if kind == "penpals" else registry.import_facilities
    try:
        report = await importer(header, rows, ACTOR, progress=bar.update_to if bar else None)
    finally:
        if bar:
            bar.close()
    print(describe(report, kind), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def _progress(total: int) -> Any:
    """A progress bar on a terminal for large files; nothing otherwise."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="row", file=sys.stderr)

    def update_to(done: int) -> None:
        bar.update(done - bar.n)

    bar.update_to = update_to
    return bar

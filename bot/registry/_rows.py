"""Checking spreadsheet rows (or one chat form) for the registry, collecting every problem."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.domain.languages import language_code
from bot.domain.models import (
    CORRESPONDENCE_KINDS,
    Facility,
    PenPal,
    PenPalStatus,
)
from bot.domain.text import normalise, split_list

KINDS = CORRESPONDENCE_KINDS
FACILITY_COLUMNS = (
    "name",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "jurisdiction",
    "mail_rules",
    "emessaging_service",
    "locator_url",
)
FACILITY_REQUIRED = ("name", "address_line_1")
PENPAL_COLUMNS = (
    "committed_name",
    "preferred_name",
    "pronouns",
    "id_number",
    "facility",
    "languages",
    "interests",
    "correspondence",
    "description",
    "release_date",
    "waiting_since",
    "writer_preference",
    "address_verified_on",
    "status",
)
PENPAL_REQUIRED = ("committed_name", "id_number", "facility", "languages")
LIMITS = {
    "committed_name": 100,
    "preferred_name": 60,
    "pronouns": 30,
    "id_number": 30,
    "description": 500,
    "mail_rules": 2000,
    "name": 120,
    "locator_url": 500,
}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowProblem:
    """One bad cell: the row number as a spreadsheet shows it (the header is row 1)."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did, or why it did nothing."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: tuple[RowProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Row:
    """Checks the cells of one row, collecting every problem instead of stopping at the first."""

    number: int
    cells: Mapping[str, str]
    problems: list[RowProblem] = field(default_factory=list)

    def text(self, column: str, required: bool = False) -> str:
        value = normalise(self.cells.get(column) or "")
        if required and not value:
            self.problems.append(RowProblem(self.number, column, "missing"))
        limit = LIMITS.get(column, 300)
        if len(value) > limit:
            self.problems.append(RowProblem(self.number, column, f"longer than {limit} characters"))
        return value[:limit]

    def day(self, column: str, default: date | None = None) -> date | None:
        value = self.text(column)
        if not value:
            return default
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problems.append(
                RowProblem(self.number, column, f"bad date {value!r} (use YYYY-MM-DD)")
            )
            return default

    def items(self, column: str, limit: int = 10) -> tuple[str, ...]:
        found = tuple(item.casefold() for item in split_list(self.text(column)))
        if len(found) > limit:
            self.problems.append(RowProblem(self.number, column, f"more than {limit} items"))
        return found[:limit]


def check_header(
    header: Sequence[str], known: Sequence[str], required: Sequence[str]
) -> list[RowProblem]:
    problems = [RowProblem(1, c, "unknown column") for c in header if c not in known]
    problems += [RowProblem(1, c, "missing column") for c in required if c not in header]
    return problems


def penpal_row(
    row: Row, facilities: Mapping[str, Facility], today: date
) -> tuple[PenPal, int, str]:
    committed = row.text("committed_name", required=True)
    id_number = row.text("id_number", required=True)
    facility_name = row.text("facility", required=True)
    facility = facilities.get(facility_name.casefold())
    if facility_name and facility is None:
        row.problems.append(
            RowProblem(
                row.number,
                "facility",
                f"unknown facility {facility_name!r} (import facilities first)",
            )
        )
    languages: list[str] = []
    for typed in split_list(row.text("languages", required=True)):
        code = language_code(typed)
        if code is None:
            row.problems.append(RowProblem(row.number, "languages", f"unknown language {typed!r}"))
        elif code not in languages:
            languages.append(code)
    kinds = row.items("correspondence", limit=len(KINDS))
    for kind in kinds:
        if kind not in KINDS:
            row.problems.append(
                RowProblem(
                    row.number,
                    "correspondence",
                    f"unknown kind {kind!r} (one of {', '.join(KINDS)})",
                )
            )
    preference = row.text("writer_preference").casefold()
    if preference not in ("", "woman"):
        row.problems.append(
            RowProblem(row.number, "writer_preference", "leave empty or write 'woman'")
        )
    status_text = row.text("status").casefold() or PenPalStatus.WAITING.value
    if status_text not in {s.value for s in PenPalStatus}:
        row.problems.append(RowProblem(row.number, "status", f"unknown status {status_text!r}"))
        status_text = PenPalStatus.WAITING.value
    waiting = row.day("waiting_since", today) or today
    if waiting > today:
        row.problems.append(RowProblem(row.number, "waiting_since", "in the future"))
    penpal = PenPal(
        id=0,
        committed_name=committed,
        preferred_name=row.text("preferred_name") or committed.split(" ")[0],
        pronouns=row.text("pronouns"),
        languages=tuple(languages),
        interests=row.items("interests"),
        correspondence_kinds=tuple(k for k in kinds if k in KINDS),
        description=row.text("description"),
        waiting_since=waiting,
        status=PenPalStatus(status_text),
        release_date=row.day("release_date"),
        address_verified_at=row.day("address_verified_on"),
        writer_preference=preference or None,
    )
    return penpal, facility.id if facility else 0, id_number

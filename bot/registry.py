"""The registry of facilities and pen pals: spreadsheet import (all or nothing) and export.

Every row of a file is checked before anything is written; a file with any bad row gets one
report naming each bad row and column, and nothing changes. Rows are matched to existing records
by facility and ID number (pen pals) or by name (facilities), so importing the same file again
changes nothing. Each pen pal added or changed leaves an audit row (never the data itself).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from bot.clock import Clock
from bot.errors import NotAllowed
from bot.languages import language_code
from bot.messages import Message, msg
from bot.models import (
    CORRESPONDENCE_KINDS,
    Actor,
    CustodyRecord,
    Facility,
    PenPal,
    PenPalStatus,
)
from bot.ports import UnitOfWorkFactory
from bot.text import normalise, split_list

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
class _Row:
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


def _check_header(
    header: Sequence[str], known: Sequence[str], required: Sequence[str]
) -> list[RowProblem]:
    problems = [RowProblem(1, c, "unknown column") for c in header if c not in known]
    problems += [RowProblem(1, c, "missing column") for c in required if c not in header]
    return problems


@dataclass
class RegistryService:
    """Imports and exports the facilities and pen pals registers."""

    uow: UnitOfWorkFactory
    clock: Clock

    async def import_facilities(
        self,
        header: Sequence[str],
        rows: Sequence[Mapping[str, str]],
        actor: str,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Add or update facilities by name; all or nothing."""
        problems = _check_header(header, FACILITY_COLUMNS, FACILITY_REQUIRED)
        parsed: list[Facility] = []
        seen: set[str] = set()
        for index, cells in enumerate(rows):
            row = _Row(index + 2, cells)
            name = row.text("name", required=True)
            lines = tuple(v for c in FACILITY_COLUMNS[1:5] if (v := row.text(c)))
            if not lines:
                row.text("address_line_1", required=True)
            if name.casefold() in seen:
                row.problems.append(RowProblem(row.number, "name", "appears twice in this file"))
            seen.add(name.casefold())
            parsed.append(
                Facility(
                    0,
                    name,
                    lines,
                    row.text("jurisdiction"),
                    row.text("mail_rules"),
                    row.text("emessaging_service") or None,
                )
            )
            problems += row.problems
        if problems:
            return ImportReport(problems=tuple(problems))
        added = updated = unchanged = 0
        now = self.clock.now()
        async with self.uow() as uow:
            for index, facility in enumerate(parsed):
                existing = await uow.facilities.by_name(facility.name)
                if existing is None:
                    saved = await uow.facilities.add(facility)
                    await uow.audit.add(actor, "facility.add", f"facility:{saved.id}", now)
                    added += 1
                elif replace(facility, id=existing.id) != existing:
                    await uow.facilities.update(replace(facility, id=existing.id))
                    await uow.audit.add(actor, "facility.update", f"facility:{existing.id}", now)
                    updated += 1
                else:
                    unchanged += 1
                if progress:
                    progress(index + 1)
            await uow.commit()
        return ImportReport(added, updated, unchanged)

    async def import_penpals(
        self,
        header: Sequence[str],
        rows: Sequence[Mapping[str, str]],
        actor: str,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Add or update pen pals by facility and ID number; all or nothing."""
        problems = _check_header(header, PENPAL_COLUMNS, PENPAL_REQUIRED)
        today = self.clock.now().date()
        async with self.uow() as uow:
            facilities = {f.name.casefold(): f for f in await uow.facilities.all()}
            parsed: list[tuple[PenPal, int, str]] = []
            seen: dict[tuple[int, str], int] = {}
            for index, cells in enumerate(rows):
                row = _Row(index + 2, cells)
                penpal, facility_id, id_number = self._penpal_row(row, facilities, today)
                key = (facility_id, id_number.casefold())
                if facility_id and id_number and key in seen:
                    row.problems.append(
                        RowProblem(
                            row.number,
                            "id_number",
                            f"same facility and ID number as row {seen[key]}",
                        )
                    )
                seen.setdefault(key, row.number)
                parsed.append((penpal, facility_id, id_number))
                problems += row.problems
            if problems:
                return ImportReport(problems=tuple(problems))
            added = updated = unchanged = 0
            now = self.clock.now()
            for index, (penpal, facility_id, id_number) in enumerate(parsed):
                existing = await uow.penpals.by_custody(facility_id, id_number)
                if existing is None:
                    saved = await uow.penpals.add(penpal)
                    await uow.penpals.open_custody(
                        CustodyRecord(0, saved.id, facility_id, id_number, penpal.waiting_since)
                    )
                    await uow.audit.add(actor, "penpal.add", f"penpal:{saved.id}", now)
                    added += 1
                else:
                    merged = replace(penpal, id=existing.id, status=existing.status)
                    if merged != existing:
                        await uow.penpals.update(merged)
                        await uow.audit.add(actor, "penpal.update", f"penpal:{existing.id}", now)
                        updated += 1
                    else:
                        unchanged += 1
                if progress:
                    progress(index + 1)
            await uow.commit()
        return ImportReport(added, updated, unchanged)

    @staticmethod
    def _penpal_row(
        row: _Row, facilities: Mapping[str, Facility], today: date
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
                row.problems.append(
                    RowProblem(row.number, "languages", f"unknown language {typed!r}")
                )
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

    async def save_facility(self, actor: Actor, cells: Mapping[str, str]) -> Message:
        """A coordinator adds or edits one facility (same checks as a spreadsheet row)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        report = await self.import_facilities(list(cells), [cells], actor.label)
        return _saved(report, "registry.facility")

    async def save_penpal(self, actor: Actor, cells: Mapping[str, str]) -> Message:
        """A coordinator adds or edits one pen pal (same checks as a spreadsheet row)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        report = await self.import_penpals(list(cells), [cells], actor.label)
        return _saved(report, "registry.penpal")

    async def export_facilities(self, actor: str) -> list[dict[str, str]]:
        """Every facility as spreadsheet rows (the same columns the import takes)."""
        async with self.uow() as uow:
            facilities = await uow.facilities.all()
            await uow.audit.add(
                actor, "facility.export", f"facilities:{len(facilities)}", self.clock.now()
            )
            await uow.commit()
        out = []
        for f in facilities:
            lines = [*f.address_lines, "", "", "", ""][:4]
            out.append(
                {
                    "name": f.name,
                    **{f"address_line_{i + 1}": line for i, line in enumerate(lines)},
                    "jurisdiction": f.jurisdiction,
                    "mail_rules": f.mail_rules,
                    "emessaging_service": f.emessaging_service or "",
                }
            )
        return out

    async def export_penpals(self, actor: str) -> list[dict[str, str]]:
        """Every pen pal with her current facility and ID number, as spreadsheet rows."""
        async with self.uow() as uow:
            facilities = {f.id: f.name for f in await uow.facilities.all()}
            rows = []
            for p in await uow.penpals.all():
                custody = await uow.penpals.custody(p.id)
                rows.append(
                    {
                        "committed_name": p.committed_name,
                        "preferred_name": p.preferred_name,
                        "pronouns": p.pronouns,
                        "id_number": custody.id_number if custody else "",
                        "facility": facilities.get(custody.facility_id, "") if custody else "",
                        "languages": ", ".join(p.languages),
                        "interests": ", ".join(p.interests),
                        "correspondence": ", ".join(p.correspondence_kinds),
                        "description": p.description,
                        "release_date": p.release_date.isoformat() if p.release_date else "",
                        "waiting_since": p.waiting_since.isoformat(),
                        "writer_preference": p.writer_preference or "",
                        "address_verified_on": p.address_verified_at.isoformat()
                        if p.address_verified_at
                        else "",
                        "status": p.status.value,
                    }
                )
            await uow.audit.add(actor, "penpal.export", f"penpals:{len(rows)}", self.clock.now())
            await uow.commit()
        return rows


def _saved(report: ImportReport, kind: str) -> Message:
    if not report.ok:
        problems = [f"{p.column}: {p.reason}" for p in report.problems]
        return msg("registry.problems", problems=problems)
    outcome = "added" if report.added else "updated" if report.updated else "unchanged"
    return msg(f"{kind}.{outcome}")

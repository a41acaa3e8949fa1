"""The registry of facilities and pen pals: spreadsheet import (all or nothing) and export.

Every row of a file is checked before anything is written; a file with any bad row gets one
report naming each bad row and column, and nothing changes. Rows are matched to existing records
by facility and ID number (pen pals) or by name (facilities), so importing the same file again
changes nothing. Each pen pal added or changed leaves an audit row (never the data itself).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.domain.clock import Clock
from bot.domain.errors import NotAllowed
from bot.domain.models import (
    Actor,
    CustodyRecord,
    Facility,
    PenPal,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import Message, msg
from bot.registry._rows import (
    FACILITY_COLUMNS,
    FACILITY_REQUIRED,
    PENPAL_COLUMNS,
    PENPAL_REQUIRED,
    ImportReport,
    Progress,
    Row,
    RowProblem,
    check_header,
    penpal_row,
)


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
        problems = check_header(header, FACILITY_COLUMNS, FACILITY_REQUIRED)
        parsed: list[Facility] = []
        seen: set[str] = set()
        for index, cells in enumerate(rows):
            row = Row(index + 2, cells)
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
                    _locator(row),
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
        problems = check_header(header, PENPAL_COLUMNS, PENPAL_REQUIRED)
        today = self.clock.now().date()
        async with self.uow() as uow:
            facilities = {f.name.casefold(): f for f in await uow.facilities.all()}
            parsed: list[tuple[PenPal, int, str]] = []
            seen: dict[tuple[int, str], int] = {}
            for index, cells in enumerate(rows):
                row = Row(index + 2, cells)
                penpal, facility_id, id_number = penpal_row(row, facilities, today)
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

    async def facility_names(self, actor: Actor) -> list[str]:
        """Every facility's name, in alphabetical order (to pick one from a list)."""
        if not actor.is_coordinator:
            raise NotAllowed()
        async with self.uow() as uow:
            return sorted((f.name for f in await uow.facilities.all()), key=str.casefold)

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
                    "locator_url": f.locator_url,
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


__all__ = ["FACILITY_COLUMNS", "PENPAL_COLUMNS", "ImportReport", "RegistryService", "RowProblem"]


def _locator(row: Row) -> str:
    """The inmate locator's address: a web address, or nothing."""
    url = row.text("locator_url")
    if url and not url.startswith(("https://", "http://")):
        row.problems.append(
            RowProblem(row.number, "locator_url", "a web address starting with https://")
        )
    return url

"""Spreadsheet import and export of facilities and pen pals."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from bot.domain.clock import FakeClock
from bot.domain.errors import NotAllowed
from bot.domain.models import Actor, PenPalStatus, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.registry import PENPAL_COLUMNS, RegistryService
from tests.core.helpers import BOSS, read


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


async def load_samples(registry: RegistryService) -> None:
    assert (await registry.import_facilities(*read("facilities.csv"), "test")).added == 3
    assert (await registry.import_penpals(*read("penpals.csv"), "test")).added == 8


async def test_the_samples_import_and_reimporting_changes_nothing(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    registry = RegistryService(uow_factory, clock)
    await load_samples(registry)
    async with uow_factory() as uow:
        audit_before = len(await uow.audit.recent(1000))
        rosa = next(p for p in await uow.penpals.all() if p.preferred_name == "Rosa")
        custody = await uow.penpals.custody(rosa.id)
    assert rosa.languages == ("en", "es") and rosa.writer_preference == "woman"
    assert rosa.status is PenPalStatus.WAITING and str(rosa.waiting_since) == "2026-02-14"
    assert custody is not None and custody.id_number == "W10001"
    again = await registry.import_penpals(*read("penpals.csv"), "test")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 8)
    facilities = await registry.import_facilities(*read("facilities.csv"), "test")
    assert (facilities.added, facilities.updated, facilities.unchanged) == (0, 0, 3)
    async with uow_factory() as uow:
        assert len(await uow.audit.recent(1000)) == audit_before  # nothing changed, nothing logged


async def test_a_changed_row_updates_that_pen_pal_only(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    registry = RegistryService(uow_factory, clock)
    await load_samples(registry)
    header, rows = read("penpals.csv")
    rows[1]["description"] = "Now also learning guitar."
    report = await registry.import_penpals(header, rows, "test")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 7)
    async with uow_factory() as uow:
        actions = [(a.action, a.subject) for a in await uow.audit.recent(1)]
    assert actions[0][0] == "penpal.update" and "Mika" not in actions[0][1]


async def test_a_file_with_bad_rows_imports_nothing_and_names_every_one(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    registry = RegistryService(uow_factory, clock)
    assert (await registry.import_facilities(*read("facilities.csv"), "test")).ok
    header, rows = read("penpals.csv")
    rows[0]["committed_name"] = ""
    rows[2]["facility"] = "Nowhere Prison"
    rows[4]["waiting_since"] = "14/02/2026"
    rows[6]["id_number"] = rows[5]["id_number"]  # same facility: a duplicate
    rows[7]["languages"] = "Klingon"
    report = await registry.import_penpals(header, rows, "test")
    assert not report.ok and report.added == 0
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(2, "committed_name"), (4, "facility"), (6, "waiting_since"),
                     (8, "id_number"), (9, "languages")}  # fmt: skip
    reasons = " | ".join(p.reason for p in report.problems)
    assert "missing" in reasons and "unknown facility 'Nowhere Prison'" in reasons
    assert "bad date '14/02/2026'" in reasons and "same facility and ID number as row 7" in reasons
    async with uow_factory() as uow:
        assert await uow.penpals.all() == []


async def test_header_problems_are_reported(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    registry = RegistryService(uow_factory, clock)
    report = await registry.import_penpals(["committed_name", "prison"], [], "test")
    assert {(p.column, p.reason) for p in report.problems} >= {
        ("prison", "unknown column"), ("id_number", "missing column"), ("facility", "missing column"),
    }  # fmt: skip


async def test_export_round_trips(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> None:
    registry = RegistryService(uow_factory, clock)
    await load_samples(registry)
    exported = await registry.export_penpals("test")
    assert len(exported) == 8 and set(exported[0]) == set(PENPAL_COLUMNS)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PENPAL_COLUMNS)
    writer.writeheader()
    writer.writerows(exported)
    reader = csv.DictReader(io.StringIO(buffer.getvalue()))
    report = await registry.import_penpals(list(reader.fieldnames or []), list(reader), "test")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 8)
    facilities = await registry.export_facilities("test")
    assert facilities[0]["name"] == "Demonstration Federal Camp for Women"
    async with uow_factory() as uow:
        assert [a.action for a in await uow.audit.recent(2)] == ["facility.export", "penpal.export"]


async def test_facility_names_are_for_coordinators_in_alphabetical_order(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    registry = RegistryService(uow_factory, clock)
    with pytest.raises(NotAllowed):
        await registry.facility_names(Actor(Platform.TELEGRAM, "5"))
    for name in ("Zeta Unit", "alpha Camp"):
        await registry.save_facility(BOSS, {"name": name, "address_line_1": "PO Box 1"})
    assert await registry.facility_names(BOSS) == ["alpha Camp", "Zeta Unit"]

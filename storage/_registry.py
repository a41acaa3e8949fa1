"""Facilities, pen pals and custody records in SQLite."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import aiosqlite

from bot.domain.models import (
    CustodyRecord,
    Facility,
    PenPal,
    PenPalStatus,
)
from storage._common import day_or_none, like_pattern, one_row


class SqliteFacilityRepo:
    """Facilities in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, facility: Facility) -> Facility:
        row = await one_row(
            self.conn,
            "INSERT INTO facilities (name, address_lines, jurisdiction, mail_rules, "
            "emessaging_service, locator_url) VALUES (?,?,?,?,?,?) RETURNING id",
            self._values(facility),
        )
        assert row is not None
        return replace(facility, id=int(row[0]))

    async def update(self, facility: Facility) -> None:
        await self.conn.execute(
            "UPDATE facilities SET name=?, address_lines=?, jurisdiction=?, mail_rules=?, "
            "emessaging_service=?, locator_url=? WHERE id=?",
            (*self._values(facility), facility.id),
        )

    async def get(self, facility_id: int) -> Facility | None:
        row = await one_row(self.conn, "SELECT * FROM facilities WHERE id = ?", (facility_id,))
        return self._facility(row) if row else None

    async def by_name(self, name: str) -> Facility | None:
        row = await one_row(self.conn, "SELECT * FROM facilities WHERE name = ?", (name,))
        return self._facility(row) if row else None

    async def all(self) -> list[Facility]:
        rows = await self.conn.execute_fetchall("SELECT * FROM facilities ORDER BY name")
        return [self._facility(r) for r in rows]

    @staticmethod
    def _values(f: Facility) -> tuple[Any, ...]:
        return (
            f.name,
            json.dumps(list(f.address_lines), ensure_ascii=False),
            f.jurisdiction,
            f.mail_rules,
            f.emessaging_service,
            f.locator_url,
        )

    @staticmethod
    def _facility(r: aiosqlite.Row) -> Facility:
        return Facility(
            int(r["id"]),
            r["name"],
            tuple(json.loads(r["address_lines"])),
            r["jurisdiction"],
            r["mail_rules"],
            r["emessaging_service"],
            r["locator_url"],
        )


class SqlitePenPalRepo:
    """Pen pals and their custody records in SQLite."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def add(self, penpal: PenPal) -> PenPal:
        row = await one_row(
            self.conn,
            "INSERT INTO penpals (committed_name, preferred_name, pronouns, languages, interests, "
            "correspondence_kinds, description, writer_preference, release_date, waiting_since, "
            "status, address_verified_at, address_unconfirmed_at, address_check_after, "
            "release_notified_for, reminders_from) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
            self._values(penpal),
        )
        assert row is not None
        return replace(penpal, id=int(row[0]))

    async def update(self, penpal: PenPal) -> None:
        await self.conn.execute(
            "UPDATE penpals SET committed_name=?, preferred_name=?, pronouns=?, languages=?, "
            "interests=?, correspondence_kinds=?, description=?, writer_preference=?, "
            "release_date=?, waiting_since=?, status=?, address_verified_at=?, "
            "address_unconfirmed_at=?, address_check_after=?, release_notified_for=?, "
            "reminders_from=? WHERE id=?",
            (*self._values(penpal), penpal.id),
        )

    async def get(self, penpal_id: int) -> PenPal | None:
        row = await one_row(self.conn, "SELECT * FROM penpals WHERE id = ?", (penpal_id,))
        return self._penpal(row) if row else None

    async def by_custody(self, facility_id: int, id_number: str) -> PenPal | None:
        row = await one_row(
            self.conn,
            "SELECT p.* FROM penpals p JOIN custody_records c ON c.penpal_id = p.id "
            "WHERE c.facility_id = ? AND c.id_number = ? AND c.ended_on IS NULL",
            (facility_id, id_number),
        )
        return self._penpal(row) if row else None

    async def all(self) -> list[PenPal]:
        rows = await self.conn.execute_fetchall("SELECT * FROM penpals ORDER BY id")
        return [self._penpal(r) for r in rows]

    async def find(self, text: str, limit: int) -> list[PenPal]:
        pattern = like_pattern(text)
        rows = await self.conn.execute_fetchall(
            "SELECT DISTINCT p.* FROM penpals p LEFT JOIN custody_records c "
            "ON c.penpal_id = p.id AND c.ended_on IS NULL "
            "LEFT JOIN facilities f ON f.id = c.facility_id "
            "WHERE p.preferred_name LIKE ?1 ESCAPE '\\' OR p.committed_name LIKE ?1 ESCAPE '\\' "
            "OR c.id_number LIKE ?1 ESCAPE '\\' OR f.name LIKE ?1 ESCAPE '\\' "
            "ORDER BY p.id LIMIT ?2",
            (pattern, limit),
        )
        return [self._penpal(r) for r in rows]

    async def custody(self, penpal_id: int) -> CustodyRecord | None:
        row = await one_row(
            self.conn,
            "SELECT * FROM custody_records WHERE penpal_id = ? AND ended_on IS NULL",
            (penpal_id,),
        )
        return self._custody(row) if row else None

    async def open_custody(self, record: CustodyRecord) -> CustodyRecord:
        row = await one_row(
            self.conn,
            "INSERT INTO custody_records (penpal_id, facility_id, id_number, started_on) "
            "VALUES (?,?,?,?) RETURNING id",
            (record.penpal_id, record.facility_id, record.id_number, record.started_on.isoformat()),
        )
        assert row is not None
        return replace(record, id=int(row[0]))

    async def close_custody(self, record_id: int, ended_on: date) -> None:
        await self.conn.execute(
            "UPDATE custody_records SET ended_on = ? WHERE id = ?",
            (ended_on.isoformat(), record_id),
        )

    async def history(self, penpal_id: int) -> list[CustodyRecord]:
        rows = await self.conn.execute_fetchall(
            "SELECT * FROM custody_records WHERE penpal_id = ? ORDER BY started_on, id",
            (penpal_id,),
        )
        return [self._custody(r) for r in rows]

    @staticmethod
    def _values(p: PenPal) -> tuple[Any, ...]:
        return (
            p.committed_name,
            p.preferred_name,
            p.pronouns,
            json.dumps(list(p.languages)),
            json.dumps(list(p.interests), ensure_ascii=False),
            json.dumps(list(p.correspondence_kinds)),
            p.description,
            p.writer_preference,
            p.release_date.isoformat() if p.release_date else None,
            p.waiting_since.isoformat(),
            p.status.value,
            p.address_verified_at.isoformat() if p.address_verified_at else None,
            p.address_unconfirmed_at.isoformat() if p.address_unconfirmed_at else None,
            p.address_check_after.isoformat() if p.address_check_after else None,
            p.release_notified_for.isoformat() if p.release_notified_for else None,
            p.reminders_from.isoformat() if p.reminders_from else None,
        )

    @staticmethod
    def _penpal(r: aiosqlite.Row) -> PenPal:
        return PenPal(
            id=int(r["id"]),
            committed_name=r["committed_name"],
            preferred_name=r["preferred_name"],
            pronouns=r["pronouns"],
            languages=tuple(json.loads(r["languages"])),
            interests=tuple(json.loads(r["interests"])),
            correspondence_kinds=tuple(json.loads(r["correspondence_kinds"])),
            description=r["description"],
            waiting_since=date.fromisoformat(r["waiting_since"]),
            status=PenPalStatus(r["status"]),
            release_date=day_or_none(r["release_date"]),
            address_verified_at=day_or_none(r["address_verified_at"]),
            writer_preference=r["writer_preference"],
            address_unconfirmed_at=day_or_none(r["address_unconfirmed_at"]),
            address_check_after=day_or_none(r["address_check_after"]),
            release_notified_for=day_or_none(r["release_notified_for"]),
            reminders_from=day_or_none(r["reminders_from"]),
        )

    @staticmethod
    def _custody(r: aiosqlite.Row) -> CustodyRecord:
        return CustodyRecord(
            int(r["id"]),
            int(r["penpal_id"]),
            int(r["facility_id"]),
            r["id_number"],
            date.fromisoformat(r["started_on"]),
            day_or_none(r["ended_on"]),
        )

"""The coordinators' web workspace in SQLite: login links, sessions, the cookie key, and the
rows its pages show."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta

import aiosqlite

from bot.domain.models import AuditEntry, Platform
from bot.domain.workspace import (
    PAGE,
    AddressRow,
    AuditFilter,
    Glance,
    MatchRow,
    Report,
    VolunteerRow,
    WaitingFilter,
    WaitingRow,
    WebSession,
)
from storage._common import day_or_none, from_ts, one_row, ts

_FACILITY = (
    "(SELECT f.name FROM custody_records c JOIN facilities f ON f.id = c.facility_id "
    "WHERE c.penpal_id = p.id AND c.ended_on IS NULL ORDER BY c.id DESC LIMIT 1)"
)
_SORTS = {
    "waiting": "p.waiting_since, p.id",
    "name": "p.preferred_name COLLATE NOCASE, p.id",
    "facility": "facility COLLATE NOCASE, p.waiting_since, p.id",
}


class SqliteWorkspaceRepo:
    """Login links and sessions (hashes only), and the workspace's read-only lists."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    # ----- links and sessions ----------------------------------------------------------------
    async def add_link(
        self, token_hash: str, platform: Platform, user_id: str, at: datetime, until: datetime
    ) -> None:
        await self.conn.execute(
            "INSERT INTO web_links (token_hash, platform, user_id, created_at, expires_at) "
            "VALUES (?,?,?,?,?)",
            (token_hash, platform.value, user_id, ts(at), ts(until)),
        )

    async def use_link(self, token_hash: str, now: datetime) -> tuple[Platform, str] | None:
        """The link's coordinator, once: a used or expired link gives None."""
        row = await one_row(
            self.conn,
            "UPDATE web_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
            "AND expires_at > ? RETURNING platform, user_id",
            (ts(now), token_hash, ts(now)),
        )
        return (Platform(row[0]), row[1]) if row else None

    async def add_session(self, id_hash: str, session: WebSession, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO web_sessions (id_hash, platform, user_id, csrf, created_at, expires_at) "
            "VALUES (?,?,?,?,?,?)",
            (
                id_hash,
                session.platform.value,
                session.user_id,
                session.csrf,
                ts(at),
                ts(session.expires_at),
            ),
        )

    async def session(self, id_hash: str, now: datetime) -> WebSession | None:
        row = await one_row(
            self.conn,
            "SELECT platform, user_id, csrf, expires_at FROM web_sessions "
            "WHERE id_hash = ? AND expires_at > ?",
            (id_hash, ts(now)),
        )
        if row is None:
            return None
        return WebSession(Platform(row[0]), row[1], row[2], from_ts(row[3]))

    async def end_session(self, id_hash: str) -> None:
        await self.conn.execute("DELETE FROM web_sessions WHERE id_hash = ?", (id_hash,))

    async def end_sessions_of(self, platform: Platform, user_id: str) -> int:
        cur = await self.conn.execute(
            "DELETE FROM web_sessions WHERE platform = ? AND user_id = ?",
            (platform.value, user_id),
        )
        return cur.rowcount

    async def forget_expired(self, now: datetime) -> None:
        await self.conn.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (ts(now),))
        await self.conn.execute(
            "DELETE FROM web_links WHERE expires_at <= ?", (ts(now - timedelta(days=1)),)
        )

    async def key(self) -> str:
        """The key that signs session cookies (made once, kept with the database)."""
        row = await one_row(self.conn, "SELECT key FROM web_key WHERE id = 1")
        if row is not None:
            return str(row[0])
        made = secrets.token_hex(32)
        await self.conn.execute("INSERT INTO web_key (id, key) VALUES (1, ?)", (made,))
        return made

    # ----- pages -----------------------------------------------------------------------------
    async def glance(self, month_start: date, stale: date) -> Glance:
        row = await one_row(
            self.conn,
            "SELECT "
            "(SELECT COUNT(*) FROM penpals WHERE status = 'waiting'), "
            "(SELECT MIN(waiting_since) FROM penpals WHERE status = 'waiting'), "
            "(SELECT COUNT(*) FROM matches WHERE status = 'active'), "
            "(SELECT COUNT(*) FROM letters WHERE direction = 'from_penpal' AND dated >= :m "
            " AND state = ''), "
            "(SELECT COUNT(*) FROM letters WHERE direction = 'to_penpal' AND dated >= :m "
            " AND state <> 'returned'), "
            "(SELECT COUNT(*) FROM concerns WHERE status = 'open'), "
            "(SELECT COUNT(*) FROM volunteers WHERE status = 'pending'), "
            "(SELECT COUNT(*) FROM penpals WHERE address_unconfirmed_at IS NOT NULL "
            " AND status IN ('waiting', 'matched')), "
            "(SELECT COUNT(*) FROM penpals WHERE address_unconfirmed_at IS NULL "
            " AND status IN ('waiting', 'matched') "
            " AND (address_verified_at IS NULL OR address_verified_at < :s)), "
            "(SELECT COUNT(*) FROM letters WHERE state IN ('waiting', 'held')), "
            "(SELECT COUNT(*) FROM matches WHERE status = 'proposed')",
            {"m": month_start.isoformat(), "s": stale.isoformat()},
        )
        assert row is not None
        return Glance(
            waiting=int(row[0]),
            oldest_waiting=day_or_none(row[1]),
            active_matches=int(row[2]),
            letters_in=int(row[3]),
            letters_out=int(row[4]),
            overdue=0,  # the reminder policy decides (the service fills it in)
            open_concerns=int(row[5]),
            pending_signups=int(row[6]),
            addresses_in_doubt=int(row[7]),
            addresses_unchecked=int(row[8]),
            at_program=int(row[9]),
            proposals=int(row[10]),
        )

    async def waiting(self, wanted: WaitingFilter, today: date) -> tuple[list[WaitingRow], int]:
        """One page of the waiting list as filtered and sorted, and how many rows in all."""
        where = ["p.status = 'waiting'"]
        args: dict[str, object] = {}
        if wanted.facility:
            where.append(f"{_FACILITY} = :facility")
            args["facility"] = wanted.facility
        if wanted.language:
            where.append("EXISTS (SELECT 1 FROM json_each(p.languages) WHERE value = :language)")
            args["language"] = wanted.language
        if wanted.kind:
            where.append(
                "EXISTS (SELECT 1 FROM json_each(p.correspondence_kinds) WHERE value = :kind)"
            )
            args["kind"] = wanted.kind
        if wanted.min_days > 0:
            where.append("p.waiting_since <= :before")
            args["before"] = (today - timedelta(days=wanted.min_days)).isoformat()
        condition = " AND ".join(where)
        total = await one_row(self.conn, f"SELECT COUNT(*) FROM penpals p WHERE {condition}", args)
        rows = await self.conn.execute_fetchall(
            f"SELECT p.id, p.preferred_name, {_FACILITY} AS facility, p.languages, "
            f"p.correspondence_kinds, p.waiting_since FROM penpals p WHERE {condition} "
            f"ORDER BY {_SORTS.get(wanted.sort, _SORTS['waiting'])} LIMIT :limit OFFSET :offset",
            {**args, "limit": PAGE, "offset": max(0, wanted.page) * PAGE},
        )
        found = [
            WaitingRow(
                int(r[0]),
                r[1],
                r[2] or "",
                tuple(json.loads(r[3])),
                tuple(json.loads(r[4])),
                date.fromisoformat(r[5]),
            )
            for r in rows
        ]
        return found, int(total[0]) if total else 0

    async def addresses(self, stale: date, page: int) -> tuple[list[AddressRow], int]:
        """Addresses in doubt, then those not confirmed since `stale`, the oldest first."""
        condition = (
            "p.status IN ('waiting', 'matched') AND (p.address_unconfirmed_at IS NOT NULL "
            "OR p.address_verified_at IS NULL OR p.address_verified_at < :stale)"
        )
        args = {"stale": stale.isoformat()}
        total = await one_row(self.conn, f"SELECT COUNT(*) FROM penpals p WHERE {condition}", args)
        rows = await self.conn.execute_fetchall(
            f"SELECT p.id, p.preferred_name, {_FACILITY}, p.address_unconfirmed_at, "
            f"p.address_verified_at FROM penpals p WHERE {condition} "
            "ORDER BY p.address_unconfirmed_at IS NULL, "
            "COALESCE(p.address_unconfirmed_at, p.address_verified_at, ''), p.id "
            "LIMIT :limit OFFSET :offset",
            {**args, "limit": PAGE, "offset": max(0, page) * PAGE},
        )
        found = [
            AddressRow(int(r[0]), r[1], r[2] or "", day_or_none(r[3]), day_or_none(r[4]))
            for r in rows
        ]
        return found, int(total[0]) if total else 0

    async def facility_names(self) -> list[str]:
        rows = await self.conn.execute_fetchall(
            "SELECT name FROM facilities ORDER BY name COLLATE NOCASE"
        )
        return [r[0] for r in rows]

    async def matches(self, page: int) -> tuple[list[MatchRow], int]:
        """Matches under way (active or paused), the longest silence from her first."""
        total = await one_row(
            self.conn, "SELECT COUNT(*) FROM matches WHERE status IN ('active', 'paused')"
        )
        rows = await self.conn.execute_fetchall(
            "SELECT m.id, v.display_name, p.preferred_name, m.status, m.confirmed_at, "
            "(SELECT MAX(dated) FROM letters l WHERE l.match_id = m.id "
            " AND l.direction = 'from_penpal' AND l.state = '') AS last_in, "
            "(SELECT MAX(dated) FROM letters l WHERE l.match_id = m.id "
            " AND l.direction = 'to_penpal' AND l.state <> 'returned') AS last_out, c.name "
            "FROM matches m JOIN volunteers v ON v.id = m.volunteer_id "
            "JOIN penpals p ON p.id = m.penpal_id LEFT JOIN circles c ON c.id = m.circle_id "
            "WHERE m.status IN ('active', 'paused') "
            "ORDER BY COALESCE(last_in, substr(m.confirmed_at, 1, 10)), m.id "
            "LIMIT ? OFFSET ?",
            (PAGE, max(0, page) * PAGE),
        )
        found = [
            MatchRow(
                int(r[0]),
                r[1],
                r[2],
                r[3],
                from_ts(r[4]).date() if r[4] else None,
                day_or_none(r[5]),
                day_or_none(r[6]),
                circle=r[7] or "",
            )
            for r in rows
        ]
        return found, int(total[0]) if total else 0

    async def volunteers(self, page: int, reply_days: int) -> tuple[list[VolunteerRow], int]:
        """Volunteers who have not left, with their matches under way and their replies on
        time (by the due day) and late."""
        total = await one_row(
            self.conn, "SELECT COUNT(*) FROM volunteers WHERE status NOT IN ('left', 'rejected')"
        )
        rows = await self.conn.execute_fetchall(
            "SELECT v.id, v.display_name, v.status, v.capacity, "
            "(SELECT group_concat(a.platform) FROM platform_accounts a "
            " WHERE a.volunteer_id = v.id), "
            "(SELECT COUNT(*) FROM matches m WHERE m.volunteer_id = v.id "
            " AND m.status IN ('active', 'paused')), "
            "(SELECT COUNT(*) FROM replies r WHERE r.volunteer_id = v.id "
            " AND r.replied <= date(r.arrived, :plus)), "
            "(SELECT COUNT(*) FROM replies r WHERE r.volunteer_id = v.id "
            " AND r.replied > date(r.arrived, :plus)) "
            "FROM volunteers v WHERE v.status NOT IN ('left', 'rejected') "
            "ORDER BY v.display_name COLLATE NOCASE, v.id LIMIT :limit OFFSET :offset",
            {"plus": f"+{reply_days} days", "limit": PAGE, "offset": max(0, page) * PAGE},
        )
        found = [
            VolunteerRow(
                int(r[0]),
                r[1],
                r[2],
                tuple(sorted((r[4] or "").split(","))) if r[4] else (),
                int(r[3]),
                int(r[5]),
                int(r[6]),
                int(r[7]),
            )
            for r in rows
        ]
        return found, int(total[0]) if total else 0

    async def audit(self, wanted: AuditFilter) -> tuple[list[AuditEntry], int]:
        where: list[str] = ["1"]
        args: dict[str, object] = {}
        if wanted.actor:
            where.append("instr(actor, :actor) > 0")
            args["actor"] = wanted.actor
        if wanted.action:
            where.append("instr(action, :action) > 0")
            args["action"] = wanted.action
        if wanted.since:
            where.append("at >= :since")
            args["since"] = wanted.since.isoformat()
        if wanted.until:
            where.append("at < :until")
            args["until"] = (wanted.until + timedelta(days=1)).isoformat()
        condition = " AND ".join(where)
        total = await one_row(self.conn, f"SELECT COUNT(*) FROM audit_log WHERE {condition}", args)
        rows = await self.conn.execute_fetchall(
            f"SELECT id, actor, action, subject, at FROM audit_log WHERE {condition} "
            "ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset",
            {**args, "limit": PAGE, "offset": max(0, wanted.page) * PAGE},
        )
        found = [AuditEntry(int(r[0]), r[1], r[2], r[3], from_ts(r[4])) for r in rows]
        return found, int(total[0]) if total else 0

    # ----- charts and reports -----------------------------------------------------------------
    async def letters_by_week(self, since: date) -> list[tuple[str, str, int]]:
        """(Monday of the week, direction, letters) from `since` on."""
        rows = await self.conn.execute_fetchall(
            "SELECT date(dated, '-6 days', 'weekday 1') AS week, direction, COUNT(*) "
            "FROM letters WHERE dated >= ? AND state <> 'returned' GROUP BY week, direction",
            (since.isoformat(),),
        )
        return [(r[0], r[1], int(r[2])) for r in rows]

    async def replies_since(self, since: date) -> list[tuple[date, date | None]]:
        """(arrived, first reply) of each letter from inside that reached its volunteer."""
        rows = await self.conn.execute_fetchall(
            "SELECT arrived, replied FROM replies WHERE arrived >= ?", (since.isoformat(),)
        )
        return [(date.fromisoformat(r[0]), day_or_none(r[1])) for r in rows]

    async def waiting_spans(self) -> list[tuple[date, date | None, str]]:
        """Each pen pal's wait: from `waiting_since` to her first match confirmed since then
        (None: not matched), with her status now."""
        rows = await self.conn.execute_fetchall(
            "SELECT p.waiting_since, (SELECT MIN(substr(m.confirmed_at, 1, 10)) FROM matches m "
            " WHERE m.penpal_id = p.id AND m.confirmed_at IS NOT NULL "
            " AND substr(m.confirmed_at, 1, 10) >= p.waiting_since), p.status FROM penpals p"
        )
        return [(date.fromisoformat(r[0]), day_or_none(r[1]), r[2]) for r in rows]

    async def volunteers_by_month(self, since: date) -> list[tuple[str, int, int]]:
        """(YYYY-MM, volunteers who signed up, volunteers who left) from `since` on."""
        joined = await self.conn.execute_fetchall(
            "SELECT substr(created_at, 1, 7), COUNT(*) FROM volunteers WHERE created_at >= ? "
            "GROUP BY 1",
            (since.isoformat(),),
        )
        left = await self.conn.execute_fetchall(
            "SELECT substr(updated_at, 1, 7), COUNT(*) FROM volunteers WHERE status = 'left' "
            "AND updated_at >= ? GROUP BY 1",
            (since.isoformat(),),
        )
        months = {r[0]: [int(r[1]), 0] for r in joined}
        for r in left:
            months.setdefault(r[0], [0, 0])[1] = int(r[1])
        return [(month, counts[0], counts[1]) for month, counts in sorted(months.items())]

    async def first_letters(self, since: date) -> list[tuple[date, date | None]]:
        """(signed up, her first letter to a pen pal) of volunteers who signed up since."""
        rows = await self.conn.execute_fetchall(
            "SELECT substr(v.created_at, 1, 10), (SELECT MIN(l.dated) FROM letters l "
            " JOIN matches m ON m.id = l.match_id WHERE m.volunteer_id = v.id "
            " AND l.direction = 'to_penpal' AND l.state <> 'returned') "
            "FROM volunteers v WHERE v.created_at >= ?",
            (since.isoformat(),),
        )
        return [(date.fromisoformat(r[0]), day_or_none(r[1])) for r in rows]

    async def report(self, start: date, end: date, reply_days: int) -> Report:
        first, last = start.isoformat(), (end + timedelta(days=1)).isoformat()
        args = {"first": first, "last": last, "plus": f"+{reply_days} days"}
        row = await one_row(
            self.conn,
            "SELECT "
            "(SELECT COUNT(DISTINCT penpal_id) FROM matches WHERE confirmed_at IS NOT NULL "
            " AND confirmed_at < :last AND (ended_at IS NULL OR ended_at >= :first)), "
            "(SELECT COUNT(DISTINCT volunteer_id) FROM matches WHERE confirmed_at IS NOT NULL "
            " AND confirmed_at < :last AND (ended_at IS NULL OR ended_at >= :first)), "
            "(SELECT COUNT(*) FROM letters WHERE direction = 'from_penpal' AND state = '' "
            " AND dated >= :first AND dated < :last), "
            "(SELECT COUNT(*) FROM letters WHERE direction = 'to_penpal' "
            " AND state <> 'returned' AND dated >= :first AND dated < :last), "
            "(SELECT COUNT(*) FROM replies WHERE arrived >= :first AND arrived < :last "
            " AND replied IS NOT NULL AND replied <= date(arrived, :plus)), "
            "(SELECT COUNT(*) FROM replies WHERE arrived >= :first AND arrived < :last "
            " AND replied IS NOT NULL)",
            args,
        )
        assert row is not None
        waits = await self.conn.execute_fetchall(
            "SELECT julianday(substr(m.confirmed_at, 1, 10)) - julianday(p.waiting_since) "
            "FROM matches m JOIN penpals p ON p.id = m.penpal_id "
            "WHERE m.confirmed_at >= :first AND m.confirmed_at < :last",
            args,
        )
        cutoff = (end - timedelta(days=182)).isoformat()
        kept = await one_row(
            self.conn,
            "SELECT COUNT(*), SUM(status IN ('active', 'paused')) FROM volunteers "
            "WHERE created_at < :cutoff AND status NOT IN ('pending', 'rejected')",
            {"cutoff": cutoff},
        )
        spans = sorted(max(0.0, float(w[0])) for w in waits)
        median = None
        if spans:
            middle = len(spans) // 2
            median = spans[middle] if len(spans) % 2 else (spans[middle - 1] + spans[middle]) / 2
        return Report(
            start=start,
            end=end,
            women_served=int(row[0]),
            volunteers_active=int(row[1]),
            letters_in=int(row[2]),
            letters_out=int(row[3]),
            median_wait_days=median,
            replies_on_time=int(row[4]),
            replies_answered=int(row[5]),
            retained=int(kept[1] or 0) if kept else 0,
            retained_of=int(kept[0]) if kept else 0,
        )

    # ----- spreadsheets ------------------------------------------------------------------------
    async def export_rows(self, kind: str) -> tuple[tuple[str, ...], list[dict[str, str]]]:
        """The columns and rows of an export of volunteers, matches or letters."""
        sql, columns = _EXPORTS[kind]
        rows = await self.conn.execute_fetchall(sql)
        return columns, [
            {
                column: "" if value is None else str(value)
                for column, value in zip(columns, r, strict=True)
            }
            for r in rows
        ]


_EXPORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "volunteers": (
        "SELECT v.id, v.display_name, v.pen_name, v.status, "
        "(SELECT group_concat(value, ', ') FROM json_each(v.languages)), "
        "(SELECT group_concat(value, ', ') FROM json_each(v.interests)), v.capacity, "
        "v.frequency, v.timezone, (SELECT group_concat(a.platform, ', ') FROM platform_accounts a "
        "WHERE a.volunteer_id = v.id), substr(v.created_at, 1, 10) FROM volunteers v "
        "WHERE v.status <> 'left' OR v.display_name <> '' ORDER BY v.id",
        ("id", "name", "pen_name", "status", "languages", "interests", "capacity", "frequency",
         "timezone", "platforms", "signed_up"),
    ),
    "matches": (
        "SELECT m.id, m.volunteer_id, v.display_name, m.penpal_id, p.preferred_name, m.status, "
        "substr(m.proposed_at, 1, 10), substr(m.confirmed_at, 1, 10), substr(m.ended_at, 1, 10), "
        "m.end_reason FROM matches m JOIN volunteers v ON v.id = m.volunteer_id "
        "JOIN penpals p ON p.id = m.penpal_id ORDER BY m.id",
        ("id", "volunteer_id", "volunteer", "penpal_id", "penpal", "status", "proposed_on",
         "confirmed_on", "ended_on", "end_reason"),
    ),
    "letters": (
        "SELECT id, match_id, direction, dated, program_on, state FROM letters ORDER BY id",
        ("id", "match_id", "direction", "dated", "program_on", "state"),
    ),
}  # fmt: skip

"""The reminder sweep's search, decided in SQL: for every active match whose next check has
come, what is due now and when to look again, exactly as `bot.reminders.policy.assess` decides it
(tests/storage/test_due_search.py compares the two on random matches and time zones).

Python's policy costs about 20 µs a match; here SQLite compares dates and looks up local
mornings in `zone_days`, and Python only wraps what is due. `zone_days` holds, per time zone
in use and per day, the UTC instants of the local midnight and of the end of quiet hours; it
is filled from zoneinfo when a search finds a day or a zone it lacks, and the search runs
again."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import aiosqlite

from bot.reminders.policy import NEVER, Due, DueMatch, ReminderKind, ReminderPolicy, morning_of
from storage._common import ts

AHEAD = timedelta(days=400)
"""How far ahead of today the mornings are kept (more than any reminder looks ahead)."""

PACK = 10_000_000
"""A letter as one integer: id * PACK + its day number (julian day, under 10 million)."""
EPOCH = 1_721_424
"""date.toordinal() + EPOCH is SQLite's CAST(julianday(day) AS INTEGER)."""

_LAST = (
    "(SELECT id * {pack} + CAST(julianday(dated) AS INTEGER) FROM letters l "
    "WHERE l.match_id = m.id AND l.direction = '{direction}' AND {counts} "
    "ORDER BY dated DESC, id DESC LIMIT 1)"
)
COUNTS_IN = "l.state = ''"
"""A letter from her counts once it reached the volunteer (not while it is at the program)."""
COUNTS_OUT = "l.state <> 'returned'"
"""A letter to her counts once she wrote it, unless it was given back to her to rewrite."""
AT_PROGRAM = (
    "EXISTS (SELECT 1 FROM letters w WHERE w.match_id = m.id AND w.direction = 'from_penpal' "
    "AND w.state <> '')"
)
"""A letter from her waits at the program: she has written (no silence alert)."""


@lru_cache(maxsize=8)
def search_sql(p: ReminderPolicy) -> str:
    """The search for one policy (its numbers are part of the statement). The expensive parts
    (the last letter each way, the snooze, the local day of the confirmation) are computed
    once per match in `r`; the mornings are joined by (zone, day number)."""
    v_kind = (
        "CASE WHEN waiting THEN CASE WHEN due.morning <= :now THEN 'reply_due' "
        "WHEN soon.morning <= :now THEN 'reply_soon' END "
        "WHEN nxt.morning <= :now THEN CASE WHEN out_pack IS NULL THEN 'first_letter' "
        "ELSE 'keep_writing' END END"
    )
    v_at = (
        "CASE WHEN waiting THEN CASE WHEN due.morning <= :now THEN due.morning "
        "ELSE soon.morning END ELSE nxt.morning END"
    )
    future = "CASE WHEN {0} > :now THEN {0} ELSE :never END"
    return f"""
WITH r AS MATERIALIZED (
  SELECT m.id AS mid, v.timezone AS tz, m.confirmed_at AS confirmed_at,
         {_LAST.format(pack=PACK, direction="from_penpal", counts=COUNTS_IN)} AS in_pack,
         {_LAST.format(pack=PACK, direction="to_penpal", counts=COUNTS_OUT)} AS out_pack,
         (SELECT jd FROM zone_days z WHERE z.zone = v.timezone
          AND z.midnight <= m.confirmed_at ORDER BY z.midnight DESC LIMIT 1) AS confirmed_jd,
         COALESCE(CAST(julianday(p.reminders_from) AS INTEGER), 0) AS from_jd,
         {AT_PROGRAM} AS at_program,
         s.cycle AS s_cycle, s.count AS s_count, s.until AS s_until
  FROM matches m
  CROSS JOIN volunteers v ON v.id = m.volunteer_id
  CROSS JOIN penpals p ON p.id = m.penpal_id
  LEFT JOIN snoozes s ON s.id = (SELECT MAX(id) FROM snoozes WHERE match_id = m.id)
  WHERE m.status = 'active' AND m.confirmed_at IS NOT NULL AND v.status = 'active'
    AND (v.paused_until IS NULL OR v.paused_until < :today) AND m.next_check_at <= :now
    AND p.address_unconfirmed_at IS NULL
), k AS MATERIALIZED (
  SELECT r.*, in_pack / {PACK} AS in_id, in_pack % {PACK} AS in_jd,
    out_pack / {PACK} AS out_id, out_pack % {PACK} AS out_jd,
    (in_pack IS NOT NULL AND NOT (out_pack IS NOT NULL AND (out_pack % {PACK} > in_pack % {PACK}
      OR (out_pack % {PACK} = in_pack % {PACK} AND out_pack > in_pack)))) AS waiting,
    max(COALESCE(in_pack % {PACK}, confirmed_jd), from_jd) AS since_jd,
    CAST(julianday(substr(confirmed_at, 1, 10)) AS INTEGER) AS utc_jd
  FROM r
), j AS MATERIALIZED (
  SELECT k.*, max(in_jd, from_jd) + {p.reply_days} AS due_jd,
    CASE WHEN waiting THEN 'in:' || in_id WHEN out_pack IS NULL THEN 'match'
         ELSE 'out:' || out_id END AS v_cycle,
    CASE WHEN out_pack IS NULL THEN max(confirmed_jd, from_jd) + {p.first_letter_days}
         ELSE max(out_jd, from_jd) + {p.keep_writing_days} END AS next_jd
  FROM k
)
SELECT mid,
  CASE WHEN ({v_kind}) IS NOT NULL AND NOT (s_cycle IS v_cycle AND :now < s_until)
       THEN {v_kind} END,
  v_cycle,
  CASE WHEN s_cycle IS v_cycle THEN s_count ELSE 0 END,
  CASE WHEN s_cycle IS v_cycle AND s_until > ({v_at}) THEN s_until ELSE {v_at} END,
  CASE WHEN late.morning <= :now THEN late.morning END,
  CASE WHEN late.morning <= :now THEN (SELECT jd FROM zone_days z WHERE z.zone = tz
    AND z.midnight <= :now ORDER BY z.midnight DESC LIMIT 1) - due_jd END,
  CASE WHEN quiet.morning <= :now AND out_jd >= since_jd AND NOT at_program
       THEN quiet.morning END,
  CASE WHEN in_pack IS NOT NULL THEN 'silence:in:' || in_id ELSE 'silence:match' END,
  min({future.format("soon.morning")}, {future.format("due.morning")},
      {future.format("late.morning")}, {future.format("nxt.morning")},
      CASE WHEN at_program THEN :never ELSE {future.format("quiet.morning")} END,
      {future.format("s_until")}),
  (confirmed_jd IS NULL OR quiet.morning IS NULL
   OR (waiting AND (soon.morning IS NULL OR due.morning IS NULL OR late.morning IS NULL))
   OR (NOT waiting AND nxt.morning IS NULL)),
  tz, min(COALESCE(in_jd, {PACK}), COALESCE(out_jd, {PACK}), utc_jd),
  max(COALESCE(in_jd, 0), COALESCE(out_jd, 0), utc_jd)
FROM j
LEFT JOIN zone_days soon ON soon.zone = tz
  AND soon.jd = CASE WHEN waiting THEN due_jd - {p.nudge_before_days} END
LEFT JOIN zone_days due ON due.zone = tz AND due.jd = CASE WHEN waiting THEN due_jd END
LEFT JOIN zone_days late ON late.zone = tz
  AND late.jd = CASE WHEN waiting THEN due_jd + {p.overdue_after_days} END
LEFT JOIN zone_days nxt ON nxt.zone = tz AND nxt.jd = CASE WHEN NOT waiting THEN next_jd END
LEFT JOIN zone_days quiet ON quiet.zone = tz AND quiet.jd = since_jd + {p.silence_days}
"""


_NEVER = ts(NEVER)


def search_args(now: datetime) -> dict[str, str]:
    return {"now": ts(now), "today": now.date().isoformat(), "never": _NEVER}


_KINDS = {kind.value: kind for kind in ReminderKind}


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)  # ts() text: UTC with a Z


def found(rows: list[aiosqlite.Row]) -> list[DueMatch] | None:
    """The search's rows as the sweep wants them (only what is due becomes objects); None if
    a row lacked a morning. (The cyclic garbage collector is held off meanwhile: these
    hundreds of thousands of small objects hold no cycles. In one pair of runs of the cold
    100,000-match benchmark, the Python part took about 630 ms with it on, 220 ms off.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _found(rows)
    finally:
        if enabled:
            gc.enable()


def _found(rows: list[aiosqlite.Row]) -> list[DueMatch] | None:
    out = []
    for row in rows:
        (mid, kind, cycle, rnd, at, overdue_at, late, silence_at, silence_cycle, later, lacking) = (
            row[:11]
        )
        if lacking:
            return None
        due = []
        if kind is not None:
            due.append(Due(_KINDS[kind], cycle, rnd, _moment(at)))
        if overdue_at is not None:
            due.append(Due(ReminderKind.OVERDUE, cycle, 0, _moment(overdue_at), late))
        if silence_at is not None:
            due.append(Due(ReminderKind.SILENCE, silence_cycle, 0, _moment(silence_at)))
        out.append(DueMatch(mid, due, _moment(later)))
    return out


@dataclass
class _Coverage:
    quiet_end: time | None = None
    until: date = date.min


_COVERAGE: weakref.WeakKeyDictionary[aiosqlite.Connection, _Coverage] = weakref.WeakKeyDictionary()


async def due_search(
    conn: aiosqlite.Connection, policy: ReminderPolicy, now: datetime
) -> list[DueMatch]:
    """What is due now and the next check, for every match whose next check has come."""
    await _keep_ahead(conn, policy, now.date())
    sql, args = search_sql(policy), search_args(now)
    rows = list(await conn.execute_fetchall(sql, args))
    result = found(rows)
    if result is None:  # a new time zone, or days older than any seen: fill them in, look again
        for zone, (first, last) in _lacking(rows, now.date()).items():
            await fill(conn, zone, first, last, policy)
        result = found(list(await conn.execute_fetchall(sql, args)))
        if result is None:
            raise RuntimeError("zone_days could not cover the sweep's days")
    return result


def _lacking(rows: list[aiosqlite.Row], today: date) -> dict[str, tuple[date, date]]:
    lacking: dict[str, tuple[date, date]] = {}
    for row in rows:
        if row[10]:
            zone, oldest = row[11], date.fromordinal(row[12] - EPOCH) - timedelta(days=1)
            newest = max(today, date.fromordinal(row[13] - EPOCH)) + AHEAD
            first, last = lacking.get(zone, (oldest, newest))
            lacking[zone] = (min(first, oldest), max(last, newest))
    return lacking


async def _keep_ahead(conn: aiosqlite.Connection, policy: ReminderPolicy, today: date) -> None:
    """The mornings were computed for this policy's end of quiet hours and reach far enough
    ahead. Checked in the database until a check finds all in order without writing (what it
    writes may still be rolled back with the caller's transaction); then remembered for this
    connection until the cover runs short."""
    cover = _COVERAGE.get(conn)
    if cover is not None and cover.quiet_end == policy.quiet_end and cover.until >= today:
        return
    _COVERAGE.pop(conn, None)
    wrote = False
    meta = list(await conn.execute_fetchall("SELECT quiet_end FROM zone_meta"))
    if not meta or meta[0][0] != policy.quiet_end.isoformat():
        await conn.execute("DELETE FROM zone_days")
        await conn.execute("DELETE FROM zone_meta")
        await conn.execute("INSERT INTO zone_meta VALUES (?)", (policy.quiet_end.isoformat(),))
        wrote = True
    spans = await conn.execute_fetchall(
        "SELECT zone, MIN(jd), MAX(jd) FROM zone_days GROUP BY zone"
    )
    for zone, first, last in spans:
        if date.fromordinal(last - EPOCH) < today + AHEAD / 2:
            await fill(conn, zone, date.fromordinal(first - EPOCH), today + AHEAD, policy)
            wrote = True
    if not wrote:
        _COVERAGE[conn] = _Coverage(policy.quiet_end, today + AHEAD / 2)


async def fill(
    conn: aiosqlite.Connection, zone: str, first: date, last: date, policy: ReminderPolicy
) -> None:
    """Every day of `zone` from `first` to `last` (those already there are kept)."""
    tz = ZoneInfo(zone)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    await conn.executemany(
        "INSERT OR IGNORE INTO zone_days (zone, jd, midnight, morning) VALUES (?, ?, ?, ?)",
        [
            (
                zone,
                day.toordinal() + EPOCH,
                ts(datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)),
                ts(morning_of(day, zone, policy)),
            )
            for day in days
        ],
    )

"""The sweep's search in SQL (storage/_due.py) decides exactly as the policy in Python
(`bot.reminders.policy.assess`): on random matches, letters, snoozes, time zones with odd DST rules,
ends of quiet hours and policy numbers, every reminder due and every next check are equal."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.reminders.policy import ReminderPolicy, assess
from storage._common import ts
from storage.database import Database
from storage.repos import SqliteUnitOfWork

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "America/Santiago",
         "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "Asia/Tehran",
         "America/St_Johns", "Pacific/Kiritimati", "America/Adak"]  # fmt: skip
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = 120  # days: close enough together that letters share days and reminders fall due


def moments() -> st.SearchStrategy[datetime]:
    return st.integers(0, SPAN * 24 * 60).map(lambda m: START + timedelta(minutes=m))


def days() -> st.SearchStrategy[date]:
    """Letters within weeks of each other: some share a day, some with the confirmation."""
    offsets = st.integers(0, SPAN // 3) | st.sampled_from([0, 0, 3, 10])
    return offsets.map(lambda n: START.date() + timedelta(days=n))


POLICIES = st.builds(
    ReminderPolicy,
    first_letter_days=st.integers(1, 10), reply_days=st.integers(5, 20),
    nudge_before_days=st.integers(0, 4), overdue_after_days=st.integers(1, 10),
    keep_writing_days=st.integers(10, 40), silence_days=st.integers(20, 60),
    quiet_end=st.sampled_from([time(9), time(0), time(0, 30), time(2, 30), time(3), time(23, 59)]),
)  # fmt: skip
STATES = st.sampled_from(["", "", "", "waiting", "held", "returned"])
"""Where a letter is in a forwarding program (most are done)."""
MATCH = st.fixed_dictionaries({
    "zone": st.sampled_from(ZONES),
    "confirmed": moments() | st.just(START + timedelta(hours=12)),
    "letters": st.lists(st.tuples(st.booleans(), days(), STATES), max_size=5),
    "resumed": st.none() | days(),
    "snooze": st.none() | st.tuples(st.sampled_from(["match", "in:", "out:", "in:999"]),
                                    st.integers(1, 2), moments()),
})  # fmt: skip


async def build(db: Database, matches: list[dict[str, object]]) -> None:
    conn, stamp = db.conn, ts(START)
    await conn.execute("BEGIN")
    for n, m in enumerate(matches, start=1):
        await conn.execute(
            "INSERT INTO volunteers (id, display_name, languages, interests, capacity, "
            "frequency, timezone, status, guidelines_version, consented_at, created_at, "
            "updated_at) VALUES (?, 'V', '[]', '[]', 1, 'monthly', ?, 'active', '1', ?, ?, ?)",
            (n, m["zone"], stamp, stamp, stamp),
        )
        await conn.execute(
            "INSERT INTO penpals (id, committed_name, preferred_name, languages, interests, "
            "correspondence_kinds, waiting_since, status, reminders_from) VALUES "
            "(?, 'P', 'P', '[]', '[]', '[]', '2024-01-01', 'matched', ?)",
            (n, m["resumed"].isoformat() if isinstance(m.get("resumed"), date) else None),
        )
        confirmed = m["confirmed"]
        assert isinstance(confirmed, datetime)
        await conn.execute(
            "INSERT INTO matches (id, volunteer_id, penpal_id, status, proposed_at, "
            "confirmed_at) VALUES (?, ?, ?, 'active', ?, ?)",
            (n, n, n, stamp, ts(confirmed)),
        )
        ids = []
        for incoming, dated, state in m["letters"]:  # type: ignore[attr-defined]
            if state == "returned" and incoming:
                state = "held"  # only a letter to her is given back
            row = await conn.execute_fetchall(
                "INSERT INTO letters (match_id, direction, dated, logged_by, logged_at, state) "
                "VALUES (?, ?, ?, 'x', ?, ?) RETURNING id",
                (n, "from_penpal" if incoming else "to_penpal", dated.isoformat(), stamp, state),
            )
            ids.append(next(iter(row))[0])
        if m["snooze"] is not None:
            cycle, count, until = m["snooze"]  # type: ignore[misc]
            if cycle in ("in:", "out:"):  # about one of her real letters, when there is one
                cycle = f"{cycle}{ids[-1]}" if ids else "match"
            await conn.execute(
                "INSERT INTO snoozes (match_id, cycle, count, until) VALUES (?, ?, ?, ?)",
                (n, cycle, count, ts(until)),
            )
    await conn.execute("COMMIT")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MATCH, min_size=1, max_size=6), POLICIES, moments())
async def test_sql_search_decides_as_the_python_policy(
    matches: list[dict[str, object]], policy: ReminderPolicy, now: datetime
) -> None:
    async with await Database.open(":memory:") as db:
        await build(db, matches)
        async with SqliteUnitOfWork(db) as uow:
            active = await uow.letters.active(now.date(), checks_due=now)
            expected = {a.rhythm.match_id: assess(a.rhythm, policy, now) for a in active}
            found = await uow.letters.due_search(policy, now)
        got = {f.match_id: (f.due, f.next_check) for f in found}
        assert got == expected
        for due, _ in expected.values():
            for d in due:
                event(d.kind.value)


async def test_a_changed_end_of_quiet_hours_recomputes_the_mornings() -> None:
    async with await Database.open(":memory:") as db:
        await build(db, [{"zone": "Europe/London", "confirmed": START, "letters": [],
                          "snooze": None, "resumed": None}])  # fmt: skip
        now = START + timedelta(days=30)
        # 07:00 once in a sweep that is rolled back: its mornings must not stay behind.
        for end, keep in ((9, True), (9, True), (7, False), (7, True), (9, True), (9, True)):
            policy = ReminderPolicy(quiet_end=time(end))
            async with SqliteUnitOfWork(db) as uow:
                [found] = await uow.letters.due_search(policy, now)
                if keep:
                    await uow.commit()
            assert found.due[0].at == datetime(2024, 1, 8, end, tzinfo=UTC)

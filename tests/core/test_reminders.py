"""The reminder policy with plain dates and a fake clock: every rule, quiet hours, DST, snooze."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reminders.policy import (
    LetterMark,
    MatchRhythm,
    ReminderKind,
    ReminderPolicy,
    Snooze,
    due_now,
    missed_in_a_row,
    morning_of,
    next_check,
    outside_quiet_hours,
)

P = ReminderPolicy()
LONDON = "Europe/London"


def rhythm(
    last_in: LetterMark | None = None, last_out: LetterMark | None = None,
    snooze: Snooze | None = None, tz: str = LONDON,
) -> MatchRhythm:  # fmt: skip
    return MatchRhythm(7, date(2026, 3, 2), tz, last_in, last_out, snooze)


def kinds(r: MatchRhythm, now: datetime) -> list[ReminderKind]:
    return [d.kind for d in due_now(r, P, now)]


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """UTC moment (London is on GMT until 2026-03-29)."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def test_first_letter_is_due_a_week_after_the_match_at_nine_in_her_morning() -> None:
    r = rhythm()
    assert kinds(r, at(date(2026, 3, 9), 8, 59)) == []
    (due,) = due_now(r, P, at(date(2026, 3, 9)))
    assert due.kind is ReminderKind.FIRST_LETTER and due.cycle == "match"
    assert due.at == at(date(2026, 3, 9))


def test_a_reply_gets_a_nudge_four_days_before_one_on_the_day_then_coordinators() -> None:
    her = LetterMark(11, date(2026, 3, 10), True)
    r = rhythm(last_in=her)
    assert kinds(r, at(date(2026, 3, 20), 8)) == []
    assert kinds(r, at(date(2026, 3, 20))) == [ReminderKind.REPLY_SOON]
    assert kinds(r, at(date(2026, 3, 23), 23)) == [ReminderKind.REPLY_SOON]
    # The day it is due: only the latest volunteer reminder (the nudge is superseded).
    assert kinds(r, at(date(2026, 3, 24))) == [ReminderKind.REPLY_DUE]
    # A week later the coordinators are told, with how late it is. (London is on BST by then.)
    overdue_at = datetime(2026, 3, 31, 8, tzinfo=UTC)
    assert kinds(r, overdue_at - timedelta(minutes=1)) == [ReminderKind.REPLY_DUE]
    due = due_now(r, P, overdue_at)
    assert [d.kind for d in due] == [ReminderKind.REPLY_DUE, ReminderKind.OVERDUE]
    assert due[1].days_late == 7 and due[1].cycle == "in:11"


def test_answering_closes_the_cycle_and_thirty_days_later_comes_keep_writing() -> None:
    her = LetterMark(11, date(2026, 3, 10), True)
    mine = LetterMark(12, date(2026, 3, 15), False)
    r = rhythm(last_in=her, last_out=mine)
    assert kinds(r, datetime(2026, 4, 14, 7, 59, tzinfo=UTC)) == []
    (due,) = due_now(r, P, datetime(2026, 4, 14, 8, tzinfo=UTC))  # 09:00 BST
    assert due.kind is ReminderKind.KEEP_WRITING and due.cycle == "out:12"


def test_a_letter_to_her_on_the_day_hers_arrived_counts_only_if_logged_after_it() -> None:
    before = rhythm(
        LetterMark(20, date(2026, 3, 10), True), LetterMark(19, date(2026, 3, 10), False)
    )
    after = rhythm(
        LetterMark(20, date(2026, 3, 10), True), LetterMark(21, date(2026, 3, 10), False)
    )
    now = at(date(2026, 3, 24), 12)
    assert kinds(before, now) == [ReminderKind.REPLY_DUE]
    assert kinds(after, now) == []


def test_silence_from_inside_asks_coordinators_to_check() -> None:
    her = LetterMark(11, date(2026, 1, 1), True)
    mine = LetterMark(12, date(2026, 1, 10), False)
    r = rhythm(last_in=her, last_out=mine)
    now = at(date(2026, 2, 12))
    assert ReminderKind.SILENCE in kinds(r, now)
    assert ReminderKind.SILENCE not in kinds(r, now - timedelta(minutes=1))
    # Silence is not asked about while the volunteer herself owes the reply.
    assert ReminderKind.SILENCE not in kinds(rhythm(last_in=her), now + timedelta(days=30))


def test_a_snooze_holds_her_reminder_and_the_next_round_fires_after_it() -> None:
    her = LetterMark(11, date(2026, 3, 10), True)
    until = at(date(2026, 3, 27), 10)
    r = rhythm(last_in=her, snooze=Snooze("in:11", 1, until))
    assert kinds(r, at(date(2026, 3, 26))) == []
    (due,) = due_now(r, P, until)
    assert due.kind is ReminderKind.REPLY_DUE and due.round == 1 and due.at == until
    # A snooze of an older cycle does not hold a new one.
    old = rhythm(last_in=her, snooze=Snooze("in:3", 2, until))
    assert [d.round for d in due_now(old, P, at(date(2026, 3, 26)))] == [0]


def test_quiet_hours_move_a_reminder_to_her_morning() -> None:
    chicago = "America/Chicago"
    night = datetime(2026, 6, 1, 4, 30, tzinfo=UTC)  # 23:30 in Chicago (CDT)
    assert outside_quiet_hours(night, chicago, P) == datetime(2026, 6, 1, 14, tzinfo=UTC)
    early = datetime(2026, 6, 1, 12, tzinfo=UTC)  # 07:00 in Chicago
    assert outside_quiet_hours(early, chicago, P) == datetime(2026, 6, 1, 14, tzinfo=UTC)
    noon = datetime(2026, 6, 1, 17, tzinfo=UTC)
    assert outside_quiet_hours(noon, chicago, P) == noon
    daytime_quiet = ReminderPolicy(quiet_start=time(1, 0), quiet_end=time(6, 0))
    assert outside_quiet_hours(datetime(2026, 6, 1, 7, tzinfo=UTC), chicago, daytime_quiet) == \
        datetime(2026, 6, 1, 11, tzinfo=UTC)  # fmt: skip


def test_her_morning_follows_daylight_saving_time() -> None:
    assert morning_of(date(2026, 3, 28), LONDON, P) == datetime(2026, 3, 28, 9, tzinfo=UTC)
    assert morning_of(date(2026, 3, 29), LONDON, P) == datetime(2026, 3, 29, 8, tzinfo=UTC)
    sydney = "Australia/Sydney"  # DST ends on 2026-04-05
    assert morning_of(date(2026, 4, 4), sydney, P) == datetime(2026, 4, 3, 22, tzinfo=UTC)
    assert morning_of(date(2026, 4, 5), sydney, P) == datetime(2026, 4, 4, 23, tzinfo=UTC)
    new_york = "America/New_York"  # DST starts on 2026-03-08
    assert morning_of(date(2026, 3, 8), new_york, P) == datetime(2026, 3, 8, 13, tzinfo=UTC)


def test_missed_replies_in_a_row() -> None:
    def letters(*pairs: tuple[int, int | None]) -> list[LetterMark]:
        out, n = [], 0
        for arrived, replied_after in pairs:
            n += 1
            out.append(LetterMark(n, date(2026, 1, 1) + timedelta(days=arrived), True))
            if replied_after is not None:
                n += 1
                out.append(
                    LetterMark(n, date(2026, 1, 1) + timedelta(days=arrived + replied_after), False)
                )
        return out

    today = date(2026, 12, 1)
    assert missed_in_a_row(letters((0, 20), (40, 15), (80, None)), P, today) == 3
    assert missed_in_a_row(letters((0, 20), (40, 10), (80, None)), P, today) == 1
    assert missed_in_a_row(letters((0, 5)), P, today) == 0
    # Not yet due is not missed.
    assert missed_in_a_row(letters((0, 30), (330, None)), P, today) == 0


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 120), st.integers(0, 120), st.booleans(), st.booleans(),
    st.integers(0, 24 * 200), st.sampled_from([LONDON, "America/New_York", "Australia/Sydney"]),
)  # fmt: skip
def test_at_most_one_volunteer_reminder_and_nothing_before_it_is_due(
    in_day: int, out_day: int, has_in: bool, has_out: bool, hours: int, tz: str
) -> None:
    start = date(2026, 3, 2)
    her = LetterMark(2, start + timedelta(days=in_day), True) if has_in else None
    mine = LetterMark(3, start + timedelta(days=out_day), False) if has_out else None
    now = datetime(2026, 3, 2, tzinfo=UTC) + timedelta(hours=hours)
    due = due_now(rhythm(her, mine, tz=tz), P, now)
    assert sum(d.kind.for_volunteer for d in due) <= 1
    assert all(d.at <= now for d in due)
    assert len({(d.kind, d.cycle) for d in due}) == len(due)


@settings(max_examples=500, deadline=None)
@given(
    st.integers(0, 60), st.integers(-5, 60), st.booleans(), st.booleans(),
    st.integers(-24, 24 * 50), st.integers(1, 24 * 60),
    st.sampled_from([LONDON, "America/New_York", "Australia/Sydney"]),
)  # fmt: skip
def test_nothing_new_becomes_due_before_the_next_check(
    in_day: int, out_after: int, has_in: bool, has_out: bool, hours: int, later: int, tz: str
) -> None:
    """`now` is drawn around her letter, where the policy's moments are."""
    start = date(2026, 3, 2)
    her = LetterMark(2, start + timedelta(days=in_day), True) if has_in else None
    out_day = start + timedelta(days=in_day + out_after)
    mine = LetterMark(3, max(out_day, start), False) if has_out else None
    r = rhythm(her, mine, tz=tz)
    now = datetime.combine(start + timedelta(days=in_day), time(0), UTC) + timedelta(hours=hours)
    check = next_check(r, P, now)
    assert check > now
    then = min(check - timedelta(seconds=1), now + timedelta(hours=later))
    seen = {(d.kind, d.cycle, d.round) for d in due_now(r, P, now)}
    assert {(d.kind, d.cycle, d.round) for d in due_now(r, P, then)} <= seen

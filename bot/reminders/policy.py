"""The reminder policy: from a match's letters, what is due, when, and for whom.

Pure functions over a snapshot of one match (`MatchRhythm`), so that the whole policy can be
tested with plain dates. Nothing here sends anything: the reminder service writes what is due
to the outbox, once per reminder, in the same transaction that records it.

Days count from when a letter REACHED the volunteer (the date she logs, or the day the program
forwarded it to her), not the postmark. A letter still at the program (forwarding programs) does
not count yet for her, and while one from the woman waits there the silence alert holds off. After
her address was in doubt and is settled, every count starts again from that day (`resumed_on`).
A reminder due on a day goes out at the end of the volunteer's quiet hours that day (09:00 in
her time zone by default), or at once if that moment has passed.

This is the reference. The sweep runs the same rules in SQL (`storage/_due.py`, for speed);
tests/storage/test_due_search.py holds the two to the same decisions, so a change to the
policy is made in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo


class ReminderKind(StrEnum):
    """What a reminder is about. Volunteer kinds go to her privately; the rest to coordinators."""

    FIRST_LETTER = "first_letter"
    REPLY_SOON = "reply_soon"
    REPLY_DUE = "reply_due"
    KEEP_WRITING = "keep_writing"
    OVERDUE = "overdue"
    SILENCE = "silence"
    MISSED_CYCLES = "missed_cycles"

    @property
    def for_volunteer(self) -> bool:
        return self in _VOLUNTEER_KINDS


_VOLUNTEER_KINDS = frozenset(
    {
        ReminderKind.FIRST_LETTER,
        ReminderKind.REPLY_SOON,
        ReminderKind.REPLY_DUE,
        ReminderKind.KEEP_WRITING,
    }
)


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """Every number of the rhythm of letters (config section [reminders])."""

    first_letter_days: int = 7
    reply_days: int = 14
    nudge_before_days: int = 4
    overdue_after_days: int = 7
    keep_writing_days: int = 30
    silence_days: int = 42
    missed_cycles: int = 3
    quiet_start: time = time(21, 0)
    quiet_end: time = time(9, 0)
    snooze_days: int = 3
    max_snoozes: int = 2


NEVER = datetime(9999, 12, 31, tzinfo=UTC)
"""Nothing more can become due until the match changes (a letter, a snooze)."""


@dataclass(frozen=True, slots=True)
class LetterMark:
    """One letter as the policy sees it."""

    id: int
    dated: date
    incoming: bool


@dataclass(frozen=True, slots=True)
class Snooze:
    """The volunteer asked to be reminded later about this cycle, `count` times so far."""

    cycle: str
    count: int
    until: datetime


@dataclass(frozen=True, slots=True)
class MatchRhythm:
    """What the policy needs to know about one active match."""

    match_id: int
    confirmed_on: date
    timezone: str
    last_in: LetterMark | None
    last_out: LetterMark | None
    snooze: Snooze | None = None
    resumed_on: date | None = None
    """Her address was settled on this day after a doubt: no count starts before it."""
    at_program: bool = False
    """A letter from her waits at the program (forwarding): she has written, so no silence."""


@dataclass(frozen=True, slots=True)
class ActiveMatch:
    """An active match of a volunteer who is not paused, with what reminders name."""

    rhythm: MatchRhythm
    volunteer_id: int
    volunteer_name: str
    penpal_name: str


@dataclass(frozen=True, slots=True)
class FiredReminder:
    """A reminder recorded as sent (its outbox rows were written in the same transaction)."""

    id: int
    match_id: int
    kind: ReminderKind
    cycle: str
    round: int


class Due(NamedTuple):
    """A reminder that is due: `cycle` names what it is about (so it fires once per cycle and
    snooze round), `at` is the moment it became due (UTC). (A named tuple: the sweep makes
    one for each of thousands of matches, and a tuple is made three times faster than a
    frozen dataclass.)"""

    kind: ReminderKind
    cycle: str
    round: int
    at: datetime
    days_late: int = 0


class DueMatch(NamedTuple):
    """What the sweep's search found for one match: what is due now (maybe nothing) and when
    to look at it again (as `assess` says)."""

    match_id: int
    due: list[Due]
    next_check: datetime


def answers(reply: LetterMark, letter: LetterMark) -> bool:
    """Whether a letter to her answers a letter from her: dated after it arrived, or the same
    day and logged after it."""
    return reply.dated > letter.dated or (reply.dated == letter.dated and reply.id > letter.id)


def reply_cycle(rhythm: MatchRhythm) -> LetterMark | None:
    """Her last letter, when the volunteer has not answered it yet."""
    last_in, last_out = rhythm.last_in, rhythm.last_out
    if last_in is None or (last_out is not None and answers(last_out, last_in)):
        return None
    return last_in


def cycle_of(rhythm: MatchRhythm) -> str:
    """The volunteer's current cycle: which letter (or the match itself) she owes a reply to."""
    waiting = reply_cycle(rhythm)
    if waiting is not None:
        return f"in:{waiting.id}"
    if rhythm.last_out is None:
        return "match"
    return f"out:{rhythm.last_out.id}"


def morning_of(day: date, timezone: str, policy: ReminderPolicy) -> datetime:
    """The moment a reminder due on `day` may go out: the end of quiet hours, local time."""
    return _local_to_utc(day, timezone, policy.quiet_end)


@lru_cache(maxsize=65536)
def _local_to_utc(day: date, timezone: str, at: time) -> datetime:
    """(Cached: a sweep asks for the same few mornings of the same few time zones.)"""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def outside_quiet_hours(moment: datetime, timezone: str, policy: ReminderPolicy) -> datetime:
    """`moment`, or the next end of quiet hours in her time zone if it falls inside them."""
    local = moment.astimezone(ZoneInfo(timezone))
    start, end = policy.quiet_start, policy.quiet_end
    clock = local.time()
    if start > end:  # the usual case: quiet hours span midnight
        if clock >= start:
            return morning_of(local.date() + timedelta(days=1), timezone, policy)
        if clock < end:
            return morning_of(local.date(), timezone, policy)
    elif start <= clock < end:
        return morning_of(local.date(), timezone, policy)
    return moment


def due_now(rhythm: MatchRhythm, policy: ReminderPolicy, now: datetime) -> list[Due]:
    """Every reminder of this match that is due at `now`: for the volunteer only the latest of
    her current cycle (an older nudge that was never sent is superseded), and the escalations
    to coordinators."""
    return assess(rhythm, policy, now)[0]


def next_check(rhythm: MatchRhythm, policy: ReminderPolicy, now: datetime) -> datetime:
    """The first moment after `now` when something new could become due for this match as it
    is (the sweep looks at the match again then, or as soon as the match changes)."""
    return assess(rhythm, policy, now)[1]


def assess(
    rhythm: MatchRhythm, policy: ReminderPolicy, now: datetime
) -> tuple[list[Due], datetime]:
    """`due_now` and `next_check` in one pass (the sweep needs both for every match it reads)."""
    tz, end = rhythm.timezone, policy.quiet_end
    out: list[Due] = []
    volunteer: Due | None = None
    later = NEVER
    waiting = reply_cycle(rhythm)
    resumed = rhythm.resumed_on or date.min

    def base(day: date) -> date:
        return max(day, resumed)

    if waiting is not None:
        cycle = f"in:{waiting.id}"
        due_day = base(waiting.dated) + timedelta(days=policy.reply_days)
        for kind, day in (
            (ReminderKind.REPLY_SOON, due_day - timedelta(days=policy.nudge_before_days)),
            (ReminderKind.REPLY_DUE, due_day),
        ):
            at = _local_to_utc(day, tz, end)
            if at <= now:
                volunteer = Due(kind, cycle, 0, at)
            elif at < later:
                later = at
        at = _local_to_utc(due_day + timedelta(days=policy.overdue_after_days), tz, end)
        if at <= now:
            late = (now.astimezone(ZoneInfo(tz)).date() - due_day).days
            out.append(Due(ReminderKind.OVERDUE, cycle, 0, at, late))
        elif at < later:
            later = at
    else:
        last_out = rhythm.last_out
        if last_out is None:
            kind, cycle = ReminderKind.FIRST_LETTER, "match"
            day = base(rhythm.confirmed_on) + timedelta(days=policy.first_letter_days)
        else:
            kind, cycle = ReminderKind.KEEP_WRITING, f"out:{last_out.id}"
            day = base(last_out.dated) + timedelta(days=policy.keep_writing_days)
        at = _local_to_utc(day, tz, end)
        if at <= now:
            volunteer = Due(kind, cycle, 0, at)
        elif at < later:
            later = at
    snooze = rhythm.snooze
    if snooze is not None:
        if now < snooze.until < later:
            later = snooze.until
        if volunteer is not None and snooze.cycle == volunteer.cycle:
            if now < snooze.until:
                volunteer = None
            else:
                at = max(volunteer.at, snooze.until)
                volunteer = Due(volunteer.kind, volunteer.cycle, snooze.count, at)
    if volunteer is not None:
        out.insert(0, volunteer)
    # No letter from inside for `silence_days` although the volunteer has written: ask the
    # coordinators to check for a transfer or a release.
    # (Not while a letter from her waits at the program: she has written.)
    last_in = rhythm.last_in
    since = base(last_in.dated if last_in else rhythm.confirmed_on)
    at = _local_to_utc(since + timedelta(days=policy.silence_days), tz, end)
    if rhythm.at_program:
        pass
    elif at > now:
        later = min(later, at)
    elif rhythm.last_out is not None and rhythm.last_out.dated >= since:
        anchor = f"in:{last_in.id}" if last_in else "match"
        out.append(Due(ReminderKind.SILENCE, f"silence:{anchor}", 0, at))
    return out, later


def missed_in_a_row(letters: list[LetterMark], policy: ReminderPolicy, today: date) -> int:
    """How many of her most recent letters in a row were answered late (or not yet, past the
    due day). Letters in date order."""
    streak = 0
    incoming = [mark for mark in letters if mark.incoming]
    for mark in reversed(incoming):
        due = mark.dated + timedelta(days=policy.reply_days)
        replies = [x.dated for x in letters if not x.incoming and answers(x, mark)]
        replied_on = min(replies) if replies else None
        if replied_on is not None and replied_on <= due:
            break
        if replied_on is None and today <= due:
            break
        streak += 1
    return streak

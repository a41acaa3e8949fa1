"""The reminder sweep: find what the policy says is due, record it once, write it to the outbox.

A timed job runs `sweep` every few minutes. No reminder is ever held as a job of its own: what
is due is decided here from the database each time, so a restart loses nothing and a letter
logged in the meantime changes what is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.addresses import address_buttons, put_in_doubt
from bot.domain.clock import Clock
from bot.domain.models import Button, Destination, LetterDirection
from bot.domain.ports import UnitOfWork, UnitOfWorkFactory
from bot.messages import Message, days, msg
from bot.notices import tell_coordinators, tell_volunteer
from bot.reminders.policy import (
    ActiveMatch,
    Due,
    FiredReminder,
    LetterMark,
    ReminderKind,
    ReminderPolicy,
    missed_in_a_row,
    outside_quiet_hours,
    reply_cycle,
)


@dataclass
class ReminderService:
    """Turns the policy into outbox rows, exactly once per reminder."""

    uow: UnitOfWorkFactory
    clock: Clock
    policy: ReminderPolicy
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = lambda: None

    async def sweep(self) -> int:
        """Record and queue every reminder that has become due; return how many."""
        now = self.clock.now()
        async with self.uow() as uow:
            found = await uow.letters.due_search(self.policy, now)
            due = [(f.match_id, d) for f in found for d in f.due]
            details = {(m, d.kind, d.cycle, d.round): d for m, d in due}
            fired = await uow.letters.record(due, now)
            if fired:
                ids = sorted({r.match_id for r in fired})
                active = {
                    a.rhythm.match_id: a
                    for a in await uow.letters.active(now.date(), match_ids=ids)
                }
            for reminder in fired:
                key = (reminder.match_id, reminder.kind, reminder.cycle, reminder.round)
                await self._queue(uow, active[reminder.match_id], reminder, details[key], now)
            await uow.letters.set_next_checks([(f.match_id, f.next_check) for f in found])
            await uow.commit()
        if fired:
            self.outbox_written()
        return len(fired)

    async def _queue(
        self, uow: UnitOfWork, item: ActiveMatch, reminder: FiredReminder, due: Due, now: datetime
    ) -> None:
        rhythm = item.rhythm
        waiting = reply_cycle(rhythm)
        dated = waiting or rhythm.last_out or rhythm.last_in
        params: dict[str, object] = {
            "penpal": item.penpal_name,
            "volunteer": item.volunteer_name,
            "match": rhythm.match_id,
            "dated": dated.dated if dated else "",
        }
        if waiting is not None:
            params["due"] = waiting.dated + timedelta(days=self.policy.reply_days)
        if not reminder.kind.for_volunteer:  # the coordinators: a circle's alert names it
            params["volunteer"] = await _writer(uow, rhythm.match_id, item.volunteer_name)
        if reminder.kind.for_volunteer:
            await self._to_volunteer(uow, item, reminder, params, now)
        elif reminder.kind is ReminderKind.OVERDUE:
            params["days"] = days(due.days_late)
            await tell_coordinators(
                uow,
                self.coordinators,
                "coord.alert.overdue",
                params,
                (_remind(item), Button("button.reoffer", "po", str(rhythm.match_id))),
                now,
                about=item.volunteer_id,
            )
            await self._missed_cycles(uow, item, due, params, now)
        elif reminder.kind is ReminderKind.SILENCE:
            params["days"] = days(self.policy.silence_days)
            match = await uow.matches.get(rhythm.match_id)
            penpal = await uow.penpals.get(match.penpal_id) if match else None
            if penpal is None:
                return
            why = msg("address.why_silence", days=days(self.policy.silence_days))
            await put_in_doubt(uow, penpal, why, now)  # no reminders until she is found
            await tell_coordinators(
                uow,
                self.coordinators,
                "coord.alert.silence",
                params,
                address_buttons(penpal.id),
                now,
                about=item.volunteer_id,
            )

    async def _to_volunteer(
        self,
        uow: UnitOfWork,
        item: ActiveMatch,
        reminder: FiredReminder,
        params: dict[str, object],
        now: datetime,
    ) -> None:
        volunteer = await uow.volunteers.get(item.volunteer_id)
        if volunteer is None:
            return
        at = outside_quiet_hours(now, item.rhythm.timezone, self.policy)
        answering = reminder.kind in (ReminderKind.REPLY_SOON, ReminderKind.REPLY_DUE)
        buttons = (
            Button("button.replied" if answering else "button.wrote", "rp", str(reminder.id)),
            Button("button.snooze", "sn", str(reminder.id)),
        )
        await tell_volunteer(
            uow, volunteer, f"reminder.{reminder.kind.value}", params, now, buttons, due_at=at
        )

    async def _missed_cycles(
        self,
        uow: UnitOfWork,
        item: ActiveMatch,
        due: Due,
        params: dict[str, object],
        now: datetime,
    ) -> None:
        """Late again: after `missed_cycles` late replies in a row, propose re-offering her."""
        letters = await uow.letters.for_match(item.rhythm.match_id)
        marks = [
            LetterMark(x.id, x.dated, x.direction is LetterDirection.FROM_PENPAL)
            for x in letters
            if x.counts
        ]
        today = now.astimezone(ZoneInfo(item.rhythm.timezone)).date()
        count = missed_in_a_row(marks, self.policy, today)
        if count < self.policy.missed_cycles:
            return
        proposal = Due(ReminderKind.MISSED_CYCLES, due.cycle, 0, now)
        if await uow.letters.record([(item.rhythm.match_id, proposal)], now):
            buttons = (_remind(item), Button("button.reoffer", "po", str(item.rhythm.match_id)))
            await tell_coordinators(
                uow,
                self.coordinators,
                "coord.alert.missed_cycles",
                {**params, "count": count},
                buttons,
                now,
                about=item.volunteer_id,
            )


async def _writer(uow: UnitOfWork, match_id: int, name: str) -> Message | str:
    """Who writes for this match, as an alert names her: in a writing circle, the member whose
    turn it is and the circle."""
    match = await uow.matches.get(match_id)
    circle = await uow.circles.get(match.circle_id) if match and match.circle_id else None
    return msg("circle.member_of", name=name, circle=circle.name) if circle else name


def _remind(item: ActiveMatch) -> Button:
    """A coordinator's button under an alert: remind this volunteer now."""
    return Button("button.remind_now", "rm", str(item.volunteer_id))

"""Whether a bot is healthy, for a person (`penpal-bot status`) and for a monitor (`/healthz`):
the same facts and the same warnings, from the database and the bot's configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.app.config import Config
from storage.backups import backups, taken_at
from storage.health import Facts, bot_running, read_facts

STUCK_AFTER = timedelta(minutes=10)
"""A message whose time came this long ago and is still waiting means delivery is stuck."""


@dataclass(frozen=True)
class Report:
    running: bool
    facts: Facts
    last_backup: datetime | None  # local time of the machine, as the copies are named
    warnings: list[str]

    @property
    def healthy(self) -> bool:
        return not self.warnings


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _age(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "never"
    seconds = int((now - then).total_seconds())
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    if seconds < 172800:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def assess(config: Config, now: datetime, local_now: datetime) -> Report:
    """Read the facts and say what needs attention (`now` aware, `local_now` the machine's)."""
    database = config.storage.database
    facts = read_facts(database, now)
    running = bot_running(database)
    folder = Path(config.storage.backup_dir).expanduser() if config.storage.backup_dir else None
    copies = backups(folder) if folder else []
    last_backup = taken_at(copies[-1]) if copies else None
    warnings: list[str] = []
    if not running:
        warnings.append("no bot is running on this database")
    started = facts.heartbeats.get("started")

    def stalled(loop: str, every: timedelta) -> bool:
        """Not done for two intervals and a minute, counted from the bot's start at most."""
        last = max((t for t in (facts.heartbeats.get(loop), started) if t), default=None)
        return running and (last is None or now - last > 2 * every + timedelta(minutes=1))

    sweep_every = timedelta(minutes=config.reminders.sweep_minutes or 15)
    sweep = facts.heartbeats.get("sweep")
    if stalled("sweep", sweep_every):
        warnings.append(f"the reminder sweep last ran {_age(sweep, now)} (every {sweep_every})")
    dispatch = facts.heartbeats.get("dispatch")
    if stalled("dispatch", timedelta(seconds=config.scheduler.dispatch_interval_seconds)):
        warnings.append(f"the outbox was last looked at {_age(dispatch, now)}")
    if facts.waiting_since is not None and now - facts.waiting_since > STUCK_AFTER:
        warnings.append(
            f"{_count(facts.waiting, 'message', 'messages')} due since "
            f"{_age(facts.waiting_since, now)} not sent yet"
        )
    if facts.failed:
        warnings.append(
            f"{_count(facts.failed, 'message', 'messages')} could not be delivered (the oldest "
            "was written "
            f"{_age(facts.failed_since, now)}); the coordinators were told whom they were for"
        )
    if folder is None:
        warnings.append("nightly backups are off ([storage] backup_dir)")
    elif last_backup is None or local_now - last_backup > timedelta(hours=26):
        warnings.append(f"the last nightly backup was taken {_age(last_backup, local_now)}")
    return Report(running, facts, last_backup, warnings)


def lines(report: Report, config: Config, now: datetime, local_now: datetime) -> list[str]:
    """The report as a person reads it in a terminal."""
    facts = report.facts
    size = facts.size_bytes / 1_000_000
    out = [
        f"database: {config.storage.database} ({size:.1f} MB)",
        "bot: "
        + (
            f"running (started {_age(facts.heartbeats.get('started'), now)})"
            if report.running
            else "not running"
        ),
        f"reminder sweep: last ran {_age(facts.heartbeats.get('sweep'), now)}",
        f"outbox: last looked at {_age(facts.heartbeats.get('dispatch'), now)}; "
        f"{facts.waiting} due now, {facts.later} planned for later, {facts.leased} being sent, "
        f"{facts.failed} failed",
        f"last backup: {_age(report.last_backup, local_now)}"
        + (f" in {config.storage.backup_dir}" if config.storage.backup_dir else " (backups off)"),
    ]
    if report.warnings:
        out.append("needs attention:")
        out += [f"  - {warning}" for warning in report.warnings]
    else:
        out.append("all well")
    return out


def as_json(report: Report, now: datetime, alive: dict[str, bool]) -> dict[str, object]:
    """The report for `/healthz`, with which of the bot's loops are alive in its process."""
    facts = report.facts
    return {
        "healthy": report.healthy and all(alive.values()),
        "loops": alive,
        "heartbeats": {name: at.isoformat() for name, at in facts.heartbeats.items()},
        "outbox": {
            "due_now": facts.waiting,
            "oldest_due": facts.waiting_since.isoformat() if facts.waiting_since else None,
            "later": facts.later,
            "being_sent": facts.leased,
            "failed": facts.failed,
        },
        "last_backup": report.last_backup.isoformat() if report.last_backup else None,
        "database_bytes": facts.size_bytes,
        "warnings": report.warnings,
        "checked_at": now.isoformat(),
    }

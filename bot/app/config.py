"""Loading and validating the TOML config once at start-up into frozen dataclasses."""

from __future__ import annotations

import logging
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any

from bot.reminders.policy import ReminderPolicy
from bot.training import QuizError, split_quiz

DISCORD_TOKEN_ENV = "PENPAL_DISCORD_TOKEN"
TELEGRAM_TOKEN_ENV = "PENPAL_TELEGRAM_TOKEN"

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """A config problem, with a message that names the file, the key and what is expected."""


@dataclass(frozen=True)
class StorageConfig:
    """Where the SQLite database lives, how long a write may wait for a lock, and the nightly
    backups: a copy into `backup_dir` (off when empty) at `backup_time` ([program] timezone),
    each kept `backup_keep` days."""

    database: str = "penpal.db"
    busy_timeout_ms: int = 5000
    backup_dir: str = ""
    backup_keep: int = 14
    backup_time: str = "03:30"


@dataclass(frozen=True)
class TelegramConfig:
    """Telegram settings (the token comes from the environment)."""

    api_base_url: str = "https://api.telegram.org/bot"
    api_file_url: str = ""
    coordinator_ids: tuple[int, ...] = ()
    poll_timeout: int = 30
    rate_limit: bool = True
    request_timeout_ms: int = 5000


@dataclass(frozen=True)
class DiscordConfig:
    """Discord settings (the token comes from the environment)."""

    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    guild_ids: tuple[int, ...] = ()
    coordinator_role_ids: tuple[int, ...] = ()
    coordinator_channel_id: int = 0
    reminders_channel_id: int = 0


@dataclass(frozen=True)
class ProgramConfig:
    """How the pen pal program runs."""

    name: str = "the pen pal program"
    approval_required: bool = True
    writer_preferences: bool = True
    matching: str = "coordinator"
    timezone: str = "UTC"
    forwarding: bool = False
    review_letters: bool = False
    languages: tuple[str, ...] = ("en", "es")
    default_language: str = "en"
    guidelines_file: str = ""
    welcome_file: str = ""
    address_check_days: int = 90
    address_recheck_days: int = 14
    release_notice_days: int = 10
    reconsent_days: int = 14
    return_address: str = ""
    after_release: str = "end"
    after_release_file: str = ""

    def written(self, pattern: str) -> tuple[tuple[str, str], ...]:
        """The program's own texts, per language: `pattern` names a file per language with
        `{language}` in its path ("guidelines.{language}.txt"); a language without its file
        gets the bot's own words."""
        if not pattern:
            return ()
        found = []
        for language in self.languages:
            path = Path(pattern.replace("{language}", language)).expanduser()
            if path.is_file():
                found.append((language, path.read_text(encoding="utf-8").strip()))
        return tuple(found)


@dataclass(frozen=True)
class MatchingConfig:
    """The matching engine runs in a child process for each run: where it keeps its compiled
    code (created if missing; empty means systemd's cache directory when the unit has
    `CacheDirectory=`, else a `matching-cache` folder beside the database) and how long a run
    may take before it is stopped."""

    cache_dir: str = ""
    timeout_seconds: int = 300

    def cache_path(self, database: str) -> Path:
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        systemd = os.environ.get("CACHE_DIRECTORY", "").split(":")[0]
        if systemd:
            return Path(systemd) / "matching"
        return Path(database).expanduser().resolve().parent / "matching-cache"


@dataclass(frozen=True)
class HealthConfig:
    """An optional local web page for monitoring: `/healthz` and `/metrics` on `listen`
    ("host:port"; empty: off). Keep it on 127.0.0.1 unless a firewall guards it."""

    listen: str = ""


@dataclass(frozen=True)
class WebConfig:
    """The coordinators' web workspace, served by the bot on `listen` ("host:port"; empty:
    off). `public_url` is the address coordinators open (behind a reverse proxy with HTTPS);
    empty means http://listen. A session lasts `session_hours`."""

    listen: str = ""
    public_url: str = ""
    session_hours: int = 12

    @property
    def url(self) -> str:
        if not self.listen:
            return ""
        return (self.public_url or f"http://{self.listen}").rstrip("/")


@dataclass(frozen=True)
class SchedulerConfig:
    """Timed jobs: how often the outbox dispatcher looks for due messages."""

    dispatch_interval_seconds: int = 30
    telegram_chat_gap_ms: int = 1000
    telegram_per_second: int = 29
    flood_limit: int = 20


_POLICY = ReminderPolicy()


@dataclass(frozen=True)
class RemindersConfig:
    """The rhythm of letters: every number of the reminder policy (shared/DOMAIN.md). The
    defaults are the policy's own."""

    first_letter_days: int = _POLICY.first_letter_days
    reply_days: int = _POLICY.reply_days
    nudge_before_days: int = _POLICY.nudge_before_days
    overdue_after_days: int = _POLICY.overdue_after_days
    keep_writing_days: int = _POLICY.keep_writing_days
    silence_days: int = _POLICY.silence_days
    missed_cycles: int = _POLICY.missed_cycles
    quiet_hours: str = f"{_POLICY.quiet_start:%H:%M}-{_POLICY.quiet_end:%H:%M}"
    snooze_days: int = _POLICY.snooze_days
    max_snoozes: int = _POLICY.max_snoozes
    sweep_minutes: int = 15
    catch_up_hours: int = 24
    digest_time: str = "08:00"

    def policy(self) -> ReminderPolicy:
        """The policy with these numbers (the keys named like the policy's fields)."""
        start, end = _quiet_hours(self.quiet_hours)
        same = {
            f.name: getattr(self, f.name) for f in fields(ReminderPolicy) if hasattr(self, f.name)
        }
        return ReminderPolicy(**same, quiet_start=start, quiet_end=end)


def _quiet_hours(text: str) -> tuple[time, time]:
    """`"21:00-09:00"` as two times; raises ValueError otherwise."""
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(text)
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


@dataclass(frozen=True)
class Config:
    """The whole validated configuration."""

    storage: StorageConfig = field(default_factory=StorageConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    program: ProgramConfig = field(default_factory=ProgramConfig)
    matching: MatchingConfig = field(default_factory=MatchingConfig)
    health: HealthConfig = field(default_factory=HealthConfig)
    web: WebConfig = field(default_factory=WebConfig)
    scheduler: SchedulerConfig = field(default_factory=SchedulerConfig)
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    source: str = "(defaults)"


_SECTIONS: dict[str, type] = {
    "storage": StorageConfig,
    "telegram": TelegramConfig,
    "discord": DiscordConfig,
    "program": ProgramConfig,
    "matching": MatchingConfig,
    "health": HealthConfig,
    "web": WebConfig,
    "scheduler": SchedulerConfig,
    "reminders": RemindersConfig,
}

_RETIRED = {
    "program.preload_matching": "matching runs in a child process now, so there is nothing to "
    "preload; the key can go"
}
"""Keys older configs may still have: ignored, with a warning in the log."""

_CHOICES = {
    "program.matching": ("coordinator", "browse", "both"),
    "program.after_release": ("end", "coordinator decides"),
}

_EXPECTED = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    tuple[int, ...]: "a list of integers",
    tuple[str, ...]: "a list of strings",
}


def load_config(path: Path | None) -> Config:
    """Read and validate `path` (or use the defaults when it is None)."""
    if path is None:
        return Config()
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{where}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot be read ({exc})") from None
    sections: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in _SECTIONS:
            known = ", ".join(f"[{s}]" for s in _SECTIONS)
            raise ConfigError(f"{where}: unknown section or key '{name}' (expected one of {known})")
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: '{name}' must be a section like [{name}]")
        sections[name] = _section(where, name, _SECTIONS[name], value)
    config = Config(**sections, source=where)
    for key in ("guidelines_file", "welcome_file"):
        pattern = getattr(config.program, key)
        if pattern and config.program.default_language not in dict(config.program.written(pattern)):
            raise ConfigError(
                f"{where}: '[program] {key}' = {pattern!r}: no file for the default language "
                f"({pattern.replace('{language}', config.program.default_language)})"
            )
    for language, text in config.program.written(config.program.guidelines_file):
        try:
            split_quiz(text)
        except QuizError as problem:
            named = config.program.guidelines_file.replace("{language}", language)
            raise ConfigError(
                f"{where}: '[program] guidelines_file' ({named}): {problem}"
            ) from None
    if config.program.default_language not in config.program.languages:
        raise ConfigError(
            f"{where}: '[program] default_language' ({config.program.default_language}) must "
            "be one of [program] languages"
        )
    return config


def _section(where: str, name: str, cls: type, values: dict[str, Any]) -> Any:
    hints = {f.name: f.type for f in fields(cls)}
    types = _resolved_types(cls)
    out: dict[str, Any] = {}
    for key, value in values.items():
        if f"{name}.{key}" in _RETIRED:
            log.warning("%s: '%s.%s' is ignored: %s", where, name, key, _RETIRED[f"{name}.{key}"])
            continue
        if key not in hints:
            raise ConfigError(
                f"{where}: unknown key '{name}.{key}' (known keys: {', '.join(hints)})"
            )
        expected = types[key]
        out[key] = _check(where, f"{name}.{key}", expected, value)
    return cls(**out)


def _resolved_types(cls: type) -> dict[str, Any]:
    import typing

    return typing.get_type_hints(cls)


def _check(where: str, key: str, expected: Any, value: Any) -> Any:
    ok: bool
    if expected is bool:
        ok = isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif expected is str:
        ok = isinstance(value, str)
    elif expected == tuple[str, ...]:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if ok:
            value = tuple(value)
    else:  # tuple[int, ...]
        ok = isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        )
        if ok:
            value = tuple(value)
    if not ok:
        raise ConfigError(
            f"{where}: '{key}' must be {_EXPECTED[expected]}, not {type(value).__name__} {value!r}"
        )
    if key == "program.languages":
        from bot.messages.translations import LANGUAGES

        unknown = [v for v in value if v not in LANGUAGES]
        if unknown or not value:
            raise ConfigError(
                f"{where}: '{key}' must list languages the bot speaks ({', '.join(LANGUAGES)}), "
                f"not {list(value)!r}"
            )
    if key == "program.default_language":
        from bot.messages.translations import LANGUAGES

        if value not in LANGUAGES:
            raise ConfigError(f"{where}: '{key}' must be one of {', '.join(LANGUAGES)}")
    if key in _CHOICES and value not in _CHOICES[key]:
        allowed = ", ".join(f'"{c}"' for c in _CHOICES[key])
        raise ConfigError(f"{where}: '{key}' must be one of {allowed}, not {value!r}")
    if key.endswith(("_url",)) and value and not str(value).startswith(("http", "ws")):
        raise ConfigError(f"{where}: '{key}' must be a URL starting with http(s):// or ws(s)://")
    if key == "health.listen" and value and not re.fullmatch(r"[\w.:\[\]-]*:\d{1,5}", value):
        raise ConfigError(f"{where}: '{key}' must look like \"127.0.0.1:8089\", not {value!r}")
    if key in ("reminders.digest_time", "storage.backup_time"):
        try:
            time.fromisoformat(value)
        except ValueError:
            raise ConfigError(f"{where}: '{key}' must look like \"08:00\", not {value!r}") from None
    if key == "program.timezone":  # the same parser as the volunteers' answers
        from datetime import UTC, datetime

        from bot.domain.timezones import find_zone
        from bot.messages import plain

        found = find_zone(value, datetime.now(UTC))
        if found.choices:
            places = ", ".join(f'"{p.zone}" ({plain(p.name)})' for p in found.choices)
            raise ConfigError(
                f"{where}: '{key}' = {value!r} could be several places; write one of: {places}"
            )
        if found.place is None:
            raise ConfigError(
                f"{where}: '{key}' must be a time zone like \"Europe/London\" or a city"
            )
        value = found.place.zone
    if key == "reminders.quiet_hours":
        try:
            _quiet_hours(value)
        except ValueError:
            raise ConfigError(
                f"{where}: '{key}' must look like \"21:00-09:00\", not {value!r}"
            ) from None
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise ConfigError(f"{where}: '{key}' must not be negative")
    return value

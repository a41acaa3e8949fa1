"""Config: defaults, validation errors that name the file, the key and what is expected."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from bot.app.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_config_is_valid_and_documents_every_key() -> None:
    config = load_config(ROOT / "config.example.toml")
    assert config.storage.database == "penpal.db"
    assert config.telegram.api_base_url == "https://api.telegram.org/bot"
    assert config.discord.gateway_url == "wss://gateway.discord.gg/"
    assert config.program.approval_required is True
    text = (ROOT / "config.example.toml").read_text()
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[index - 1].startswith("#"), f"undocumented key: {line}"
    for section in fields(config):
        if section.name == "source":
            continue
        assert f"[{section.name}]" in text
        for key in fields(getattr(config, section.name)):
            assert f"\n{key.name} = " in text, f"{section.name}.{key.name} is not in the example"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[program]\napproval_required = 'yes'\n",
            "'program.approval_required' must be true or false",
        ),
        (
            "[telegram]\ncoordinator_ids = ['ann']\n",
            "'telegram.coordinator_ids' must be a list of integers",
        ),
        ("[discord]\nguild_id = [1]\n", "unknown key 'discord.guild_id'"),
        ("[nonsense]\n", "unknown section or key 'nonsense'"),
        ("database = 'x'\n", "unknown section or key 'database'"),
        ("[storage\n", "not valid TOML"),
        ("[discord]\napi_base_url = 'discord.com'\n", "'discord.api_base_url' must be a URL"),
        ("[storage]\nbusy_timeout_ms = -1\n", "'storage.busy_timeout_ms' must not be negative"),
        (
            "[program]\nmatching = 'lottery'\n",
            '\'program.matching\' must be one of "coordinator", "browse", "both"',
        ),
    ],
)
def test_bad_config_names_file_key_and_expectation(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    assert str(tmp_path / "config.toml") in str(error.value)
    assert expected in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "absent.toml")


def test_the_reminders_section_sets_the_policy(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[reminders]\nreply_days = 10\nquiet_hours = "22:30-07:15"\n')
    policy = load_config(path).reminders.policy()
    assert policy.reply_days == 10 and policy.first_letter_days == 7
    assert (policy.quiet_start.isoformat(), policy.quiet_end.isoformat()) == (
        "22:30:00",
        "07:15:00",
    )
    path.write_text('[reminders]\nquiet_hours = "late"\n')
    with pytest.raises(ConfigError, match=r"reminders\.quiet_hours"):
        load_config(path)


def test_the_program_time_zone_is_read_like_the_volunteers_answers(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[program]\ntimezone = "Houston"\n'))
    assert config.program.timezone == "America/Chicago"
    config = load_config(write(tmp_path, '[program]\ntimezone = "Eastern"\n'))
    assert config.program.timezone == "America/New_York"
    with pytest.raises(ConfigError) as ambiguous:
        load_config(write(tmp_path, '[program]\ntimezone = "CST"\n'))
    assert "could be several places" in str(ambiguous.value)
    assert '"America/Chicago" (Central time (Chicago))' in str(ambiguous.value)
    with pytest.raises(ConfigError, match="must be a time zone like"):
        load_config(write(tmp_path, '[program]\ntimezone = "Narnia"\n'))


def test_a_retired_key_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, "[program]\npreload_matching = true\nname = 'X'\n")
    config = load_config(path)
    assert config.program.name == "X"
    assert "'program.preload_matching' is ignored: matching runs in a child process" in caplog.text


def test_the_matching_cache_sits_beside_the_database_unless_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CACHE_DIRECTORY", raising=False)
    database = str(tmp_path / "data" / "penpal.db")
    assert load_config(None).matching.cache_path(database) == tmp_path / "data" / "matching-cache"
    config = load_config(write(tmp_path, f"[matching]\ncache_dir = '{tmp_path / 'c'}'\n"))
    assert config.matching.cache_path(database) == tmp_path / "c"
    monkeypatch.setenv("CACHE_DIRECTORY", "/var/cache/penpal-bot")  # systemd's CacheDirectory=
    assert load_config(None).matching.cache_path(database) == Path("/var/cache/penpal-bot/matching")
    assert config.matching.cache_path(database) == tmp_path / "c"  # a configured one wins
    unit = (ROOT / "deploy" / "penpal-bot.service").read_text()
    assert "\nCacheDirectory=penpal-bot\n" in unit
    assert "\nType=notify\n" in unit and "\nWatchdogSec=120\n" in unit  # bot/app/health.py


def test_the_programs_own_texts_need_one_in_the_default_language(tmp_path: Path) -> None:
    (tmp_path / "rules.es.txt").write_text("• Escribe.")
    pattern = str(tmp_path / "rules.{language}.txt")
    with pytest.raises(ConfigError, match=r"no file for the default language .*rules\.en\.txt"):
        load_config(write(tmp_path, f"[program]\nguidelines_file = '{pattern}'\n"))
    (tmp_path / "rules.en.txt").write_text("• Write.")
    config = load_config(write(tmp_path, f"[program]\nguidelines_file = '{pattern}'\n"))
    assert config.program.written(config.program.guidelines_file) == (
        ("en", "• Write."), ("es", "• Escribe."))  # fmt: skip


def test_a_badly_written_quiz_is_refused_at_startup(tmp_path: Path) -> None:
    (tmp_path / "guidelines.en.txt").write_text("Be kind.\n\n## Quiz\n? Kind?\n* Yes\n* No\n")
    pattern = str(tmp_path / "guidelines.{language}.txt")
    with pytest.raises(ConfigError) as problem:
        load_config(write(tmp_path, f"[program]\nguidelines_file = '{pattern}'\n"))
    assert "guidelines.en.txt): quiz question “Kind?”: give 2 to 5 answers" in str(problem.value)

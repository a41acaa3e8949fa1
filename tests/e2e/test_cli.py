"""The `penpal-bot` command as a real process: exit codes, clean shutdown, db commands."""

from __future__ import annotations

import asyncio
import csv
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app.config import Config
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import running, tokens_for
from tests.e2e.helpers import ANN, say


def env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PENPAL_")}
    return {**clean, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", **extra}


async def run_cli(*args: str, cwd: Path, extra_env: dict[str, str] | None = None,
                  timeout: float = 60) -> tuple[int, str]:  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env(**(extra_env or {})),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_no_token_exits_2_naming_both_variables(tmp_path: Path) -> None:
    code, out = await run_cli("run", cwd=tmp_path)
    assert code == 2
    assert "PENPAL_TELEGRAM_TOKEN" in out and "PENPAL_DISCORD_TOKEN" in out and "sandbox" in out


async def test_bad_config_exits_2_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[program]\napproval_required = 3\n")
    code, out = await run_cli("run", "--config", "bad.toml", cwd=tmp_path)
    assert code == 2
    assert "bad.toml" in out and "program.approval_required" in out and "true or false" in out
    assert "Traceback" not in out


@pytest.fixture
def shell_umask() -> Iterator[None]:
    """The umask of a normal shell (022): files are created readable by everyone unless the
    program says otherwise. The child processes inherit it."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


async def test_sigterm_stops_cleanly_with_exit_0(
    tmp_path: Path, tg: FakeTelegram, shell_umask: None
) -> None:
    (tmp_path / "config.toml").write_text(
        f'[storage]\ndatabase = "bot.db"\n[telegram]\napi_base_url = "{tg.base_url}"\n'
        "poll_timeout = 10\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path,
        env=env(PENPAL_TELEGRAM_TOKEN=tg.token),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    assert process.stdout is not None
    while True:  # wait until it says it is running
        line = await asyncio.wait_for(process.stdout.readline(), 30)
        assert line, "the bot exited before it was running"
        if b"running" in line:
            break
    await tg.user_says(ANN, "/start")
    welcome = await tg.next_sent(ANN.id, timeout=10)
    assert "pen pal program" in welcome.text
    process.send_signal(signal.SIGTERM)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, out.decode()
    assert tg.token not in out.decode()  # the token is never logged
    assert (tmp_path / "bot.db").stat().st_mode & 0o777 == 0o600


async def test_db_upgrade_and_backup(tmp_path: Path, shell_umask: None) -> None:
    (tmp_path / "config.toml").write_text('[storage]\ndatabase = "live.db"\n')
    code, out = await run_cli("db", "upgrade", cwd=tmp_path)
    assert code == 0, out
    code, out = await run_cli("db", "backup", "copy.db", cwd=tmp_path)
    assert code == 0, out
    for made in ("live.db", "copy.db"):  # personal data, from a shell whose umask is 022
        assert (tmp_path / made).stat().st_mode & 0o777 == 0o600, made
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA user_version").fetchone()[0] >= 1
    finally:
        copy.close()


async def test_a_rejected_token_is_a_clear_error_that_does_not_show_the_token(
    tmp_path: Path, tg: FakeTelegram
) -> None:
    (tmp_path / "config.toml").write_text(f'[telegram]\napi_base_url = "{tg.base_url}"\n')
    wrong = "987654321:WRONG-token-for-this-test"
    code, out = await run_cli("run", cwd=tmp_path, extra_env={"PENPAL_TELEGRAM_TOKEN": wrong})
    assert code == 1, out
    assert "could not start: InvalidToken" in out and "was rejected by the server" in out
    assert wrong not in out and "[redacted]" in out
    assert "Traceback" not in out


SAMPLES = Path(__file__).resolve().parents[2] / "sandbox" / "samples"


async def test_registry_import_export_from_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[storage]\ndatabase = "reg.db"\n')
    code, out = await run_cli("facilities", "import", str(SAMPLES / "facilities.csv"), cwd=tmp_path)
    assert code == 0 and "facilities: 3 added, 0 updated, 0 unchanged." in out, out
    code, out = await run_cli("penpals", "import", str(SAMPLES / "penpals.csv"), cwd=tmp_path)
    assert code == 0 and "penpals: 8 added" in out, out
    code, out = await run_cli("penpals", "import", str(SAMPLES / "penpals.csv"), cwd=tmp_path)
    assert "penpals: 0 added, 0 updated, 8 unchanged." in out

    bad = tmp_path / "bad.csv"
    lines = (SAMPLES / "penpals.csv").read_text().splitlines()
    lines[1] = lines[1].replace("Rosa Example Delgado", "")
    lines[2] = lines[2].replace("2026-02-20", "February 20th")
    lines[3] = lines[3].replace("Example Women's Correctional Facility", "Atlantis Jail")
    bad.write_text("\n".join(lines) + "\n")
    code, out = await run_cli("penpals", "import", str(bad), cwd=tmp_path)
    assert code == 1 and "nothing was imported; fix these 3 problems" in out
    assert "row 2, column committed_name: missing" in out
    assert "row 3, column waiting_since: bad date 'February 20th'" in out
    assert "row 4, column facility: unknown facility 'Atlantis Jail'" in out

    code, out = await run_cli("penpals", "export", "out.csv", cwd=tmp_path)
    assert code == 0, out
    exported = tmp_path / "out.csv"
    assert exported.stat().st_mode & 0o777 == 0o600  # personal data: owner only
    assert "Rosa Example Delgado" in exported.read_text()
    conn = sqlite3.connect(tmp_path / "reg.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM penpals").fetchone() == (8,)
        logged = conn.execute("SELECT subject FROM audit_log").fetchall()
    finally:
        conn.close()
    assert not any("Rosa" in s or "W10001" in s for (s,) in logged)


async def test_exports_run_no_formula_and_import_back_to_the_same_values(tmp_path: Path) -> None:
    """A pen pal's fields that start like a formula (CSV injection) are exported with a
    leading quote, so a spreadsheet shows them as text; importing the export changes nothing."""
    (tmp_path / "config.toml").write_text('[storage]\ndatabase = "reg.db"\n')
    facilities = (SAMPLES / "facilities.csv").read_text().replace(
        "State (example)", "@state"
    )  # fmt: skip
    (tmp_path / "facilities.csv").write_text(facilities)
    lines = (SAMPLES / "penpals.csv").read_text().splitlines()
    lines[1] = lines[1].replace(
        "Rosa Example Delgado", '"=HYPERLINK(""http://x.example"",""Rosa"")"'
    )
    lines[1] = lines[1].replace(",Rosa,", ",+Rosa,").replace("she/her", "-she/her")
    lines[2] = lines[2].replace("Writes poems", "@SUM(1+1) writes poems")
    (tmp_path / "penpals.csv").write_text("\n".join(lines) + "\n")
    for kind in ("facilities", "penpals"):
        code, out = await run_cli(kind, "import", f"{kind}.csv", cwd=tmp_path)
        assert code == 0, out
        code, out = await run_cli(kind, "export", f"{kind}-out.csv", cwd=tmp_path)
        assert code == 0, out
    with (tmp_path / "penpals-out.csv").open(newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    with (tmp_path / "facilities-out.csv").open(newline="") as handle:
        cells += [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://x.example","Rosa")' in cells
    assert {"'+Rosa", "'-she/her", "'@state"} <= set(cells)
    assert any(c.startswith("'@SUM(1+1) writes poems") for c in cells)
    for kind in ("facilities", "penpals"):  # the export imports as the very same values
        code, out = await run_cli(kind, "import", f"{kind}-out.csv", cwd=tmp_path)
        assert code == 0 and " 0 added, 0 updated," in out, out
    conn = sqlite3.connect(tmp_path / "reg.db")
    try:
        names = conn.execute("SELECT committed_name, preferred_name, pronouns FROM penpals "
                             "ORDER BY id LIMIT 1").fetchone()  # fmt: skip
    finally:
        conn.close()
    assert names == ('=HYPERLINK("http://x.example","Rosa")', "+Rosa", "-she/her")


async def test_the_running_bot_backs_up_nightly_and_a_backup_restores_once_it_stops(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path, tmp_path: Path
) -> None:
    """The backup job is planned at `backup_time` in the program's zone; a backup it takes
    restores from the command line only when no bot runs (nothing changes before)."""
    folder = tmp_path / "nightly"
    config = make_config(tg=tg)
    config = replace(config, storage=replace(config.storage, backup_dir=str(folder)))
    (tmp_path / "config.toml").write_text(f'[storage]\ndatabase = "{db_path}"\n')
    async with running(config, tokens_for(tg=tg)) as app:
        assert app.scheduler is not None
        job = app.scheduler.get_job("backup")
        assert job is not None and "hour='3', minute='30'" in str(job.trigger)
        copy = await app.backup()
        assert copy.parent == folder and copy.stat().st_mode & 0o777 == 0o600
        await say(tg, ANN, "/start")  # written after the backup
        code, out = await run_cli("db", "restore", str(copy), cwd=tmp_path)
        assert code == 1 and "a bot is running" in out and "stop it first" in out
    code, out = await run_cli("db", "restore", str(tmp_path / "nope.db"), cwd=tmp_path)
    assert code == 1 and "nothing was changed" in out and "does not exist" in out
    code, out = await run_cli("db", "restore", str(copy), cwd=tmp_path)
    assert code == 0 and f"restored {db_path} from {copy}" in out, out
    assert "the database as it was is kept in" in out

"""A running bot's health from outside: `penpal-bot status` (exit 1 when something needs
attention), `/healthz` and `/metrics` on `[health] listen`, and systemd's READY, WATCHDOG and
STOPPING messages (no watchdog ping while a loop has stalled)."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.app.config import Config, HealthConfig, load_config
from bot.app.health import Liveness, ping_watchdog
from bot.app.status import assess
from sandbox.fake_telegram import FakeTelegram
from storage.database import Database, RunnerLock
from tests.e2e.conftest import running, tokens_for
from tests.e2e.helpers import ANN, say


async def cli_status(config_path: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "status", "--config", str(config_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_status_says_what_a_person_needs_and_exits_1_until_all_is_well(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "nightly"
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\ndatabase = "{db_path}"\n')
    config = make_config(tg=tg)
    async with running(config, tokens_for(tg=tg)) as app:
        await say(tg, ANN, "/start")
        code, out = await cli_status(path)
        assert code == 1, out
        assert "bot: running" in out and "reminder sweep: last ran" in out
        assert "outbox: last looked at" in out and "0 failed" in out
        assert "needs attention:\n  - nightly backups are off ([storage] backup_dir)" in out
        path.write_text(f'[storage]\ndatabase = "{db_path}"\nbackup_dir = "{folder}"\n')
        app.config = replace(config, storage=replace(config.storage, backup_dir=str(folder)))
        code, out = await cli_status(path)
        assert code == 1 and "the last nightly backup was taken never" in out
        await app.backup()
        code, out = await cli_status(path)
        assert code == 0 and "all well" in out and "last backup: " in out, out
    code, out = await cli_status(path)
    assert code == 1 and "bot: not running" in out and "no bot is running" in out


async def test_status_sees_a_stalled_sweep_stuck_and_failed_messages(tmp_path: Path) -> None:
    database = tmp_path / "penpal.db"
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    old = (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    async with await Database.open(database) as db:
        await db.conn.execute("INSERT INTO heartbeats VALUES ('sweep', ?), ('dispatch', ?)",
                              (old, old))  # fmt: skip
        for status in ("failed", "pending", "pending"):
            await db.conn.execute(
                "INSERT INTO outbox (platform, target_kind, target_id, message_key, params, "
                "status, due_at, created_at) VALUES ('telegram', 'user', '1', 'x', '{}', ?, ?, ?)",
                (status, old, old),
            )
    config = load_config(None)
    config = replace(config, storage=replace(config.storage, database=str(database)))
    report = assess(config, now, now.replace(tzinfo=None))
    assert report.warnings[0] == "no bot is running on this database"
    # a stopped bot's loops are not reported stalled; what waits and what failed is
    assert "2 messages due since 2 h ago not sent yet" in report.warnings
    assert any(w.startswith("1 message could not be delivered") for w in report.warnings)
    lock = RunnerLock.take(database)  # as a running bot holds it
    try:
        report = assess(config, now, now.replace(tzinfo=None))
    finally:
        lock.release()
    assert "the reminder sweep last ran 2 h ago (every 0:15:00)" in report.warnings
    assert "the outbox was last looked at 2 h ago" in report.warnings


async def test_healthz_and_metrics(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    config = replace(make_config(tg=tg), health=HealthConfig(listen="127.0.0.1:0"))
    async with running(config, tokens_for(tg=tg)) as app, aiohttp.ClientSession() as http:
        assert app.monitor is not None and app.monitor.page is not None
        host, port = app.monitor.page.address or ("", 0)
        await say(tg, ANN, "/start")
        async with http.get(f"http://{host}:{port}/healthz") as answer:
            assert answer.status == 200
            body = json.loads(await answer.text())
        assert body["loops"] == {"dispatch": True, "sweep": True}
        assert "dispatch" in body["heartbeats"]  # at start (the sweep's may still be running)
        assert body["outbox"]["failed"] == 0 and "nightly backups are off" in body["warnings"][0]
        async with http.get(f"http://{host}:{port}/metrics") as answer:
            metrics = await answer.text()
        assert "penpal_updates_total 1.0" in metrics
        assert 'penpal_messages_sent_total{platform="telegram"}' in metrics
        assert "penpal_reminder_sweeps_total" in metrics
        assert "penpal_matching_runs_total 0.0" in metrics
        stalled = app.monitor.liveness
        stalled.last["sweep"] = stalled.now() - 3 * 15 * 60
        async with http.get(f"http://{host}:{port}/healthz") as answer:
            assert answer.status == 503
            assert json.loads(await answer.text())["loops"]["sweep"] is False


@pytest.fixture
def systemd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    """The socket systemd listens on for a `Type=notify` unit with `WatchdogSec=`."""
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    monkeypatch.setenv("WATCHDOG_USEC", "200000")  # a ping every 0.1 s
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    try:
        yield sock
    finally:
        sock.close()


async def test_systemd_hears_ready_the_watchdog_and_stopping(
    tg: FakeTelegram, make_config: Callable[..., Config], systemd: socket.socket
) -> None:
    loop = asyncio.get_running_loop()

    async def heard() -> str:
        return (await asyncio.wait_for(loop.sock_recv(systemd, 100), 10)).decode()

    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        assert await heard() == "READY=1"
        assert await heard() == "WATCHDOG=1"
        assert await heard() == "WATCHDOG=1"
    said = [await heard()]
    while said[-1] != "STOPPING=1":
        said.append(await heard())  # pings that were already on their way
    assert set(said[:-1]) <= {"WATCHDOG=1"}


def test_no_watchdog_ping_while_a_loop_has_stalled(systemd: socket.socket) -> None:
    clock = [1000.0]
    liveness = Liveness({"dispatch": 30, "sweep": 900}, now=lambda: clock[0], started=1000.0)
    assert ping_watchdog(liveness)
    assert systemd.recv(100) == b"WATCHDOG=1"
    liveness.done("sweep")
    clock[0] += 2 * 30 + 61  # the dispatch loop has not completed for two intervals and a minute
    assert not ping_watchdog(liveness)
    with pytest.raises(BlockingIOError):
        systemd.recv(100)


async def test_status_on_a_database_it_cannot_read_says_so_without_a_traceback(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\ndatabase = "{tmp_path / "garbage.db"}"\n')
    (tmp_path / "garbage.db").write_bytes(b"not a database at all" * 100)
    code, out = await cli_status(path)
    assert code == 2 and "cannot read" in out and "Traceback" not in out, out
    path.write_text(f'[storage]\ndatabase = "{tmp_path / "missing.db"}"\n')
    code, out = await cli_status(path)
    assert code == 2 and "no database at" in out and "Traceback" not in out, out

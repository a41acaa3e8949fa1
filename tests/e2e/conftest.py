"""Harness: the real bot (python-telegram-bot and discord.py) against the local fake servers."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.app.config import (
    Config,
    DiscordConfig,
    MatchingConfig,
    ProgramConfig,
    SchedulerConfig,
    StorageConfig,
    TelegramConfig,
)
from bot.app.runtime import App, Tokens
from bot.domain.clock import Clock, FakeClock
from bot.matching.solver import ChildProcessSolver
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram, FakeUser

# httpx honours proxy variables: never send loopback traffic through a proxy.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

COORDINATOR = FakeUser(900, "Cora", "cora_coord")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def dc() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "e2e.db"


MATCHING_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "matching"
"""One numba cache for every test's matching child (a fresh one per test would compile each
time, 7-10 s)."""


@pytest.fixture(scope="session", autouse=True)
def matching_cache() -> Path:
    """Compiled once for the whole session (the bot's own start-up step, run here first)."""
    command = (sys.executable, "-m", "bot.app.matching_child", "")  # no database: only loads
    asyncio.run(ChildProcessSolver(command, MATCHING_CACHE).prepare())
    return MATCHING_CACHE


@pytest.fixture
def make_config(db_path: Path) -> Callable[..., Config]:
    def make(
        tg: FakeTelegram | None = None,
        dc: Any = None,
        approval: bool = True,
        matching: str = "coordinator",
    ) -> Config:
        config = Config(
            storage=StorageConfig(database=str(db_path)),
            # Pacing per chat is tested with a fake clock in tests/core/test_outbox.py.
            # A test plays people at machine speed: flood control is tested on its own.
            scheduler=SchedulerConfig(
                telegram_chat_gap_ms=0, telegram_per_second=0, flood_limit=10_000
            ),
            program=ProgramConfig(
                name="Letters Inside", approval_required=approval, matching=matching
            ),
            matching=MatchingConfig(cache_dir=str(MATCHING_CACHE)),
        )
        if tg is not None:
            config = replace(
                config,
                telegram=TelegramConfig(
                    api_base_url=tg.base_url, coordinator_ids=(COORDINATOR.id,), poll_timeout=10
                ),
            )
        if dc is not None:
            config = replace(config, discord=dc.config())
        return config

    return make


def discord_coordinator(dc: FakeDiscord) -> Member:
    """A member holding the fake server's coordinator role."""
    return Member(310000000000000009, "cora", roles=(dc.coordinator_role_id,))


def tokens_for(tg: FakeTelegram | None = None, dc: Any = None) -> Tokens:
    return Tokens(discord=dc.token if dc else "", telegram=tg.token if tg else "")


@contextlib.asynccontextmanager
async def running(config: Config, tokens: Tokens, clock: Clock | None = None) -> AsyncIterator[App]:
    app = App(config, tokens, clock=clock or FakeClock(), discord_ready_timeout=0)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()


def query(db_path: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Read the bot's database directly, as a coordinator's backup would."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


__all__ = ["COORDINATOR", "DiscordConfig", "query", "running", "tokens_for"]


def with_button(message: Any, custom_id: str) -> Any:
    """A posted message as a forger would present it, with a button it never had."""
    button = {"type": 2, "style": 2, "label": "x", "custom_id": custom_id}
    return dataclasses.replace(message, components=[{"type": 1, "components": [button]}])

"""The database locked by another process past the busy timeout (a long write, a VACUUM):
commands answer "try again in a moment", nothing crashes, and once the lock is gone the same
command works. On both platforms."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.app.config import Config
from sandbox.fake_discord import FakeDiscord, Member
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import running, tokens_for
from tests.e2e.helpers import EVE, as_posted, say


def short_wait(config: Config) -> Config:
    return dataclasses.replace(
        config, storage=dataclasses.replace(config.storage, busy_timeout_ms=200)
    )


@contextmanager
def locked(db_path: Path) -> Iterator[None]:
    """Another process holds the write lock."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("COMMIT")
        other.close()


async def test_telegram_a_locked_database_gets_try_again(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    async with running(short_wait(make_config(tg=tg)), tokens_for(tg=tg)):
        with locked(db_path):
            busy = await say(tg, EVE, "/me")
            assert "records are busy for a moment" in busy.text
        assert "haven't signed up" in (await say(tg, EVE, "/me")).text


async def test_discord_a_locked_database_gets_try_again(
    dc: FakeDiscord, make_config: Callable[..., Config], db_path: Path
) -> None:
    eve = Member(310000000000000002, "eve")
    async with running(short_wait(make_config(dc=dc)), tokens_for(dc=dc)):
        with locked(db_path):
            busy = as_posted(await dc.slash(eve, "me"))
            assert busy.ephemeral and "records are busy for a moment" in busy.content
        assert "haven't signed up" in as_posted(await dc.slash(eve, "me")).content

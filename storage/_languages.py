"""Which language each platform account reads the bot in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from bot.domain.models import AccountRef, Platform
from storage._common import one_row, ts


class SqliteLanguageRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def get(self, account: AccountRef) -> tuple[str, bool] | None:
        row = await one_row(
            self.conn,
            "SELECT language, chosen FROM languages WHERE platform = ? AND user_id = ?",
            (account.platform.value, account.user_id),
        )
        return (str(row[0]), bool(row[1])) if row else None

    async def set(self, account: AccountRef, language: str, chosen: bool, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO languages (platform, user_id, language, chosen, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, user_id) DO UPDATE SET "
            "language = excluded.language, chosen = excluded.chosen, "
            "updated_at = excluded.updated_at",
            (account.platform.value, account.user_id, language, int(chosen), ts(at)),
        )

    async def of_targets(self, pairs: Iterable[tuple[Platform, str]]) -> dict[tuple[str, str], str]:
        """The languages of these accounts (those with none are left out)."""
        wanted = {(p.value, u) for p, u in pairs}
        if not wanted:
            return {}
        marks = ",".join("(?, ?)" for _ in wanted)
        rows = await self.conn.execute_fetchall(
            f"SELECT platform, user_id, language FROM languages WHERE (platform, user_id) IN "
            f"(VALUES {marks})",
            [v for pair in wanted for v in pair],
        )
        return {(str(r[0]), str(r[1])): str(r[2]) for r in rows}

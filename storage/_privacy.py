"""A volunteer's whole record for /mydata, and the erasure of her personal data for /forgetme."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.models import AccountRef
from storage._common import ts

ERASED = "(erased)"
"""What stands in place of an erased name in messages still waiting to be sent."""

ERASED_CONCERN = ""
"""A concern's text once the volunteer who wrote it has erased her data (the list says so)."""


class SqlitePrivacyRepo:
    """Reads everything kept about one volunteer, and erases it."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def _rows(self, sql: str, args: Sequence[Any]) -> list[dict[str, Any]]:
        rows = await self.conn.execute_fetchall(sql, tuple(args))
        return [dict(row) for row in rows]

    async def export(self, volunteer_id: int) -> dict[str, Any]:
        """Her record: profile, accounts, sign-up drafts, matches (pen pals by preferred name
        only) with their letters, reminders and snoozes, the messages the bot queued for her (which
        and when; not their text, which may hold a pen pal's mailing details after the match
        ended), and the audit rows about her or by her. Values as stored (times are UTC)."""
        profile = await self._rows("SELECT * FROM volunteers WHERE id = ?", (volunteer_id,))
        accounts = await self._rows(
            "SELECT a.platform, a.user_id, a.handle, l.language FROM platform_accounts a "
            "LEFT JOIN languages l ON l.platform = a.platform AND l.user_id = a.user_id "
            "WHERE a.volunteer_id = ? ORDER BY a.platform",
            (volunteer_id,),
        )
        pairs = [(a["platform"], a["user_id"]) for a in accounts]
        labels = [f"{p}:{u}" for p, u in pairs]
        drafts = []
        messages = []
        for platform, user_id in pairs:
            drafts += await self._rows(
                "SELECT platform, answers, started_at, updated_at FROM signup_drafts "
                "WHERE platform = ? AND user_id = ?",
                (platform, user_id),
            )
            messages += await self._rows(
                "SELECT platform, message_key, status, due_at, sent_at FROM outbox "
                "WHERE target_kind = 'user' AND platform = ? AND target_id = ? ORDER BY id",
                (platform, user_id),
            )
        for draft in drafts:
            draft["answers"] = json.loads(draft["answers"])
        matches = await self._rows(
            "SELECT m.id, p.preferred_name AS penpal, m.status, m.proposed_at, m.confirmed_at, "
            "m.ended_at, m.end_reason FROM matches m JOIN penpals p ON p.id = m.penpal_id "
            "WHERE m.volunteer_id = ? ORDER BY m.id",
            (volunteer_id,),
        )
        for match in matches:
            match["letters"] = await self._rows(
                "SELECT direction, dated, logged_at FROM letters WHERE match_id = ? ORDER BY "
                "dated, id",
                (match["id"],),
            )
            match["reminders"] = await self._rows(
                "SELECT kind, due_at, created_at FROM reminders WHERE match_id = ? ORDER BY id",
                (match["id"],),
            )
            match["snoozes"] = await self._rows(
                "SELECT cycle, count, until FROM snoozes WHERE match_id = ? ORDER BY id",
                (match["id"],),
            )
        concerns = await self._rows(
            "SELECT id, match_id, kind, details, status, created_at, handled_at, answers "
            "FROM concerns "
            "WHERE volunteer_id = ? ORDER BY id",
            (volunteer_id,),
        )
        for concern in concerns:  # what was answered her, not who answered
            concern["answers"] = [
                {"at": a["at"], "text": a["text"]} for a in json.loads(concern["answers"])
            ]
        marks = ",".join("?" for _ in labels)
        audit = await self._rows(
            f"SELECT actor, action, subject, at FROM audit_log WHERE subject = ? "
            f"OR actor IN ({marks}) ORDER BY id",
            (f"volunteer:{volunteer_id}", *labels),
        )
        if profile:
            for key in ("languages", "interests", "kinds"):
                if isinstance(profile[0].get(key), str):
                    profile[0][key] = json.loads(profile[0][key])
        return {
            "volunteer": profile[0] if profile else None,
            "accounts": accounts,
            "signup_drafts": drafts,
            "matches": matches,
            "messages": messages,
            "concerns": concerns,
            "audit": audit,
        }

    async def erase(
        self,
        volunteer_id: int,
        accounts: Sequence[AccountRef],
        words: Sequence[str],
        at: datetime,
    ) -> None:
        """Erase her personal data in the caller's transaction: the profile keeps only what
        counts need (its id, dates, status 'left'); accounts, drafts and messages to her are
        deleted; her platform ids leave the letters and the audit trail; notices about her
        (`about_volunteer`) are deleted whatever their state, and other queued messages that
        name her lose the name (sent ones are deleted); her link codes go; her concerns stay
        on record without what she wrote. With `secure_delete` on (see
        `storage.database.connect`) the old bytes are zeroed, not just unlinked."""
        for account in accounts:
            key = (account.platform.value, account.user_id)
            label = f"{key[0]}:{key[1]}"
            await self.conn.execute(
                "DELETE FROM signup_drafts WHERE platform = ? AND user_id = ?", key
            )
            await self.conn.execute(
                "DELETE FROM outbox WHERE target_kind = 'user' AND platform = ? AND target_id = ?",
                key,
            )
            await self.conn.execute(
                "DELETE FROM unreachable WHERE platform = ? AND target_id = ?", key
            )
            await self.conn.execute("DELETE FROM languages WHERE platform = ? AND user_id = ?", key)
            await self.conn.execute(
                "UPDATE letters SET logged_by = 'volunteer' WHERE logged_by = ?", (label,)
            )
            await self.conn.execute(
                "UPDATE audit_log SET actor = 'volunteer' WHERE actor = ?", (label,)
            )
        # Short numbers would match inside other people's dates and ID numbers: platform ids
        # are long (Telegram 6+ digits, Discord 17+), names and handles may be short.
        wanted = [w for w in words if len(w) >= (6 if w.isdigit() else 2)]
        stored = [json.dumps(w, ensure_ascii=False)[1:-1] for w in wanted]  # as in the JSON text
        if not stored:
            stored = [ERASED]
        found = " OR ".join("instr(params, ?) > 0" for _ in stored)
        for row in await self.conn.execute_fetchall(
            f"SELECT id, params, status FROM outbox WHERE {found}", stored
        ):
            params = json.loads(row[1])
            cleaned = _without(params, wanted)
            if cleaned == params:
                continue
            if row[2] == "pending":
                await self.conn.execute(
                    "UPDATE outbox SET params = ? WHERE id = ?",
                    (json.dumps(cleaned, ensure_ascii=False), row[0]),
                )
            else:
                await self.conn.execute("DELETE FROM outbox WHERE id = ?", (row[0],))
        # Notices that name her: dropped while they wait (or failed), and their text deleted
        # once delivered (the caller queued the edits of the delivered copies first).
        await self.conn.execute("DELETE FROM outbox WHERE about_volunteer = ?", (volunteer_id,))
        await self.conn.execute("DELETE FROM delivered WHERE about_volunteer = ?", (volunteer_id,))
        await self.conn.execute("DELETE FROM link_codes WHERE volunteer_id = ?", (volunteer_id,))
        await self.conn.execute(
            "DELETE FROM consent_requests WHERE volunteer_id = ?", (volunteer_id,)
        )
        await self.conn.execute("DELETE FROM quiz_results WHERE volunteer_id = ?", (volunteer_id,))
        for row in await self.conn.execute_fetchall(
            "SELECT id, note FROM concerns WHERE volunteer_id = ?", (volunteer_id,)
        ):  # a concern stays on record for safety (its kind, match, dates and handling), but
            # what she wrote in it goes with her; the coordinators' note loses her name
            await self.conn.execute(
                "UPDATE concerns SET details = ?, note = ?, answers = '[]' WHERE id = ?",
                (ERASED_CONCERN, _without(row[1], wanted), row[0]),
            )
        for row in await self.conn.execute_fetchall(
            "SELECT l.id, l.note FROM letters l JOIN matches m ON m.id = l.match_id "
            "WHERE m.volunteer_id = ? AND l.note <> ''",
            (volunteer_id,),
        ):  # the coordinators' notes on her letters lose her names
            await self.conn.execute(
                "UPDATE letters SET note = ? WHERE id = ?", (_without(row[1], wanted), row[0])
            )
        await self.conn.execute(
            "DELETE FROM platform_accounts WHERE volunteer_id = ?", (volunteer_id,)
        )
        await self.conn.execute(
            "UPDATE volunteers SET display_name = '', pronouns = '', languages = '[]', "
            "interests = '[]', kinds = '[]', woman_writer = NULL, timezone = 'UTC', "
            "status = 'left', paused_until = NULL, left_reason = NULL, prefers = NULL, "
            "pen_name = '', updated_at = ? WHERE id = ?",
            (ts(at), volunteer_id),
        )


def _without(value: Any, words: Sequence[str]) -> Any:
    """`value` (parsed JSON) with each of `words` replaced inside every string."""
    if isinstance(value, str):
        for word in words:
            value = value.replace(word, ERASED)
        return value
    if isinstance(value, list):
        return [_without(v, words) for v in value]
    if isinstance(value, dict):
        return {k: _without(v, words) for k, v in value.items()}
    return value

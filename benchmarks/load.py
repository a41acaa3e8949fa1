"""Benchmark: 50 simulated users on each fake platform against the real bot process, with 5,000
volunteers, 20,000 pen pals and 50,000 letters in the database.

The bot runs as `python -m bot run` pointed at the fake Telegram and Discord servers on
127.0.0.1 (both in this process). Each user repeats, after a random pause (uniform from 0 to
twice `--think` seconds): `/me`, `/mypenpals`, `/letter received`, or a whole sign-up of a new
person (typed answers and button presses on Telegram; the form, menus and buttons on Discord).
Prints commands per second, p50/p99 time from the update to the bot's reply, p99 time to
acknowledge a Discord interaction, errors (a user step that failed or timed out, and ERROR lines
in the bot's log), and the bot process's peak RSS (VmHWM).

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60] [--think 2.0]

Telegram's flood limiter (30 messages a second) is off, so the figures measure the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.signup_telegram import STEPS  # noqa: E402
from sandbox.fake_discord import FakeDiscord, Member, Posted, Response  # noqa: E402
from sandbox.fake_telegram import FakeTelegram, FakeUser, Sent  # noqa: E402
from storage.database import Database  # noqa: E402

VOLUNTEERS, PENPALS, LETTERS = 5_000, 20_000, 50_000
TELEGRAM_BASE, DISCORD_BASE = 1_000_000, 310_000_000_000_000_000
NEW_TELEGRAM, NEW_DISCORD = 9_000_000, 320_000_000_000_000_000
TODAY = datetime.now(UTC).date()


async def build(path: Path) -> None:
    """The schema by the bot's own migrations, then the rows in bulk."""
    async with await Database.open(path):
        pass
    stamp = datetime.now(UTC).isoformat()
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO facilities (id, name, address_lines, mail_rules) VALUES "
                     "(1, 'Bench Facility', '[\"PO Box 1\", \"Springfield\"]', 'Plain paper.')")  # fmt: skip
        conn.executemany(
            "INSERT INTO volunteers (id, display_name, languages, interests, capacity, frequency, "
            "timezone, status, guidelines_version, consented_at, created_at, updated_at) "
            "VALUES (?, ?, '[\"en\"]', '[\"books\"]', 2, 'monthly', 'America/Chicago', "
            "'active', '1', ?, ?, ?)",
            [(i, f"Volunteer {i}", stamp, stamp, stamp) for i in range(1, VOLUNTEERS + 1)],
        )
        half = VOLUNTEERS // 2
        conn.executemany(
            "INSERT INTO platform_accounts (platform, user_id, volunteer_id) VALUES (?, ?, ?)",
            [("telegram", str(TELEGRAM_BASE + i), i) for i in range(1, half + 1)]
            + [("discord", str(DISCORD_BASE + i), i) for i in range(half + 1, VOLUNTEERS + 1)],
        )
        conn.executemany(
            "INSERT INTO penpals (id, committed_name, preferred_name, languages, interests, "
            "correspondence_kinds, waiting_since, status) VALUES (?, ?, ?, '[\"en\"]', "
            "'[\"books\"]', '[\"friendship\"]', ?, ?)",
            [(j, f"Committed {j}", f"Pen pal {j}", "2025-06-01",
              "matched" if j <= VOLUNTEERS else "waiting") for j in range(1, PENPALS + 1)],
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO custody_records (penpal_id, facility_id, id_number, started_on) "
            "VALUES (?, 1, ?, '2025-01-01')",
            [(j, f"ID{j:06d}") for j in range(1, PENPALS + 1)],
        )
        confirmed = (datetime.now(UTC) - timedelta(days=400)).isoformat()
        conn.executemany(
            "INSERT INTO matches (id, volunteer_id, penpal_id, status, proposed_at, confirmed_at) "
            "VALUES (?, ?, ?, 'active', ?, ?)",
            [(i, i, i, confirmed, confirmed) for i in range(1, VOLUNTEERS + 1)],
        )
        # Ten letters a match over a year; the last two (hers 8 days ago, the answer 5 days
        # ago) leave nothing due, so the run measures commands, not a wave of reminders.
        rows = []
        for match in range(1, VOLUNTEERS + 1):
            days = sorted(rng.sample(range(20, 380), LETTERS // VOLUNTEERS - 2), reverse=True)
            for n, back in enumerate([*days, 8, 5]):
                direction = "to_penpal" if n % 2 else "from_penpal"
                rows.append((match, direction, (TODAY - timedelta(days=back)).isoformat(),
                             "bench", stamp))  # fmt: skip
        conn.executemany(
            "INSERT INTO letters (match_id, direction, dated, logged_by, logged_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    conn.execute("ANALYZE")
    conn.close()


@dataclass
class Tally:
    reply: list[float] = field(default_factory=list)
    ack: list[float] = field(default_factory=list)
    commands: int = 0
    errors: list[str] = field(default_factory=list)


async def timed(tally: Tally, step: Awaitable[object]) -> object:
    started = time.perf_counter()
    result = await step
    tally.reply.append(time.perf_counter() - started)
    tally.commands += 1
    return result


async def telegram_user(tg: FakeTelegram, n: int, tally: Tally, until: float, think: float) -> None:
    user = FakeUser(TELEGRAM_BASE + n, f"Volunteer{n}")
    signups = 0
    while time.perf_counter() < until:
        await asyncio.sleep(random.uniform(0, 2 * think))
        action = random.choices(["/me", "/mypenpals", "/letter received", "signup"],
                                [30, 25, 25, 20])[0]  # fmt: skip
        try:
            if action != "signup":
                await timed(tally, say(tg, user, action))
                continue
            signups += 1
            newcomer = FakeUser(NEW_TELEGRAM + n * 1000 + signups, f"New{n}")
            last: Sent | None = None
            for kind, text, replies in STEPS:
                await asyncio.sleep(random.uniform(0, think))
                if kind == "say":
                    await tg.user_says(newcomer, text)
                else:
                    assert last is not None
                    await tg.user_presses(newcomer, last, last.button(text)["callback_data"])
                started = time.perf_counter()
                for _ in range(replies):
                    last = await tg.next_sent(newcomer.id, timeout=30)
                tally.reply.append(time.perf_counter() - started)
                tally.commands += 1
                tg.pending(newcomer.id)  # keyboard edits
        except Exception as exc:  # a failed step is counted, and the user carries on
            tally.errors.append(f"telegram {action}: {type(exc).__name__}: {exc}")
            tg.pending(user.id)


async def say(tg: FakeTelegram, user: FakeUser, text: str) -> Sent:
    await tg.user_says(user, text)
    sent = await tg.next_sent(user.id, timeout=30)
    tg.pending(user.id)
    return sent


async def discord_step(dc: FakeDiscord, tally: Tally, send: Awaitable[int]) -> Response:
    """One interaction: acknowledged when the bot's callback arrives (the reply itself for
    every command in this mix: none of them defers)."""
    started = time.perf_counter()
    interaction = await send
    response = await dc.response(interaction, timeout=30)
    elapsed = time.perf_counter() - started
    tally.ack.append(elapsed)
    tally.reply.append(elapsed)
    tally.commands += 1
    return response


def posted(response: Response) -> Posted:
    assert response.message is not None, f"no message in response type {response.type}"
    return response.message


SIGNUP_FORM = {"signup-name": "New Writer", "signup-pronouns": "she/her",
               "signup-languages": "English", "signup-interests": "books, music",
               "signup-timezone": "Europe/London"}  # fmt: skip
CHOICES = [("kinds", ["friendship"]), ("woman", ["yes"]), ("capacity", ["2"]),
           ("frequency", ["monthly"])]  # fmt: skip


async def discord_user(dc: FakeDiscord, n: int, tally: Tally, until: float, think: float) -> None:
    member = Member(DISCORD_BASE + VOLUNTEERS // 2 + n, f"volunteer{n}")
    commands = {c["name"]: c for c in dc.commands[dc.guild_id]}
    signups = 0

    def slash(who: Member, name: str, options: list[dict[str, object]]) -> Awaitable[int]:
        data = {"id": commands[name]["id"], "name": name, "type": 1, "options": options,
                "guild_id": str(dc.guild_id)}  # fmt: skip
        return dc._dispatch_interaction(who, 2, data)

    while time.perf_counter() < until:
        await asyncio.sleep(random.uniform(0, 2 * think))
        action = random.choices(["me", "mypenpals", "letter", "signup"], [30, 25, 25, 20])[0]
        try:
            if action == "letter":
                await discord_step(dc, tally, slash(member, "letter",
                                                    [{"type": 1, "name": "received", "options": []}]))  # fmt: skip
                continue
            if action != "signup":
                await discord_step(dc, tally, slash(member, action, []))
                continue
            signups += 1
            newcomer = Member(NEW_DISCORD + n * 1000 + signups, f"new{n}")
            modal = await discord_step(dc, tally, slash(newcomer, "signup", []))
            await asyncio.sleep(random.uniform(0, think))
            started = time.perf_counter()
            step = posted(await dc.submit_modal(newcomer, modal, SIGNUP_FORM))
            tally.ack.append(time.perf_counter() - started)
            tally.reply.append(time.perf_counter() - started)
            tally.commands += 1
            for question, values in CHOICES:
                await asyncio.sleep(random.uniform(0, think))
                menu = f"penpal:signup:answer:{question}"
                step = posted(await discord_step(dc, tally, dc._dispatch_interaction(
                    newcomer, 3, {"custom_id": menu, "component_type": 3, "values": values},
                    step)))  # fmt: skip
            await discord_step(dc, tally, dc._dispatch_interaction(
                newcomer, 3, {"custom_id": "penpal:signup:agree", "component_type": 2}, step))  # fmt: skip
        except Exception as exc:
            tally.errors.append(f"discord {action}: {type(exc).__name__}: {exc}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50, help="simulated users per platform")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between commands")
    args = parser.parse_args()
    random.seed(2026)

    workdir = Path(tempfile.mkdtemp(prefix="penpal-load-"))
    started = time.perf_counter()
    await build(workdir / "load.db")
    print(f"database: {VOLUNTEERS:,} volunteers, {PENPALS:,} pen pals, {LETTERS:,} letters "
          f"(built in {time.perf_counter() - started:.1f} s)")  # fmt: skip
    tg, dc = FakeTelegram(), FakeDiscord()
    await tg.start()
    await dc.start()
    (workdir / "config.toml").write_text(
        f'[storage]\ndatabase = "load.db"\n'
        f'[telegram]\napi_base_url = "{tg.base_url}"\nrate_limit = false\npoll_timeout = 10\n'
        f'[discord]\napi_base_url = "{dc.api_base_url}"\ngateway_url = "{dc.gateway_url}"\n'
        f"guild_ids = [{dc.guild_id}]\n"
        "[program]\napproval_required = false\n"
    )
    env = {**os.environ, "PENPAL_TELEGRAM_TOKEN": tg.token, "PENPAL_DISCORD_TOKEN": dc.token,
           "NO_PROXY": "127.0.0.1", "PYTHONPATH": str(ROOT)}  # fmt: skip
    log = (workdir / "bot.log").open("wb")
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=workdir, env=env, stdout=log, stderr=log
    )
    await tg.wait_for_call("getUpdates", timeout=60)
    await dc.wait_until(lambda: dc.guild_id in dc.commands, timeout=60)

    tg_tally, dc_tally = Tally(), Tally()
    until = time.perf_counter() + args.seconds
    load_started = time.perf_counter()
    await asyncio.gather(
        *(telegram_user(tg, n, tg_tally, until, args.think) for n in range(1, args.users + 1)),
        *(discord_user(dc, n, dc_tally, until, args.think) for n in range(1, args.users + 1)),
    )
    elapsed = time.perf_counter() - load_started

    status = Path(f"/proc/{bot.pid}/status").read_text()
    peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
    bot.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(bot.wait(), 30)
    log.close()
    await tg.stop()
    await dc.stop()
    conn = sqlite3.connect(workdir / "load.db")
    letters = conn.execute("SELECT COUNT(*) FROM letters").fetchone()[0] - LETTERS
    joined = conn.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0] - VOLUNTEERS
    conn.close()
    bot_errors = [
        line for line in (workdir / "bot.log").read_text().splitlines() if "ERROR" in line
    ]

    replies = tg_tally.reply + dc_tally.reply
    commands = tg_tally.commands + dc_tally.commands
    print(f"load: {args.users} users on Telegram and {args.users} on Discord for "
          f"{elapsed:.0f} s, {args.think:g} s mean pause")  # fmt: skip
    print(f"commands: {commands:,} ({commands / elapsed:.1f} a second; Telegram "
          f"{tg_tally.commands:,}, Discord {dc_tally.commands:,})")  # fmt: skip
    print(f"done by them: {letters:,} letters logged, {joined:,} new volunteers signed up")
    for name, values in (("all", replies), ("Telegram", tg_tally.reply),
                         ("Discord", dc_tally.reply)):  # fmt: skip
        print(f"update to reply, {name}: p50 {statistics.median(values) * 1000:.1f} ms, "
              f"p99 {percentile(values, 0.99):.1f} ms, max {max(values) * 1000:.1f} ms "
              "(target p99 under 100 ms)")  # fmt: skip
    print(f"Discord acknowledgement: p99 {percentile(dc_tally.ack, 0.99):.1f} ms, "
          f"max {max(dc_tally.ack) * 1000:.1f} ms (target: every one under 1 s)")  # fmt: skip
    errors = tg_tally.errors + dc_tally.errors
    print(f"errors: {len(errors)} failed steps, {len(bot_errors)} ERROR lines in the bot's log")
    for line in (errors + bot_errors)[:10]:
        print(f"  {line[:300]}")
    print(f"peak RSS of the bot: {peak_kb / 1024:.0f} MB (target under 250 MB)")
    print(f"bot exit code after SIGTERM: {code}")


if __name__ == "__main__":
    asyncio.run(main())

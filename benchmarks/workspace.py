"""Benchmark: the coordinators' web workspace on a large program, against the real bot process.

The database holds 5,000 volunteers, 20,000 pen pals and 50,000 letters (as `benchmarks/load.py`
builds it). The bot runs as `python -m bot run` with `[web] listen` set, pointed at the fake
Telegram server in this process. Coordinators log in through links the bot sends them.

1. Each page (and each chart's picture, the report's CSV) is loaded 20 times by one browser:
   p50 and p95 per page (target: p95 under 200 ms).
2. Then 10 browsers reload the dashboard (`/`), once a second each and then as fast as they
   are answered, while 20 Telegram volunteers send `/me` or `/mypenpals` (a random pause of 0
   to 1 s between): the bot's reply latency p50/p99 (target p99 under 100 ms, as in
   `benchmarks/load.py`), and the dashboard's own p95 under that load.

    .venv/bin/python benchmarks/workspace.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import LETTERS, PENPALS, TELEGRAM_BASE, VOLUNTEERS, build, say  # noqa: E402
from sandbox.fake_telegram import FakeTelegram, FakeUser, html_to_text  # noqa: E402

COORDINATOR = FakeUser(900, "Cora")
PAGES = ("/", "/waiting", "/waiting?language=en&sort=facility&min_days=30", "/proposals",
         "/matches", "/volunteers", "/addresses", "/concerns", "/charts", "/charts/letters.svg",
         "/charts/waiting.svg", "/charts/replies.svg", "/report", "/report.csv", "/sheets",
         "/audit", "/audit?action=web.")  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile, in ms (p95 of 20 loads is the 19th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000


async def logged_in(tg: FakeTelegram) -> tuple[str, aiohttp.ClientSession]:
    """A browser with a session, through a link the bot sent the coordinator."""
    await tg.user_says(COORDINATOR, "/coord web")
    answer = await tg.next_sent(COORDINATOR.id, timeout=30)
    link = re.search(r"(http://\S+/login/\S+)", html_to_text(answer.text))
    assert link, answer.text
    browser = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with browser.post(link.group(1)) as response:
        assert response.status == 200, response.status
    return link.group(1).split("/login/")[0], browser


async def load(browser: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with browser.get(url) as response:
        await response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - started


async def under_load(
    tg: FakeTelegram,
    browsers: list[tuple[str, aiohttp.ClientSession]],
    seconds: float,
    pause: float,
    how: str,
) -> None:
    """10 browsers reload the dashboard (`pause` seconds between) while 20 volunteers talk to
    the bot on Telegram."""
    until = time.perf_counter() + seconds
    dashboard: list[float] = []
    replies: list[float] = []

    async def reload(site: str, session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < until:
            dashboard.append(await load(session, site + "/"))
            await asyncio.sleep(pause)

    async def volunteer(n: int) -> None:
        user = FakeUser(TELEGRAM_BASE + n, f"Volunteer{n}")
        while time.perf_counter() < until:
            await asyncio.sleep(random.uniform(0, 1))
            begun = time.perf_counter()
            await say(tg, user, random.choice(["/me", "/mypenpals"]))
            replies.append(time.perf_counter() - begun)

    await asyncio.gather(*(reload(site, s) for site, s in browsers),
                         *(volunteer(n) for n in range(1, 21)))  # fmt: skip
    print(f"2. 10 browsers reloading the dashboard {how}, 20 volunteers on Telegram, "
          f"{seconds:g} s")  # fmt: skip
    print(f"   dashboard loads: {len(dashboard):,} ({len(dashboard) / seconds:.1f} a second), "
          f"p50 {statistics.median(dashboard) * 1000:.1f} ms, "
          f"p95 {percentile(dashboard, 0.95):.1f} ms")  # fmt: skip
    print(f"   bot replies: {len(replies):,}, p50 {statistics.median(replies) * 1000:.1f} ms, "
          f"p99 {percentile(replies, 0.99):.1f} ms (target p99 under 100 ms)")  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    random.seed(2026)
    workdir = Path(tempfile.mkdtemp(prefix="penpal-workspace-"))
    started = time.perf_counter()
    await build(workdir / "load.db")
    print(f"database: {VOLUNTEERS:,} volunteers, {PENPALS:,} pen pals, {LETTERS:,} letters "
          f"(built in {time.perf_counter() - started:.1f} s)")  # fmt: skip
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    tg = FakeTelegram()
    await tg.start()
    (workdir / "config.toml").write_text(
        f'[storage]\ndatabase = "load.db"\n'
        f'[telegram]\napi_base_url = "{tg.base_url}"\nrate_limit = false\npoll_timeout = 10\n'
        f"coordinator_ids = [{COORDINATOR.id}]\n"
        "[program]\napproval_required = false\n"
        f'[web]\nlisten = "127.0.0.1:{port}"\n'
        "[scheduler]\nflood_limit = 100000\n"  # the bot is measured, not its flood guard
    )
    env = {**os.environ, "PENPAL_TELEGRAM_TOKEN": tg.token, "NO_PROXY": "127.0.0.1",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    env.pop("PENPAL_DISCORD_TOKEN", None)
    log = (workdir / "bot.log").open("wb")
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=workdir, env=env, stdout=log, stderr=log
    )
    await tg.wait_for_call("getUpdates", timeout=60)
    try:
        base, browser = await logged_in(tg)
        print("1. one browser, each page 20 times (target p95 under 200 ms)")
        worst = 0.0
        for page in PAGES:
            times = [await load(browser, base + page) for _ in range(20)]
            p95 = percentile(times, 0.95)
            worst = max(worst, p95)
            print(f"   {page:<48} p50 {statistics.median(times) * 1000:6.1f} ms   "
                  f"p95 {p95:6.1f} ms   max {max(times) * 1000:6.1f} ms")  # fmt: skip
        print(f"   slowest p95: {worst:.1f} ms")
        await browser.close()

        browsers = [await logged_in(tg) for _ in range(10)]
        try:
            for pause, how in ((1.0, "once a second each"), (0.0, "as fast as they are answered")):
                await under_load(tg, browsers, args.seconds, pause, how)
        finally:
            for _, session in browsers:
                await session.close()
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 30)
        log.close()
        await tg.stop()
    errors = [line for line in (workdir / "bot.log").read_text().splitlines() if "ERROR" in line]
    print(f"ERROR lines in the bot's log: {len(errors)}")
    for line in errors[:5]:
        print(f"  {line[:300]}")


if __name__ == "__main__":
    asyncio.run(main())

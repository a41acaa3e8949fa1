"""Benchmark: 200 sign-ups from 20 concurrent users against the bot on the fake Telegram server.

The bot runs as a real `python -m bot run` process pointed at the fake Bot API on 127.0.0.1.
Prints the time from process start to the first getUpdates poll, reply latency p50/p99 (from the
moment a user's update is available to the moment the bot's answer to that step has arrived),
and the bot process's peak RSS (VmHWM).

    .venv/bin/python benchmarks/signup_telegram.py [--users 20] [--signups 200] [--rate-limit]

Each user takes on average `--think` seconds (default 0.5, uniform from 0 to twice that) before
each answer, like a quick typist;
`--think 0` instead measures saturation (throughput, where latency is queueing by Little's law).
By default Telegram's flood limiter is off, so the figures measure the bot itself: with it on,
20 users answering every half second exceed Telegram's 30 messages a second overall, and the
wait is the limiter's, by design.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.fake_telegram import FakeTelegram, FakeUser, Sent  # noqa: E402

# (what the user does, how many messages the bot sends back for that step)
STEPS: list[tuple[str, str, int]] = [
    ("say", "/signup", 2),
    ("say", "Bench Writer", 1),
    ("press", "Skip", 1),
    ("say", "English, Spanish", 1),
    ("say", "books, music", 1),
    ("say", "friendship", 1),
    ("press", "Yes", 1),
    ("press", "2 pen pal", 1),
    ("press", "Once a month", 1),
    ("say", "Chicago", 2),
    ("press", "I agree", 1),
]


async def one_signup(
    tg: FakeTelegram, user: FakeUser, latencies: list[float], think: float
) -> None:
    last: Sent | None = None
    for kind, text, replies in STEPS:
        # The user reads and types; random so that 20 users do not move in lockstep.
        await asyncio.sleep(random.uniform(0, 2 * think))
        started = time.perf_counter()
        if kind == "say":
            await tg.user_says(user, text)
        else:
            assert last is not None
            await tg.user_presses(user, last, last.button(text)["callback_data"])
        for _ in range(replies):
            last = await tg.next_sent(user.id, timeout=30)
        latencies.append(time.perf_counter() - started)
        tg.pending(user.id)  # drop keyboard edits


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--signups", type=int, default=200)
    parser.add_argument("--rate-limit", action="store_true")
    parser.add_argument("--think", type=float, default=0.5, help="seconds each user takes per step")
    args = parser.parse_args()
    random.seed(2026)

    tg = FakeTelegram()
    await tg.start()
    workdir = Path(tempfile.mkdtemp(prefix="penpal-bench-"))
    (workdir / "config.toml").write_text(
        f'[storage]\ndatabase = "bench.db"\n[telegram]\napi_base_url = "{tg.base_url}"\n'
        f"rate_limit = {'true' if args.rate_limit else 'false'}\npoll_timeout = 10\n"
        "[program]\napproval_required = false\n"
    )
    env = {**os.environ, "PENPAL_TELEGRAM_TOKEN": tg.token, "NO_PROXY": "127.0.0.1"}
    started = time.perf_counter()
    profile = (
        ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]]
        if os.environ.get("BENCH_PROFILE")
        else []
    )
    bot = await asyncio.create_subprocess_exec(
        sys.executable, *profile, "-m", "bot", "run", cwd=workdir, env={**env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    await tg.wait_for_call("getUpdates", timeout=30)
    start_to_poll = time.perf_counter() - started

    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(args.signups):
        queue.put_nowait(n)

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            await one_signup(tg, FakeUser(5_000_000 + n, f"Bench{n}"), latencies, args.think)

    load_started = time.perf_counter()
    own_cpu_started = time.process_time()
    await asyncio.gather(*(worker() for _ in range(args.users)))
    elapsed = time.perf_counter() - load_started
    own_cpu = time.process_time() - own_cpu_started

    stat = Path(f"/proc/{bot.pid}/stat").read_text().rsplit(")", 1)[1].split()
    bot_cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    status = Path(f"/proc/{bot.pid}/status").read_text()
    peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
    bot.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(bot.wait(), 30)
    await tg.stop()

    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"sign-ups: {args.signups} by {args.users} concurrent users "
          f"({len(ms)} steps, {args.think:g} s think time per step, "
          f"rate limiter {'on' if args.rate_limit else 'off'})")  # fmt: skip
    print(f"start to first poll: {start_to_poll:.2f} s")
    print(
        f"reply latency: p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print(f"throughput: {len(ms) / elapsed:.0f} steps/s over {elapsed:.1f} s")
    print(
        f"bot CPU time: {bot_cpu:.1f} s ({bot_cpu / elapsed * 100:.0f}% of one core during the run)"
    )
    print(f"load generator and fake server CPU: {own_cpu / elapsed * 100:.0f}% of one core")
    print(f"peak RSS of the bot: {peak_kb / 1024:.0f} MB")
    print(f"bot exit code after SIGTERM: {code}")


if __name__ == "__main__":
    asyncio.run(main())

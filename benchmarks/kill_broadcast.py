"""Benchmark: a coordinator's broadcast to 1,000 volunteers while the real bot process is killed
(SIGKILL) again and again, against the fake Telegram server enforcing Telegram's flood limits
(30 messages a second overall, 1 a second per chat): it answers 429 when one is broken.

Prints how long the broadcast took, the 429 answers, the volunteers who got nothing and the
extra copies (at most one per kill is allowed: the message in flight at the moment of a kill),
and the ERROR lines the bot logged (a handled event must not log at ERROR).

    .venv/bin/python benchmarks/kill_broadcast.py [--volunteers 1000] [--kills 12]
        [--every 2.5] [--sigterm]

`--sigterm` stops the bot cleanly (SIGTERM) instead of killing it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from sandbox.bot_process import (
    FIRST_RECIPIENT,
    bot_process,
    copies,
    seed_volunteers,
    sigkill,
    write_config,
)
from sandbox.fake_telegram import FakeTelegram, FakeUser

COORDINATOR = FakeUser(900, "Cora", "cora_coord")
DEFAULT_PACING = "dispatch_interval_seconds = 30"  # every other [scheduler] key as shipped


async def coordinator_broadcasts(tg: FakeTelegram, text: str) -> None:
    """Cora types the broadcast and presses Send under its preview."""
    mark = len(tg.calls)
    await tg.user_says(COORDINATOR, f"/coord broadcast all\n{text}")
    preview = await tg.next_sent(COORDINATOR.id, timeout=30)
    await asyncio.sleep(1.5)  # she reads the preview (and the reply to her press keeps its gap)
    button = preview.button("Send")
    await tg.user_presses(COORDINATOR, preview, button["callback_data"])
    await tg.wait_until(lambda: len(tg.calls) > mark + 2, timeout=30)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--every", type=float, default=2.5, help="seconds between kills")
    parser.add_argument("--sigterm", action="store_true")
    args = parser.parse_args()
    tg = FakeTelegram(limits=True)
    await tg.start()
    try:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            config = write_config(folder, tg, COORDINATOR.id, DEFAULT_PACING)
            started = time.monotonic()
            kills = 0
            async with bot_process(config, tg) as process:
                seed_volunteers(folder / "bot.db", args.volunteers)
                await coordinator_broadcasts(tg, "Letter night on Thursday")
                await asyncio.sleep(args.every)
                if args.kills:
                    await stop(process, args.sigterm)
                    kills += 1
            while kills < args.kills:
                async with bot_process(config, tg) as process:
                    await asyncio.sleep(args.every)
                    await stop(process, args.sigterm)
                    kills += 1
            async with bot_process(config, tg):
                await tg.wait_until(lambda: len(copies(tg)) == args.volunteers, timeout=600)
            elapsed = time.monotonic() - started
            log = (folder / "bot.log").read_text(encoding="utf-8", errors="replace")
    finally:
        await tg.stop()
    counted = copies(tg)
    missing = args.volunteers - len(counted)
    extra = sum(counted.values()) - len(counted)
    errors = [line for line in log.splitlines() if " ERROR " in line]
    too_many = sum(1 for _, status in tg.refused_calls if status == 429)
    how = "SIGTERM" if args.sigterm else "SIGKILL"
    print(f"broadcast to {args.volunteers:,} volunteers (ids from {FIRST_RECIPIENT}), "
          f"{kills} x {how} every {args.every} s, Telegram pacing as shipped")  # fmt: skip
    print(f"all delivered after {elapsed:.1f} s (including {kills + 1} start-ups)")
    print(f"429 answers: {too_many}; got nothing: {missing}; extra copies: {extra} "
          f"(allowed: {kills if not args.sigterm else 0})")  # fmt: skip
    print(f"ERROR lines in the bot's log: {len(errors)}")
    for line in errors[:5]:
        print("   ", line[:160])


async def stop(process: asyncio.subprocess.Process, clean: bool) -> None:
    if clean:
        process.send_signal(signal.SIGTERM)
        await process.wait()
    else:
        await sigkill(process)


if __name__ == "__main__":
    asyncio.run(main())

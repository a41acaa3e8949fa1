"""SIGKILL of the real bot process (`python -m bot run`) in the middle of a sign-up and in the
middle of a broadcast, against the fake Telegram server. After a restart the sign-up goes on
from the last answer (an answer sent while the bot was down is not lost), and the broadcast
finishes at once without anyone getting a second copy, except the one message that may have
been in flight at the moment of the kill."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

from sandbox.bot_process import FIRST_RECIPIENT, bot_process, copies, seed_volunteers, sigkill
from sandbox.bot_process import write_config as sandbox_config
from sandbox.fake_telegram import FakeTelegram, html_to_text
from tests.e2e.conftest import COORDINATOR, query
from tests.e2e.helpers import ANN, press, say

RECIPIENTS = 300
FAST = """dispatch_interval_seconds = 1
telegram_chat_gap_ms = 0
telegram_per_second = 100
flood_limit = 10000"""


def write_config(folder: Path, tg: FakeTelegram, scheduler: str = FAST) -> Path:
    return sandbox_config(folder, tg, COORDINATOR.id, scheduler)


async def test_sigkill_in_the_middle_of_a_signup(tg: FakeTelegram, tmp_path: Path) -> None:
    config = write_config(tmp_path, tg)
    db_path = tmp_path / "bot.db"
    async with bot_process(config, tg) as process:
        await tg.user_says(ANN, "/signup")
        await tg.next_sent(ANN.id, timeout=15)  # the introduction
        assert "What name" in (await tg.next_sent(ANN.id)).text
        pronouns = await say(tg, ANN, "Ann Writer")
        assert "pronouns" in pronouns.text
        await sigkill(process)
    # While the bot is down she answers the next question.
    await tg.user_presses(ANN, pronouns, pronouns.button("Skip")["callback_data"])
    async with bot_process(config, tg):
        langs = await tg.next_sent(ANN.id, timeout=15)
        assert "Which languages" in langs.text
        await press(tg, ANN, langs, "English")
        edited = await tg.next_message(ANN.id)
        await press(tg, ANN, edited, "Done")
        assert "interests" in (await tg.next_sent(ANN.id)).text
        [(answers,)] = query(db_path, "SELECT answers FROM signup_drafts")
        kept = json.loads(answers)
        assert (kept["name"], kept["pronouns"], kept["languages"]) == ("Ann Writer", "", ["en"])
    assert query(db_path, "SELECT COUNT(*) FROM volunteers") == [(0,)]


async def test_sigkill_in_the_middle_of_a_broadcast(tg: FakeTelegram, tmp_path: Path) -> None:
    config = write_config(tmp_path, tg)
    db_path = tmp_path / "bot.db"
    async with bot_process(config, tg) as process:
        seed_volunteers(db_path, RECIPIENTS)
        preview = await say(tg, COORDINATOR, "/coord broadcast all\nLetter night on Thursday")
        assert f"({RECIPIENTS} people)" in html_to_text(preview.text)
        await press(tg, COORDINATOR, preview, "Send")
        await tg.wait_until(lambda: sum(copies(tg).values()) >= 100, timeout=30)
        await sigkill(process)
    sent_before = sum(copies(tg).values())
    assert sent_before < RECIPIENTS, "the broadcast finished before the kill: nothing tested"
    async with bot_process(config, tg):
        # Everything left goes out now, not when the dead process's leases run out (5 min).
        await tg.wait_until(lambda: len(copies(tg)) == RECIPIENTS, timeout=30)
        unsent = "SELECT COUNT(*) FROM outbox WHERE status != 'sent'"
        await tg.wait_until(lambda: query(db_path, unsent) == [(0,)], timeout=10)
    counted = copies(tg)
    assert set(counted) == {FIRST_RECIPIENT + i for i in range(RECIPIENTS)}  # nobody missed
    assert sum(counted.values()) - RECIPIENTS <= 1  # at most the one in flight at the kill
    texts = {params["text"] for name, params in tg.calls if name == "sendMessage"
             and int(params["chat_id"]) >= FIRST_RECIPIENT}  # fmt: skip
    assert texts == {"<b>From the coordinators of Letters Inside:</b>\nLetter night on Thursday"}


PACED = """dispatch_interval_seconds = 1
telegram_chat_gap_ms = 1000
telegram_per_second = 60
flood_limit = 10000"""


async def test_a_429_and_a_clean_stop_in_the_middle_of_a_broadcast_log_no_error(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    """An operator who watches ERROR lines sees only real failures: a 429 the bot waited out
    and a SIGTERM while it was sending are logged once each, below ERROR, without a traceback;
    after the restart the broadcast finishes with nobody getting a second copy."""
    config = write_config(tmp_path, tg, PACED)
    db_path = tmp_path / "bot.db"
    async with bot_process(config, tg) as process:
        seed_volunteers(db_path, RECIPIENTS)
        tg.flood_chats[FIRST_RECIPIENT + 30] = 1
        preview = await say(tg, COORDINATOR, "/coord broadcast all\nLetter night on Thursday")
        await asyncio.sleep(1.0)  # she reads the preview before she presses Send
        await press(tg, COORDINATOR, preview, "Send")
        await tg.wait_until(lambda: len(copies(tg)) >= 100, timeout=30)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0
    assert 100 <= len(copies(tg)) < RECIPIENTS, "stopped too late: nothing tested"
    async with bot_process(config, tg):
        await tg.wait_until(lambda: len(copies(tg)) == RECIPIENTS, timeout=30)
    assert sorted(set(copies(tg).values())) == [1]  # a clean stop sends nothing twice
    assert [status for _, status in tg.refused_calls] == [429]
    log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert " ERROR " not in log and "Traceback" not in log and "CancelledError" not in log
    assert log.count("telegram asked to wait 1.0 s") == 1

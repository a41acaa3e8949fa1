"""Telegram updates as a real network delivers them: the same update three times at once is
handled once; stickers, photos, voice notes, files and forwarded messages get a polite answer
and change nothing; messages in groups change nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app.config import Config
from conversations.guards import SeenUpdates
from sandbox.fake_telegram import FakeTelegram
from tests.e2e.conftest import query, running, tokens_for
from tests.e2e.helpers import ANN, ann_matched_on_telegram, say, seed_registry


def test_seen_updates_forgets_only_the_oldest() -> None:
    seen = SeenUpdates(size=3)
    assert [seen.first_time(i) for i in (1, 2, 1, 3, 4)] == [True, True, False, True, True]
    assert seen.first_time(1) is True  # forgotten once four newer ones came
    assert seen.first_time(4) is False


async def test_the_same_update_three_times_logs_one_letter_and_replies_once(
    tg: FakeTelegram, make_config: Callable[..., Config], db_path: Path
) -> None:
    await seed_registry(db_path)
    async with running(make_config(tg=tg, approval=False), tokens_for(tg=tg)):
        await ann_matched_on_telegram(tg)
        command = tg.message_from(ANN, text="/letter received", entities=[
            {"type": "bot_command", "offset": 0, "length": 7}])  # fmt: skip
        await tg.push_copies(command, 3)
        logged = await tg.next_sent(ANN.id)
        assert "Logged: a letter from" in logged.text
        # The next answer she gets is to her next command: no second "Logged" came first.
        profile = await say(tg, ANN, "/me")
        assert "Logged" not in profile.text and "Ann Writer" in profile.text
        assert query(db_path, "SELECT COUNT(*) FROM letters") == [(1,)]

        for fields in ({"sticker": {"file_id": "s1", "file_unique_id": "u1", "width": 512,
                                    "height": 512, "is_animated": False, "is_video": False,
                                    "type": "regular"}},
                       {"photo": [{"file_id": "p1", "file_unique_id": "u2", "width": 90,
                                   "height": 90}]},
                       {"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3}},
                       {"document": {"file_id": "d1", "file_unique_id": "u4"}},
                       {"text": "/letter received", "forward_origin": {
                           "type": "hidden_user", "date": 1, "sender_user_name": "Someone"}}):  # fmt: skip
            await tg.push_update(tg.message_from(ANN, **fields))
            answer = await tg.next_sent(ANN.id)
            assert "I can only read text and commands" in answer.text, fields
        await tg.user_says(ANN, "/letter received", chat_id=-100123, chat_type="group")
        history = await say(tg, ANN, "/letters")
        assert history.text.count("– from Vella") == 1
        group = tg.pending(-100123)  # only the pointer to a private chat, nothing logged
        assert group and all("private chat" in m.text and "Vella" not in m.text for m in group)
    assert query(db_path, "SELECT COUNT(*) FROM letters") == [(1,)]


async def test_a_command_nobody_knows_gets_a_pointer_to_help(
    tg: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    """A mistyped command used to get no answer at all (found by the hostile-text test)."""
    async with running(make_config(tg=tg), tokens_for(tg=tg)):
        for typed in ("/", "/sigup", "/coordd match"):
            assert "Send /help" in (await say(tg, ANN, typed)).text
        assert "/signup" in (await say(tg, ANN, "/help")).text  # known ones still answered

"""Concerns on SQLite: a private report in three steps, coordinators told without the details,
listed and marked handled by coordinators only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.announcing import AnnouncementService
from bot.concerns import ConcernService
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import Actor, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.lifecycle import LifecycleService
from bot.messages import plain
from bot.reminders.policy import ReminderPolicy
from tests.core.helpers import BOSS, COORDINATORS, HER, SOMEONE, drain, matched_canary, signed_up

WORDS = "She asked me to send money to her cousin for a lawyer."


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


async def test_a_concern_reaches_the_coordinators_who_mark_it_handled(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched_canary(uow, clock)
    await drain(uow, clock)
    service = ConcernService(uow, clock, COORDINATORS)
    for bad in ("", "   ", "x" * 1501):
        with pytest.raises(BotError):
            await service.start(HER, bad)
    with pytest.raises(BotError):
        await service.start(SOMEONE, WORDS)
    step = await service.start(HER, WORDS)
    assert step.ask_kind and step.message.key == "concern.ask_kind"
    with pytest.raises(NotFound):
        await service.choose_kind(SOMEONE, step.concern_id, "money")
    with pytest.raises(NotFound):
        await service.choose_kind(HER, step.concern_id, "gossip")
    assert await drain(uow, clock) == []  # nothing is told before she has finished
    chosen = await service.choose_kind(HER, step.concern_id, "money")
    assert chosen.message.key == "concern.ask_match" and len(chosen.choices) == 1
    match_id = chosen.choices[0].match_id
    with pytest.raises(NotFound):
        await service.submit(HER, step.concern_id, match_id + 100)
    assert (await service.submit(HER, step.concern_id, match_id)).key == "concern.sent"
    with pytest.raises(NotFound):  # once
        await service.submit(HER, step.concern_id, match_id)

    (alert,) = await drain(uow, clock)
    assert alert.message_key == "coord.alert.concern" and alert.target_id == "900"
    assert "lawyer" not in json.dumps(alert.params)  # the words stay out of any channel
    assert alert.params["penpal"] == chosen.choices[0].name

    digest = AnnouncementService(uow, clock, ReminderPolicy(), COORDINATORS)
    assert await digest.digest("2026-11-28")
    (daily,) = await drain(uow, clock)
    assert daily.message_key == "coord.digest"
    assert daily.params["concerns"] == {"$msg": "count.open_concerns", "params": {"n": 1}}

    with pytest.raises(NotAllowed):
        await service.open_list(Actor(Platform.TELEGRAM, "1"))
    listing = await service.open_list(BOSS)
    assert listing.key == "concern.list" and listing.params["count"] == 1
    (line,) = listing.params["lines"]  # type: ignore[misc]
    assert line.params["details"] == WORDS and line.params["kind"].key == "concern.kind.money"
    with pytest.raises(NotAllowed):
        await service.handle(Actor(Platform.TELEGRAM, "1"), step.concern_id, "done")
    with pytest.raises(BotError):
        await service.handle(BOSS, step.concern_id, " ")
    handled = await service.handle(BOSS, step.concern_id, "Called her; she will not send money.")
    assert handled.key == "concern.handled"
    assert (await service.handle(BOSS, step.concern_id, "again")).key == "concern.not_open"
    assert (await service.open_list(BOSS)).key == "concern.none"
    one = await service.open_list(BOSS, step.concern_id)
    assert [m.key for m in one.params["lines"]] == ["concern.line", "concern.handled_note"]  # type: ignore[attr-defined]
    async with uow() as u:
        audit = await u.audit.recent(1)
    assert audit[0].action == "concern.handle" and audit[0].subject == f"concern:{step.concern_id}"


async def test_a_concern_about_herself_needs_no_pen_pal(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await signed_up(uow, clock)
    service = ConcernService(uow, clock, COORDINATORS)
    step = await service.start(HER, "I find the letters very heavy lately.")
    sent = await service.choose_kind(HER, step.concern_id, "wellbeing")
    assert sent.message.key == "concern.sent" and sent.choices == ()
    keys = [m.message_key for m in await drain(uow, clock)]
    assert "coord.alert.concern" in keys
    with pytest.raises(NotFound):
        await service.open_list(BOSS, 999)


async def test_an_answer_reaches_her_privately_and_goes_with_her_data(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await signed_up(uow, clock)
    service = ConcernService(uow, clock, COORDINATORS)
    step = await service.start(HER, "I find the letters very heavy lately.")
    await service.choose_kind(HER, step.concern_id, "wellbeing")
    await drain(uow, clock)
    with pytest.raises(NotAllowed):
        await service.answer(Actor(Platform.TELEGRAM, "1"), step.concern_id, "Hi")
    with pytest.raises(BotError):
        await service.answer(BOSS, step.concern_id, "  ")
    with pytest.raises(NotFound):
        await service.answer(BOSS, 999, "Hi")
    done = await service.answer(BOSS, step.concern_id, "Shall we talk on Thursday?")
    assert done.key == "concern.answered"
    (told,) = await drain(uow, clock)
    assert told.private and told.target_id == HER.user_id
    assert told.message_key == "concern.answer_volunteer"
    assert told.params["text"] == "Shall we talk on Thursday?"
    export = json.loads((await LifecycleService(uow, clock).my_data(HER)).content)
    assert [a["text"] for a in export["concerns"][0]["answers"]] == ["Shall we talk on Thursday?"]
    await service.handle(BOSS, step.concern_id, "Talked; she is fine.")
    (closed,) = await drain(uow, clock)
    assert closed.message_key == "concern.handled_volunteer" and "fine" not in str(closed.params)
    shown = plain(await service.handled_list(BOSS))
    assert "Shall we talk on Thursday?" in shown and "Talked; she is fine." in shown

    lifecycle = LifecycleService(uow, clock, COORDINATORS)
    _, volunteer_id = await lifecycle.forget_ask(HER)
    await lifecycle.forget(HER, volunteer_id)
    async with uow() as u:
        kept = await u.concerns.get(step.concern_id)
    assert kept is not None and kept.answers == () and kept.status == "handled"
    assert (await service.answer(BOSS, step.concern_id, "Hi")).key == "concern.answer_nobody"

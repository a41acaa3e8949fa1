"""Broadcasts with a preview and a confirm step, reminders on request, recurring announcements
at a local time across DST, and the daily digest, on SQLite with a fake clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.announcing import AnnouncementService, parse_day_of_week
from bot.app.runtime import schedule_trigger
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import AccountRef, Actor, Destination, Platform, Schedule, TargetKind
from bot.domain.ports import UnitOfWorkFactory
from bot.lifecycle import LifecycleService
from bot.messages import Message, params_from_json, plain
from bot.reminders.policy import ReminderPolicy
from tests.core.helpers import BOSS, matched, queued, volunteer

COORDINATORS = (Destination(Platform.TELEGRAM, TargetKind.USER, "900"),)
SOMEONE = Actor(Platform.TELEGRAM, "1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


async def test_a_broadcast_is_previewed_then_sent_once(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    for user in ("1", "2", "3"):
        await volunteer(uow, clock, user, "English", 1)
    service = AnnouncementService(uow, clock, ReminderPolicy())
    with pytest.raises(NotAllowed):
        await service.preview(SOMEONE, "all", "Hello")
    for audience, text, key in (("everyone", "Hi", "broadcast.bad_audience"),
                                ("all", "   ", "broadcast.empty"),
                                ("all", "x" * 1501, "broadcast.too_long")):  # fmt: skip
        with pytest.raises(BotError) as error:
            await service.preview(BOSS, audience, text)
        assert error.value.message.key == key
    preview, draft = await service.preview(BOSS, "all", "Letter-writing night on **Thursday**!")
    assert preview.params["count"] == 3
    assert await queued(uow, clock) == []  # nothing is sent before the confirm step
    with pytest.raises(NotAllowed):
        await service.send(SOMEONE, draft)
    assert (await service.send(BOSS, draft)).params["count"] == 3
    assert (await service.send(BOSS, draft)).key == "broadcast.done_already"
    assert (await service.cancel(BOSS, draft)).key == "broadcast.done_already"
    sent = await queued(uow, clock)
    assert sorted(m.target_id for m in sent) == ["1", "2", "3"]
    assert {m.params["text"] for m in sent} == {"Letter-writing night on **Thursday**!"}
    with pytest.raises(NotFound):
        await service.send(BOSS, 999)
    _, other = await service.preview(BOSS, "telegram", "Second")
    assert (await service.cancel(BOSS, other)).key == "broadcast.cancelled"
    assert (await service.send(BOSS, other)).key == "broadcast.done_already"
    assert await queued(uow, clock) == []


async def test_a_reminder_on_request_goes_to_that_volunteer_only(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await volunteer(uow, clock, "1", "English", 1)
    await volunteer(uow, clock, "2", "English", 1)
    service = AnnouncementService(uow, clock, ReminderPolicy())
    with pytest.raises(BotError):
        await service.remind(BOSS, "@nobody")
    with pytest.raises(NotAllowed):
        await service.remind(SOMEONE, "2")
    with pytest.raises(BotError) as several:
        await service.remind(BOSS, "writer")
    assert plain(several.value.message).startswith(
        "Several active volunteers match “writer”: #1 Writer 1, #2 Writer 2."
    )
    assert await queued(uow, clock) == []
    assert (await service.remind(BOSS, "#2")).key == "remind.sent"
    (sent,) = await queued(uow, clock)
    assert sent.target_id == "2" and sent.private and sent.message_key == "reminder.nudge"


async def test_a_schedule_fires_once_per_local_day_and_the_digest_once_per_day(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await volunteer(uow, clock, "1", "English", 1)
    added: list[Schedule] = []
    service = AnnouncementService(uow, clock, ReminderPolicy(), COORDINATORS,
                                  scheduled=added.append)  # fmt: skip
    for days, at, tz, key in (("someday", "19:00", "Europe/London", "schedule.bad_day"),
                              ("thu", "7pm", "Europe/London", "schedule.bad_time"),
                              ("thu", "19:00", "Mars/Olympus", "schedule.bad_time")):  # fmt: skip
        with pytest.raises(BotError) as error:
            await service.add_schedule(BOSS, days, at, tz, "all", "Write tonight!")
        assert error.value.message.key == key
    result = await service.add_schedule(BOSS, "Thursday", "19:00", "Europe/London", "all", "Hi")
    assert result.key == "schedule.added" and [s.day_of_week for s in added] == ["thu"]
    assert await service.fire(added[0].id) == 1
    assert await service.fire(added[0].id) == 0  # a restart or a misfire never repeats it
    clock.advance(timedelta(days=7))
    assert await service.fire(added[0].id) == 1
    with pytest.raises(NotAllowed):
        await service.stop_schedule(SOMEONE, added[0].id)
    assert (await service.stop_schedule(BOSS, added[0].id)).key == "schedule.stopped"
    assert (await service.stop_schedule(BOSS, added[0].id)).key == "schedule.unknown"
    clock.advance(timedelta(days=7))
    assert await service.fire(added[0].id) == 0  # stopped: its timed job finds nothing to send
    assert await service.digest("2026-12-05") is True
    assert await service.digest("2026-12-05") is False
    keys = [m.message_key for m in await queued(uow, clock)]
    assert keys.count("announcement.signed") == 2 and keys.count("coord.digest") == 1


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        ("Europe/London", datetime(2026, 10, 22, 12, tzinfo=UTC), datetime(2026, 10, 29, 12, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 10, 29, 12, tzinfo=UTC), datetime(2026, 11, 5, 12, tzinfo=UTC)),
        ("Australia/Sydney", datetime(2026, 4, 1, 0, tzinfo=UTC), datetime(2026, 4, 8, 0, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_a_schedule_keeps_its_local_time_across_daylight_saving_time(
    zone: str, before: datetime, after: datetime
) -> None:
    """Every Thursday 19:00 local: the UTC time moves by an hour when the clocks change."""
    schedule = Schedule(1, "x", "thu", "19:00", zone, "all", "Hi", before)
    trigger = schedule_trigger(schedule)
    fires = []
    for start in (before, after):
        fire = trigger.get_next_fire_time(None, start)
        assert fire is not None
        fires.append(fire)
        local = fire.astimezone(ZoneInfo(zone))
        assert (local.hour, local.minute, local.strftime("%a")) == (19, 0, "Thu")
    offsets = [f.utcoffset() for f in fires]
    assert offsets[0] != offsets[1]
    elapsed = fires[1].astimezone(UTC) - fires[0].astimezone(UTC)
    assert abs(elapsed - timedelta(days=7)) == timedelta(hours=1)


async def test_a_reminder_on_request_lists_her_own_pen_pals_only(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched(uow, clock)  # volunteer "1" writes to one pen pal
    await volunteer(uow, clock, "2", "English", 1)
    service = AnnouncementService(uow, clock, ReminderPolicy())
    await service.remind(BOSS, "1")
    await service.remind(BOSS, "2")
    sent = {
        m.target_id: m.params["lines"]
        for m in await queued(uow, clock)
        if m.message_key == "reminder.nudge"
    }
    assert [line["$msg"] for line in sent["1"]] == ["nudge.first"]
    assert [line["$msg"] for line in sent["2"]] == ["nudge.none"]


async def test_a_schedule_takes_the_time_zone_as_volunteers_type_it(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    added: list[Schedule] = []
    service = AnnouncementService(uow, clock, ReminderPolicy(), COORDINATORS,
                                  scheduled=added.append)  # fmt: skip
    await service.add_schedule(BOSS, "thu", "19:00", "EST", "all", "Write tonight!")
    assert added[0].timezone == "America/New_York"  # keeps daylight saving, unlike "EST"
    with pytest.raises(BotError) as which:
        await service.add_schedule(BOSS, "thu", "19:00", "CST", "all", "Write tonight!")
    assert which.value.message.key == "schedule.which_zone"
    assert "America/Chicago (Central time (Chicago))" in str(which.value.message.params)


async def test_audience_and_days_are_typed_in_the_coordinators_language(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await volunteer(uow, clock, "1", "English", 1)
    service = AnnouncementService(uow, clock, ReminderPolicy())
    preview, _ = await service.preview(BOSS, " Todas ", "Hola")
    assert preview.params["count"] == 1
    assert plain(preview, "es").startswith("Vista previa de tu anuncio para todas las voluntarias")
    with pytest.raises(BotError) as error:
        await service.preview(BOSS, "everyone", "Hi")
    assert plain(error.value.message, "es").endswith("todas, atrasadas, telegram, discord.")
    assert plain(error.value.message, "en").endswith("all, overdue, telegram, discord.")
    assert parse_day_of_week("lun,Mié") == "mon,wed"
    assert parse_day_of_week("jueves, sábado") == "thu,sat"
    assert parse_day_of_week("Diario") == parse_day_of_week("daily") == "*"
    assert parse_day_of_week("mon,thursday") == "mon,thu"
    with pytest.raises(BotError):
        parse_day_of_week("lun,xyz")
    added = await service.add_schedule(BOSS, "mar,jue", "19:00", "Europe/Madrid", "atrasadas", "Hi")
    assert plain(added, "es").startswith(
        "Programado #1: mar, jue a las 19:00 (Europe/Madrid) para voluntarias con una respuesta"
    ), plain(added, "es")
    assert "tue, thu at 19:00 (Europe/Madrid) to volunteers with a reply overdue" in plain(added)


async def test_a_volunteer_on_both_platforms_is_one_person_told_where_she_prefers(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    both = await volunteer(uow, clock, "1", "English", 1)
    await volunteer(uow, clock, "2", "English", 1)
    async with uow() as u:
        her = await u.volunteers.by_account(both)
        assert her is not None
        await u.volunteers.add_account(her.id, AccountRef(Platform.DISCORD, "77"))
        await u.commit()
    service = AnnouncementService(uow, clock, ReminderPolicy(), program="Letters Inside")
    preview, draft = await service.preview(BOSS, "all", "Hi")
    assert preview.params["count"] == 2  # people, not messages
    assert "From the coordinators of Letters Inside:\nHi" in plain(preview)
    assert plain(await service.send(BOSS, draft)).endswith("on its way to 2 people.")
    sent = await queued(uow, clock)
    assert sorted((m.platform.value, m.target_id) for m in sent) == [
        ("discord", "77"),
        ("telegram", "1"),
        ("telegram", "2"),
    ]  # no preference chosen yet: both of her accounts, as every notice
    async with uow() as u:
        her = await u.volunteers.by_account(both)
        assert her is not None
        await u.volunteers.update(replace(her, prefers=Platform.DISCORD))
        await u.commit()
    _, draft = await service.preview(BOSS, "all", "Again")
    await service.send(BOSS, draft)
    assert sorted((m.platform.value, m.target_id) for m in await queued(uow, clock)) == [
        ("discord", "77"),
        ("telegram", "2"),
    ]
    _, draft = await service.preview(BOSS, "telegram", "Telegram only")
    await service.send(BOSS, draft)
    assert sorted(m.target_id for m in await queued(uow, clock)) == ["1", "2"]


async def test_the_digest_counts_the_matches_of_a_volunteer_on_a_break(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched(uow, clock)
    await LifecycleService(uow, clock).pause(AccountRef(Platform.TELEGRAM, "1"), None)
    await queued(uow, clock)
    service = AnnouncementService(uow, clock, ReminderPolicy(), COORDINATORS)
    assert await service.digest("2026-11-28") is True
    (digest,) = await queued(uow, clock)
    shown = plain(Message(digest.message_key, params_from_json(digest.params)))
    assert "0 active volunteers, 1 active match," in shown, shown

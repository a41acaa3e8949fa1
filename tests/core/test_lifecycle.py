"""/pause, /resume, /mydata and /forgetme on SQLite with a fake clock."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotFound
from bot.domain.models import (
    AccountRef,
    MatchStatus,
    PenPalStatus,
    Platform,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.letters import LetterService
from bot.lifecycle import LifecycleService
from bot.messages import plain
from bot.notices import tell_volunteer
from bot.questions import Question
from bot.reminders.policy import ReminderPolicy
from bot.reminders.sweep import ReminderService
from bot.signup import SignupService
from storage.database import Database
from storage.repos import SqliteUnitOfWork
from tests.core.helpers import (
    CANARY_HANDLE,
    CANARY_ID,
    CANARY_NAME,
    COORDINATORS,
    HER,
    SOMEONE,
    drain,
    matched_canary,
    move_to,
    queued,
    signed_up,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


def lifecycle(uow: UnitOfWorkFactory, clock: FakeClock) -> LifecycleService:
    return LifecycleService(uow, clock, COORDINATORS)


async def status(uow: UnitOfWorkFactory) -> tuple[VolunteerStatus, object]:
    async with uow() as u:
        volunteer = await u.volunteers.by_account(HER)
    assert volunteer is not None
    return volunteer.status, volunteer.paused_until


async def test_a_pause_stops_reminders_and_resume_brings_them_back(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched_canary(uow, clock)
    policy = ReminderPolicy()
    letters = LetterService(uow, clock, policy)
    reminders = ReminderService(uow, clock, policy, COORDINATORS)
    service = lifecycle(uow, clock)
    await letters.log(HER, True, None, None)
    await drain(uow, clock)

    assert (await service.pause(HER, None)).key == "pause.done_open"
    assert await status(uow) == (VolunteerStatus.PAUSED, None)
    (told,) = await drain(uow, clock)
    assert told.message_key == "coord.alert.paused" and told.target_id == "900"
    assert told.message_key == "coord.alert.paused"
    assert told.params == {"volunteer": CANARY_NAME, "until": ""}

    move_to(clock, datetime(2026, 12, 10, 16, tzinfo=UTC))  # the nudge and the due day passed
    assert await reminders.sweep() == 0
    assert await service.resume_due() == 0  # no date: only /resume ends it
    assert (await service.resume(HER)).key == "resume.done"
    assert (await service.resume(HER)).key == "resume.not_paused"
    assert await status(uow) == (VolunteerStatus.ACTIVE, None)
    assert await reminders.sweep() == 1
    keys = sorted(m.message_key for m in await drain(uow, clock))
    assert keys == ["coord.alert.resumed", "reminder.reply_soon"]


async def test_a_pause_with_a_date_ends_by_itself_on_that_morning_in_her_zone(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched_canary(uow, clock)
    service = lifecycle(uow, clock)
    for bad in ("2026-11-28", "2026-11-01", "2028-01-01", "next week"):
        with pytest.raises(BotError):
            await service.pause(HER, bad)
    assert await status(uow) == (VolunteerStatus.ACTIVE, None)  # bad input changed nothing
    done = await service.pause(HER, "2026-12-05")
    assert done.key == "pause.done_until" and done.params["until"] == date(2026, 12, 5)
    await drain(uow, clock)
    move_to(clock, datetime(2026, 12, 5, 5, 59, tzinfo=UTC))  # 23:59 on the 4th in Chicago
    assert await service.resume_due() == 0
    clock.advance(timedelta(minutes=1))
    assert await service.resume_due() == 1
    assert await status(uow) == (VolunteerStatus.ACTIVE, None)
    keys = sorted(m.message_key for m in await drain(uow, clock))
    assert keys == ["coord.alert.resumed", "resume.automatic"]


async def test_only_approved_volunteers_pause_and_strangers_are_sent_to_sign_up(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await signed_up(uow, clock, approval=True)
    service = lifecycle(uow, clock)
    assert (await service.pause(HER, None)).key == "pause.not_active"
    with pytest.raises(BotError) as stranger:
        await service.pause(SOMEONE, None)
    assert stranger.value.message.key == "me.none"
    with pytest.raises(BotError):
        await service.my_data(SOMEONE)


async def test_mydata_is_her_whole_record_without_the_pen_pals_private_details(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    penpal_id = await matched_canary(uow, clock)
    await LetterService(uow, clock, ReminderPolicy()).log(HER, True, None, None)
    export = await lifecycle(uow, clock).my_data(HER)
    assert export.filename == "my-data-2026-11-28.json"
    record = json.loads(export.content)
    assert record["volunteer"]["display_name"] == CANARY_NAME
    assert record["volunteer"]["languages"] == ["en"]
    assert record["accounts"] == [
        {"platform": "telegram", "user_id": CANARY_ID, "handle": CANARY_HANDLE, "language": None}
    ]
    (match,) = record["matches"]
    assert match["status"] == "active" and match["letters"][0]["direction"] == "from_penpal"
    async with uow() as u:
        penpal = await u.penpals.get(penpal_id)
        custody = await u.penpals.custody(penpal_id)
    assert penpal is not None and custody is not None
    assert match["penpal"] == penpal.preferred_name
    text = export.content.decode()
    assert penpal.committed_name not in text and custody.id_number not in text
    async with uow() as u:
        audit = await u.audit.recent(5)
    assert audit[0].action == "volunteer.export" and CANARY_ID not in audit[0].actor


def raw_bytes(folder: Path) -> bytes:
    """The database file and everything beside it (WAL, shared memory), as stored on disk."""
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


async def test_forgetme_erases_her_from_the_raw_database_file_and_requeues_her_pen_pal(
    tmp_path: Path, clock: FakeClock
) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    async with await Database.open(folder / "bot.db") as db:

        def uow() -> SqliteUnitOfWork:
            return SqliteUnitOfWork(db)

        penpal_id = await matched_canary(uow, clock)
        letters = LetterService(uow, clock, ReminderPolicy())
        await letters.log(HER, True, None, None)
        await lifecycle(uow, clock).pause(HER, None)  # a coordinator alert naming her waits
        async with uow() as u:
            waiting_since = (await u.penpals.get(penpal_id)).waiting_since  # type: ignore[union-attr]
        before = raw_bytes(folder)
        for canary in (CANARY_NAME, CANARY_HANDLE, CANARY_ID):
            assert canary.encode() in before

        service = LifecycleService(uow, clock, COORDINATORS, scrub=db.scrub)
        ask, volunteer_id = await service.forget_ask(HER)
        assert ask.key == "forget.ask" and ask.params["matches"] == 1
        with pytest.raises(NotFound):  # someone else's confirm button, or a forged one
            await service.forget(SOMEONE, volunteer_id)
        assert (await service.forget(HER, volunteer_id)).key == "forget.done"

        after = raw_bytes(folder)
        for canary in (CANARY_NAME, CANARY_HANDLE, CANARY_ID):
            assert canary.encode() not in after, canary
        async with uow() as u:
            assert await u.volunteers.by_account(HER) is None
            gone = await u.volunteers.get(volunteer_id)
            penpal = await u.penpals.get(penpal_id)
            (match,) = await u.matches.for_volunteer(volunteer_id, list(MatchStatus))
            queued = await u.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "t", 50)
        assert gone is not None and gone.status is VolunteerStatus.LEFT and gone.display_name == ""
        assert penpal is not None and penpal.status is PenPalStatus.WAITING
        assert penpal.waiting_since == waiting_since
        assert match.status is MatchStatus.ENDED and match.end_reason == "volunteer left"
        keys = {m.message_key: m for m in queued}
        assert "coord.alert.paused" not in keys  # a notice about her that waited is dropped
        assert keys["coord.alert.erased"].params["penpals"] == penpal.preferred_name
        assert all(m.target_id != CANARY_ID for m in queued)
        with pytest.raises(BotError):
            await service.forget_ask(HER)


async def test_erasure_without_matches_asks_for_no_closing_letter(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await signed_up(uow, clock)
    ask, _ = await lifecycle(uow, clock).forget_ask(HER)
    assert ask.key == "forget.ask_none"
    assert "closing letter" not in plain(ask) and "0" not in plain(ask)


async def test_leave_ends_her_matches_requeues_her_pen_pals_and_asks_for_closing_letters(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    penpal_id = await matched_canary(uow, clock)
    service = lifecycle(uow, clock)
    await drain(uow, clock)
    async with uow() as u:
        penpal = await u.penpals.get(penpal_id)
    assert penpal is not None
    menu = await service.leave_menu(HER)
    assert menu.names == (penpal.preferred_name,) and menu.mask == 1 and menu.count == 1
    assert menu.message.key == "leave.ask" and menu.message.params["kept"] == 0
    for mask, count, reason in ((1, 1, "bored"), (1, 2, "time"), (2, 1, "time")):
        with pytest.raises(NotFound):  # a forged reason, a stale or a forged menu
            await service.leave(HER, mask, count, reason)
    assert await status(uow) == (VolunteerStatus.ACTIVE, None)

    assert (await service.leave(HER, 1, 1, "time")).key == "leave.done"
    async with uow() as u:
        gone = await u.volunteers.by_account(HER)
        again = await u.penpals.get(penpal_id)
        (match,) = await u.matches.for_volunteer(gone.id, list(MatchStatus))  # type: ignore[union-attr]
    assert gone is not None and gone.status is VolunteerStatus.LEFT and gone.left_reason == "time"
    assert again is not None and again.status is PenPalStatus.WAITING
    assert again.waiting_since == penpal.waiting_since
    assert match.end_reason == "volunteer stopped"
    sent = {m.message_key: m for m in await drain(uow, clock)}
    assert sent["match.ended_volunteer"].target_id == CANARY_ID  # the closing letter
    assert sent["coord.alert.left"].target_id == "900"
    assert sent["coord.alert.left"].params["penpals"] == penpal.preferred_name
    with pytest.raises(BotError):
        await service.leave_menu(HER)


async def test_leave_can_keep_some_pen_pals_and_then_takes_no_new_ones(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched_canary(uow, clock, capacity=2)
    service = lifecycle(uow, clock)
    menu = await service.leave_menu(HER, mask=0b01, count=2)
    assert menu.chosen(0) and not menu.chosen(1) and menu.message.params["kept"] == 1
    assert (await service.leave(HER, 0b01, 2, "personal")).key == "leave.done_partial"
    async with uow() as u:
        volunteer = await u.volunteers.by_account(HER)
        assert volunteer is not None
        statuses = [
            m.status for m in await u.matches.for_volunteer(volunteer.id, list(MatchStatus))
        ]
    assert volunteer.status is VolunteerStatus.ACTIVE and volunteer.capacity == 1
    assert statuses == [MatchStatus.ENDED, MatchStatus.ACTIVE]
    keys = [m.message_key for m in await drain(uow, clock)]
    assert "coord.alert.stepped_back" in keys


ON_DISCORD = AccountRef(Platform.DISCORD, "310000000000000077", "zq_on_discord")


async def test_a_link_code_joins_her_accounts_once_and_only_from_the_other_platform(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await signed_up(uow, clock)
    service = lifecycle(uow, clock)
    shown = await service.link_code(HER)
    assert shown.key == "link.code" and plain(shown).endswith("on Discord; the code works once.")
    code = str(shown.params["code"])
    assert len(code) == 9 and code[4] == "-"
    refused = await service.link(SOMEONE, code)  # same platform
    assert refused.message.key == "link.bad_code" and not refused.linked
    assert (await service.link(ON_DISCORD, "AAAA-BBBB")).message.key == "link.bad_code"
    done = await service.link(ON_DISCORD, code.lower().replace("-", " "))
    assert done.message.key == "link.done" and done.linked
    again = await service.link(ON_DISCORD, code)
    assert again.message.key == "link.already" and "/unlink" in plain(again.message)
    assert "/forgetme" not in plain(again.message)  # that would erase the sign-up just joined
    other = AccountRef(Platform.DISCORD, "310000000000000088")
    assert (await service.link(other, code)).message.key == "link.bad_code"  # single use
    async with uow() as u:
        volunteer = await u.volunteers.by_account(ON_DISCORD)
        assert volunteer is not None
        assert {a.platform for a in volunteer.accounts} == {Platform.TELEGRAM, Platform.DISCORD}
        codes = await u.volunteers.use_link_code("x", Platform.TELEGRAM, clock.now())
    assert codes is None

    # Her messages go to both accounts until she picks one: a break that ends by itself says so.
    await service.pause(HER, "2026-11-30")
    move_to(clock, datetime(2026, 11, 30, 15, tzinfo=UTC))
    assert await service.resume_due() == 1
    told = [m for m in await queued(uow, clock) if m.message_key == "resume.automatic"]
    assert sorted(m.platform.value for m in told) == ["discord", "telegram"]
    assert (await service.prefer(ON_DISCORD, "discord")).key == "link.prefers"
    await service.pause(HER, "2026-12-01")
    move_to(clock, datetime(2026, 12, 1, 15, tzinfo=UTC))
    assert await service.resume_due() == 1
    told = [m for m in await queued(uow, clock) if m.message_key == "resume.automatic"]
    assert [(m.platform, m.target_id) for m in told] == [(Platform.DISCORD, ON_DISCORD.user_id)]
    with pytest.raises(NotFound):
        await service.prefer(ON_DISCORD, "signal")

    # /unlink: the Discord account leaves; everything goes to Telegram; unsent messages to
    # Discord are dropped (the account may not even be hers).
    await service.pause(HER, None)
    await queued(uow, clock)
    async with uow() as u:
        volunteer = await u.volunteers.by_account(HER)
        assert volunteer is not None
        await tell_volunteer(u, volunteer, "resume.automatic", {}, clock.now())
        await u.commit()
    unlinked = await service.unlink(ON_DISCORD)
    assert plain(unlinked).startswith("Done: this account is no longer joined") and "Telegram" in (
        plain(unlinked)
    )
    assert await queued(uow, clock) == []
    async with uow() as u:
        assert await u.volunteers.by_account(ON_DISCORD) is None
        kept = await u.volunteers.by_account(HER)
    assert kept is not None and kept.prefers is None and len(kept.accounts) == 1
    assert (await service.unlink(HER)).key == "unlink.alone"
    with pytest.raises(BotError):
        await service.unlink(ON_DISCORD)  # not signed up any more


async def test_a_link_code_expires_after_ten_minutes(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await signed_up(uow, clock)
    service = lifecycle(uow, clock)
    code = str((await service.link_code(HER)).params["code"])
    clock.advance(timedelta(minutes=10))
    assert (await service.link(ON_DISCORD, code)).message.key == "link.bad_code"
    code = str((await service.link_code(HER)).params["code"])
    clock.advance(timedelta(minutes=9, seconds=59))
    assert (await service.link(ON_DISCORD, code)).message.key == "link.done"


async def test_linking_an_account_that_has_its_own_sign_up_never_suggests_losing_pen_pals(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await matched_canary(uow, clock)  # HER, with a pen pal, on Telegram
    service = lifecycle(uow, clock)
    other = AccountRef(Platform.DISCORD, "310000000000000099")
    signup = SignupService(uow, clock, approval_required=False, coordinators=())
    await signup.start(other)  # a sign-up of her own on Discord too
    for question, raw in ((Question.NAME, "Zed"), (Question.PRONOUNS, ""),
                          (Question.LANGUAGES, "English"), (Question.INTERESTS, "books"),
                          (Question.KINDS, ""), (Question.WOMAN, "no"), (Question.CAPACITY, "1"),
                          (Question.FREQUENCY, "monthly"), (Question.TIMEZONE, "UTC")):  # fmt: skip
        await signup.answer(other, question, raw)
    await signup.agree(other)
    code = str((await service.link_code(other)).params["code"])
    assert (await service.link(HER, "ZZZZ-ZZZZ")).message.key == "link.bad_code"  # code first
    refused = await service.link(HER, code)
    assert refused.message.key == "link.has_profile_and_pen_pals"
    assert "/forgetme" not in plain(refused.message)
    assert (await service.link(HER, code)).message.key == "link.has_profile_and_pen_pals"

"""Writing circles: a volunteer creates one and leads it once a coordinator approves; she
invites others, who join or decline privately (only their own invitation, once). A coordinator
matches a pen pal to the circle when every member meets her hard rules; each member gets her
details privately, the circle's place only whose turn it is. Letters are answered in turn:
the member whose turn it is is reminded, may pass, and logging her reply moves the turn on;
paused members are skipped; a circle left with one member asks what to do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.browse import BrowseService
from bot.circles import CircleService
from bot.custody import CustodyService
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import (
    AccountRef,
    Actor,
    Destination,
    MatchStatus,
    OutboundMessage,
    PenPalStatus,
    Platform,
    TargetKind,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.forwarding import ForwardingService
from bot.letters import LetterService
from bot.lifecycle import LifecycleService
from bot.matching.service import MatchService
from bot.messages import Message, params_from_json, plain
from bot.oversight import OversightService
from bot.reminders.policy import ReminderPolicy
from bot.reminders.sweep import ReminderService
from tests.core.helpers import BOSS, COORDINATORS, drain, setup, volunteer

ANN = AccountRef(Platform.TELEGRAM, "1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


async def test_a_circle_is_made_approved_joined_and_left(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    lead = await volunteer(uow_factory, clock, "1", "English", 1)
    bea = await volunteer(uow_factory, clock, "2", "English", 1)
    cleo = await volunteer(uow_factory, clock, "3", "English", 1)
    circles = service(uow_factory, clock)
    await drain(uow_factory, clock)
    with pytest.raises(BotError):
        await circles.create(lead, " x ")
    assert (await circles.create(lead, "Thursday Book Club")).key == "circle.created"
    (told,) = await drain(uow_factory, clock)
    assert told.message_key == "circle.approve_lead" and told.target_id == "900"
    assert [b.action for b in told.buttons] == ["ca"]
    with pytest.raises(BotError) as refused:
        await circles.create(bea, "thursday book club")  # the name is taken
    assert refused.value.message.key == "circle.name_taken"
    with pytest.raises(BotError) as refused:
        await circles.invite(lead, "@someone")
    assert refused.value.message.key == "circle.not_approved_yet"
    with pytest.raises(NotAllowed):
        await circles.approve(Actor(Platform.TELEGRAM, "2"), 1)
    assert (await circles.approve(BOSS, 1)).key == "circle.approved"
    (approved,) = await drain(uow_factory, clock)
    assert approved.message_key == "circle.lead_approved" and approved.target_id == "1"
    with pytest.raises(BotError) as refused:
        await circles.invite(bea, "Writer 3")  # not the lead
    assert refused.value.message.key == "circle.lead_only"
    with pytest.raises(BotError) as refused:
        await circles.invite(lead, "nobody at all")
    assert refused.value.message.key == "circle.who"
    with pytest.raises(BotError) as refused:
        await circles.invite(lead, "  ")
    assert refused.value.message.key == "circle.invite_usage"
    assert (await circles.invite(lead, "Writer 2")).key == "circle.invite_sent"
    (invited,) = await drain(uow_factory, clock)
    assert invited.target_id == "2" and [b.action for b in invited.buttons] == ["cj", "cd"]
    invite = int(invited.buttons[0].arg)
    with pytest.raises(NotFound):
        await circles.answer(cleo, invite, True)  # not hers
    assert (await circles.answer(bea, invite, True)).key == "circle.joined"
    with pytest.raises(NotFound):
        await circles.answer(bea, invite, True)  # once
    (joined,) = await drain(uow_factory, clock)
    assert joined.message_key == "circle.joined_lead" and joined.target_id == "1"
    await circles.invite(lead, "Writer 3")
    (invited,) = await drain(uow_factory, clock)
    assert (await circles.answer(cleo, int(invited.buttons[1].arg), False)).key == "circle.declined"
    (declined,) = await drain(uow_factory, clock)
    assert plain(_message(declined)) == "Writer 3 will not join “Thursday Book Club” this time."
    shown = plain(await circles.show(bea))
    assert shown.startswith(
        "Thursday Book Club (active; takes 1 pen pal)\nLead: Writer 1\n"
        "2 members, in the order they write: Writer 1, Writer 2\nWriting to:\n• no pen pal yet"
    )
    assert (await circles.leave(lead)).key == "circle.left"  # the lead goes: Bea leads
    told = {m.message_key: m.target_id for m in await drain(uow_factory, clock)}
    assert told == {"circle.now_lead": "2", "circle.lead_handed": "900"}
    assert "Lead: Writer 2" in plain(await circles.show(bea))
    assert (await circles.show(lead)).key == "circle.none"
    assert (await circles.leave(bea)).key == "circle.left"  # the last: the circle ends
    assert (await circles.create(bea, "Thursday Book Club")).key == "circle.created"  # free again
    assert lead == ANN


def service(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> CircleService:
    return CircleService(
        uow_factory, clock, ReminderPolicy(), MatchService(uow_factory, clock), COORDINATORS
    )


PLACE = Destination(Platform.TELEGRAM, TargetKind.CHANNEL, "-100777")


async def three_writers(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, woman: str = "yes"
) -> tuple[CircleService, list[AccountRef]]:
    """An approved circle of three, its place linked (the lead's group)."""
    await setup(uow_factory, clock)
    people = [
        await volunteer(uow_factory, clock, str(n), "English", 1, woman=woman) for n in (1, 2)
    ]
    people.append(await volunteer(uow_factory, clock, "3", "English", 1, woman="yes"))
    circles = service(uow_factory, clock)
    await circles.create(people[0], "Night Owls")
    await circles.approve(BOSS, 1)
    for who in people[1:]:
        await circles.invite(people[0], f"Writer {who.user_id}")
        sent = await drain(uow_factory, clock)
        (invited,) = [m for m in sent if m.message_key == "circle.invited"]
        await circles.answer(who, int(invited.buttons[0].arg), True)
    with pytest.raises(BotError) as refused:
        await circles.here(Actor(Platform.TELEGRAM, "2"), PLACE)  # not the lead
    assert refused.value.message.key == "circle.lead_only_place"
    assert (await circles.here(Actor(Platform.TELEGRAM, "1"), PLACE)).key == "circle.place_set"
    await drain(uow_factory, clock)
    return circles, people


async def test_a_pen_pal_is_matched_only_when_every_member_meets_her_rules(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, people = await three_writers(uow_factory, clock, woman="no")
    with pytest.raises(NotAllowed):
        await circles.match(Actor(Platform.TELEGRAM, "1"), "Night Owls", 2)
    with pytest.raises(BotError) as refused:  # Rosa asked for a woman writer; Writer 1 is not
        await circles.match(BOSS, "night owls", 1)
    assert refused.value.message.key == "circle.rule_fails"
    assert refused.value.message.params["name"] == "Writer 1"
    answer = await circles.match(BOSS, "Night Owls", 2)
    assert plain(answer).startswith("Match #1: “Night Owls” writes to Mika. Writer 1 writes first")
    sent = await drain(uow_factory, clock)
    details = [m for m in sent if m.message_key == "circle.details"]
    assert sorted(m.target_id for m in details) == ["1", "2", "3"]
    assert all(m.private and m.target_kind is TargetKind.USER for m in details)
    assert "W10002" in plain(_message(details[0]))
    (place,) = [m for m in sent if m.target_id == PLACE.target_id]
    assert place.message_key == "circle.place.matched" and not place.private
    assert "W10002" not in plain(_message(place)) and "Tamika" not in plain(_message(place))
    with pytest.raises(BotError) as refused:  # one pen pal is all it takes
        await circles.match(BOSS, "1", 3)
    assert refused.value.message.key == "circle.at_capacity"
    for who, typed, key in ((people[1], "2", "circle.lead_only_capacity"),
                            (people[0], "0", "circle.bad_capacity"),
                            (people[0], "two", "circle.bad_capacity"),
                            (people[0], "6", "circle.bad_capacity")):  # fmt: skip
        with pytest.raises(BotError) as refused:
            await circles.capacity(who, typed)
        assert refused.value.message.key == key
    assert plain(await circles.capacity(people[0], " 2 ")) == "“Night Owls” takes up to 2 pen pals."
    assert (await circles.match(BOSS, "1", 3)).key == "circle.matched"
    with pytest.raises(BotError) as refused:
        await circles.capacity(people[0], "1")
    assert refused.value.message.key == "circle.capacity_below"
    async with uow_factory() as uow:
        penpal = await uow.penpals.get(2)
        match, second = await uow.matches.of_circle(1)
        counts = await uow.matches.active_counts()
    assert penpal is not None and penpal.status is PenPalStatus.MATCHED
    assert match.volunteer_id == 1 and match.status is MatchStatus.ACTIVE
    assert (match.penpal_id, second.penpal_id) == (2, 3)
    assert counts == {}  # a circle's pen pal takes no member's own place


async def test_letters_are_answered_in_turn_with_pass_pause_and_leave(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (ann, bea, cleo) = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    await drain(uow_factory, clock)
    letters = LetterService(uow_factory, clock, ReminderPolicy())
    reminders = ReminderService(uow_factory, clock, ReminderPolicy(), COORDINATORS)
    lifecycle = LifecycleService(uow_factory, clock, COORDINATORS)
    await letters.log(ann, False, None, None)  # Ann writes the first letter: Bea is next
    sent = await drain(uow_factory, clock)
    assert {(m.message_key, m.target_id) for m in sent} == {
        ("circle.up_next", "2"),
        ("circle.place.answered", PLACE.target_id),
    }
    said = {plain(_message(m)) for m in sent if m.target_id == PLACE.target_id}
    assert said == {"Writer 1 answered Mika. Next turn: Writer 2."}
    clock.advance(timedelta(days=10))
    await letters.log(cleo, True, None, None)  # any member logs her letter: Bea's turn
    sent = await drain(uow_factory, clock)
    assert {(m.message_key, m.target_id) for m in sent} == {
        ("circle.your_turn", "2"),
        ("circle.place.letter_in", PLACE.target_id),
    }
    clock.advance(timedelta(days=11))  # four days before it is due: Bea is nudged
    assert await reminders.sweep() == 1
    (nudge,) = await drain(uow_factory, clock)
    assert nudge.message_key == "reminder.reply_soon" and nudge.target_id == "2"
    with pytest.raises(BotError) as refused:
        await circles.pass_turn(cleo)  # not her turn
    assert refused.value.message.key == "circle.not_your_turn"
    assert plain(await circles.pass_turn(bea)) == "Your turn went to Writer 3; they were told."
    sent = await drain(uow_factory, clock)
    assert {(m.message_key, m.target_id) for m in sent} == {
        ("circle.turn_passed_due", "3"),
        ("circle.place.passed", PLACE.target_id),
    }
    clock.advance(timedelta(days=4))  # due now: the reminder goes to Cleo, whose turn it is
    assert await reminders.sweep() == 1
    (due,) = await drain(uow_factory, clock)
    assert due.message_key == "reminder.reply_due" and due.target_id == "3"
    assert (await circles.ask_help(cleo)).key == "circle.help_sent"
    asked = await drain(uow_factory, clock)
    assert sorted(m.target_id for m in asked) == ["-100777", "1", "2"]
    await lifecycle.pause(ann, None)  # Ann is away: skipped when the turn moves on
    await letters.log(bea, False, None, None)  # Bea helps: Cleo's turn is done
    sent = await drain(uow_factory, clock)
    assert ("circle.up_next", "2") in {(m.message_key, m.target_id) for m in sent}
    said = {plain(_message(m)) for m in sent if m.target_id == PLACE.target_id}
    assert said == {"Writer 2 answered Mika. Next turn: Writer 2."}
    async with uow_factory() as uow:
        (match,) = await uow.matches.of_circle(1)
    assert match.volunteer_id == 2
    await circles.leave(bea)  # Bea leaves while it is her turn: Cleo (Ann is away)
    sent = await drain(uow_factory, clock)
    assert ("circle.turn_to_you_left", "3") in {(m.message_key, m.target_id) for m in sent}
    await circles.leave(cleo)  # one member left, with a pen pal: what now?
    sent = await drain(uow_factory, clock)
    asks = [m for m in sent if m.message_key.startswith("circle.below_two")]
    assert sorted(m.target_id for m in asks) == ["1", "900"]
    assert all([b.action for b in m.buttons] == ["cg", "cq"] for m in asks)
    with pytest.raises(NotAllowed):
        await circles.settle(Actor(Platform.TELEGRAM, "2"), 1, "end")  # not hers to decide
    answer = await circles.settle(BOSS, 1, "end")
    assert answer.key == "circle.ended_matches"
    async with uow_factory() as uow:
        penpal = await uow.penpals.get(2)
        assert await uow.matches.of_circle(1) == []
    assert penpal is not None and penpal.status is PenPalStatus.WAITING
    assert str(penpal.waiting_since) == "2026-02-20"  # her original place in line
    closing = [
        m for m in await drain(uow_factory, clock) if m.message_key == "match.ended_volunteer"
    ]
    assert [m.target_id for m in closing] == ["1"]  # the member left writes the closing letter


async def test_a_circle_left_with_one_member_hands_her_pen_pal_over(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (ann, bea, cleo) = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    await circles.leave(bea)
    await circles.leave(cleo)
    await drain(uow_factory, clock)
    assert (await circles.settle(Actor(Platform.TELEGRAM, "1"), 1, "hand")).key == "circle.handed"
    (told,) = await drain(uow_factory, clock)
    assert told.message_key == "circle.handed_to_you" and told.target_id == "1"
    async with uow_factory() as uow:
        (match,) = await uow.matches.for_volunteer(1, [MatchStatus.ACTIVE])
        assert await uow.matches.active_counts() == {1: 1}
    assert match.circle_id is None
    assert (await circles.settle(BOSS, 1, "end")).key == "circle.settled_already"
    assert (await circles.leave(ann)).key == "circle.left"  # her pen pal is her own now
    async with uow_factory() as uow:
        assert [m.id for m in await uow.matches.for_volunteer(1, [MatchStatus.ACTIVE])] == [1]


async def test_the_last_member_leaving_ends_the_circle_and_her_pen_pal_waits_again(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (ann, bea, cleo) = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    for who in (bea, cleo):
        await circles.leave(who)
    answer = plain(await circles.leave(ann))
    assert answer.startswith("You left “Night Owls”, its last member, so it has ended")
    async with uow_factory() as uow:
        penpal = await uow.penpals.get(2)
        assert await uow.circles.named("Night Owls") is None
    assert penpal is not None and penpal.status is PenPalStatus.WAITING


async def test_coordinators_see_and_dissolve_circles(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (_ann, bea, _cleo) = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    with pytest.raises(NotAllowed):
        await circles.overview(Actor(Platform.TELEGRAM, "1"))
    shown = plain(await circles.overview(BOSS))
    assert shown == (
        "One writing circle:\n\n#1 Night Owls (active; takes 1 pen pal; has its place)\n"
        "Lead: Writer 1\n"
        "3 members, in turn: Writer 1, Writer 2, Writer 3\n• Mika: Writer 1's turn (0 letters "
        "logged)"
    )
    seen = plain(await OversightService(uow_factory, clock, ReminderPolicy()).volunteer(BOSS, "2"))
    assert "member of the writing circle “Night Owls” (#1)" in seen
    with pytest.raises(NotFound):
        await circles.dissolve(BOSS, "Day Owls")
    await drain(uow_factory, clock)
    assert (await circles.dissolve(BOSS, "Night Owls")).key == "circle.dissolved"
    sent = await drain(uow_factory, clock)
    assert sorted(m.target_id for m in sent if m.message_key == "circle.dissolved_member") == [
        "1",
        "2",
        "3",
    ]
    assert (await circles.overview(BOSS)).key == "circle.none_yet"
    assert sorted(m.target_id for m in sent if m.message_key == "circle.match_ended") == ["2", "3"]
    assert (await circles.show(bea)).key == "circle.none"


def _message(outbound: OutboundMessage) -> Message:
    return Message(outbound.message_key, params_from_json(outbound.params))


async def test_a_late_reply_alerts_the_coordinators_naming_the_circle(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (ann, bea, _) = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    letters = LetterService(uow_factory, clock, ReminderPolicy())
    await letters.log(bea, True, None, None)
    await drain(uow_factory, clock)
    clock.advance(timedelta(days=22))  # a week past the due day
    assert await ReminderService(uow_factory, clock, ReminderPolicy(), COORDINATORS).sweep() >= 1
    sent = await drain(uow_factory, clock)
    (alert,) = [m for m in sent if m.message_key == "coord.alert.overdue"]
    assert "Writer 1 (circle “Night Owls”)" in plain(_message(alert))
    assert {m.target_id for m in sent if m.message_key.startswith("reminder.")} == {"1"}
    assert ann.user_id == "1"


async def test_a_member_who_joins_later_gets_the_details_privately(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (ann, _, _) = await three_writers(uow_factory, clock)
    eva = await volunteer(uow_factory, clock, "5", "Spanish", 1)  # Mika reads only English
    await drain(uow_factory, clock)
    await circles.invite(ann, "Writer 5")
    (early,) = await drain(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    with pytest.raises(BotError) as refused:
        await circles.answer(eva, int(early.buttons[0].arg), True)
    assert plain(refused.value.message).startswith("You cannot join “Night Owls” now")
    with pytest.raises(BotError) as refused:
        await circles.invite(ann, "Writer 5")
    assert refused.value.message.key == "circle.invitee_unfit"
    dee = await volunteer(uow_factory, clock, "4", "English", 1)
    await drain(uow_factory, clock)
    await circles.invite(ann, "Writer 4")
    (invited,) = await drain(uow_factory, clock)
    await circles.answer(dee, int(invited.buttons[0].arg), True)
    sent = await drain(uow_factory, clock)
    (details,) = [m for m in sent if m.message_key == "circle.details"]
    assert details.target_id == "4" and details.private and "W10002" in plain(_message(details))
    (place,) = [m for m in sent if m.target_id == PLACE.target_id]
    assert plain(_message(place)) == "Writer 4 joined “Night Owls”. Welcome!"


async def test_forwarded_letters_take_turns_too(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (ann, _, _) = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    await drain(uow_factory, clock)
    forwarding = ForwardingService(
        uow_factory, clock, ReminderPolicy(), COORDINATORS, enabled=True, review=True
    )
    letters = LetterService(uow_factory, clock, ReminderPolicy(), forwarding=forwarding)
    await forwarding.arrived(BOSS, 1, None)
    (review,) = await drain(uow_factory, clock)
    await forwarding.forward(BOSS, int(review.buttons[0].arg))
    sent = await drain(uow_factory, clock)
    assert ("circle.place.letter_in", PLACE.target_id) in {
        (m.message_key, m.target_id) for m in sent
    }
    assert (await letters.log(ann, False, None, None)).key == "letter.handed_in"
    (review,) = await drain(uow_factory, clock)
    async with uow_factory() as uow:
        (match,) = await uow.matches.of_circle(1)
    assert match.volunteer_id == 1  # read first: the turn stays until it is posted
    await forwarding.forward(BOSS, int(review.buttons[0].arg))
    sent = await drain(uow_factory, clock)
    assert ("circle.up_next", "2") in {(m.message_key, m.target_id) for m in sent}


async def test_the_lead_browses_for_her_circle(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    _, (ann, bea, _) = await three_writers(uow_factory, clock, woman="no")
    matches = MatchService(uow_factory, clock)
    browse = BrowseService(uow_factory, clock, matches, enabled=True, approval_required=True,
                           coordinators=COORDINATORS)  # fmt: skip
    with pytest.raises(BotError) as refused:
        await browse.circle_page(bea)
    assert refused.value.message.key == "circle.lead_only_browse"
    page = await browse.circle_page(ann)
    assert page.circle and page.heading.key == "browse.circle_page"
    names = [name for _, name, _ in page.profiles]
    assert "Mika" in names and "Rosa" not in names  # Rosa asked for a woman writer
    assert (await browse.circle_request(ann, 2)).key == "browse.requested"
    assert (await browse.circle_request(ann, 2)).key == "browse.already"
    (asked,) = [m for m in await drain(uow_factory, clock) if m.target_id == "900"]
    assert asked.message_key == "browse.circle_request_for_coordinators"
    assert (await matches.decide(int(asked.buttons[0].arg), True, BOSS)).key == "match.confirmed"
    sent = await drain(uow_factory, clock)
    assert sorted(m.target_id for m in sent if m.message_key == "circle.details") == ["1", "2", "3"]
    async with uow_factory() as uow:
        (match,) = await uow.matches.of_circle(1)
    assert match.penpal_id == 2 and match.status is MatchStatus.ACTIVE


async def test_pause_and_reoffer_keeps_a_circle_writing_with_the_next_member(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (ann, bea, cleo) = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    await drain(uow_factory, clock)
    custody = CustodyService(uow_factory, clock, matching=MatchService(uow_factory, clock))
    with pytest.raises(NotAllowed):
        await custody.reoffer(1, Actor(Platform.TELEGRAM, "2"))
    answer = plain(await custody.reoffer(1, BOSS))
    assert answer == (
        "Writer 1 is paused; “Night Owls” goes on writing to her: it is Writer 2's turn now "
        "(she was told)."
    )
    sent = {(m.message_key, m.target_id) for m in await drain(uow_factory, clock)}
    assert ("circle.turn_to_you_away", "2") in sent
    for who in (bea, cleo):
        await LifecycleService(uow_factory, clock).pause(who, None)
    async with uow_factory() as uow:
        (match,) = await uow.matches.of_circle(1)
    assert match.volunteer_id == 3  # Bea's pause passed it on to Cleo; Cleo kept it (no one)
    assert (await custody.reoffer(1, BOSS)).key == "match.reoffered"
    async with uow_factory() as uow:
        penpal = await uow.penpals.get(2)
        assert await uow.matches.of_circle(1) == []
    assert penpal is not None and penpal.status is PenPalStatus.WAITING
    assert ann.user_id == "1"


async def test_her_release_ends_the_circles_match_and_every_member_is_told(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, _ = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    await drain(uow_factory, clock)
    custody = CustodyService(uow_factory, clock, matching=MatchService(uow_factory, clock))
    assert (await custody.release(2, None, BOSS)).key == "penpal.released"
    told = sorted((m.target_id, m.message_key) for m in await drain(uow_factory, clock))
    assert told == [("1", "match.ended_volunteer_released"), ("2", "match.ended_volunteer_released"),
                    ("3", "match.ended_volunteer_released")]  # fmt: skip
    async with uow_factory() as uow:
        assert await uow.matches.of_circle(1) == []


async def test_a_member_who_erases_her_data_leaves_her_turn_and_no_trace_of_her_name(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    circles, (ann, bea, _) = await three_writers(uow_factory, clock)
    await circles.match(BOSS, "Night Owls", 2)
    await LetterService(uow_factory, clock, ReminderPolicy()).log(ann, False, None, None)
    await drain(uow_factory, clock)  # Bea writes next
    lifecycle = LifecycleService(uow_factory, clock, COORDINATORS)
    _, volunteer_id = await lifecycle.forget_ask(bea)
    assert (await lifecycle.forget(bea, volunteer_id)).key == "forget.done"
    sent = await drain(uow_factory, clock)
    assert ("circle.turn_to_you_left", "3") in {(m.message_key, m.target_id) for m in sent}
    assert not any("Writer 2" in str(m.params) for m in sent)
    async with uow_factory() as uow:
        (match,) = await uow.matches.of_circle(1)
        members = [m.volunteer_id for m in await uow.circles.members(1)]
    assert match.volunteer_id == 3 and members == [1, 3]

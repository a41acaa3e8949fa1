"""Writing circles, first part: a volunteer creates one and leads it once a coordinator approves;
she invites others, who join or decline privately (only their own invitation, once); members
leave, the lead last. No sentence names anything but volunteers and the circle."""

from __future__ import annotations

import pytest

from bot.circles import CircleService
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError, NotAllowed, NotFound
from bot.domain.models import AccountRef, Actor, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import plain
from tests.core.helpers import BOSS, COORDINATORS, drain, volunteer

ANN = AccountRef(Platform.TELEGRAM, "1")


async def test_a_circle_is_made_approved_joined_and_left(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    lead = await volunteer(uow_factory, clock, "1", "English", 1)
    bea = await volunteer(uow_factory, clock, "2", "English", 1)
    cleo = await volunteer(uow_factory, clock, "3", "English", 1)
    circles = CircleService(uow_factory, clock, COORDINATORS)
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
    shown = plain(await circles.show(bea))
    assert shown == (
        "Thursday Book Club (active)\nLead: Writer 1\n"
        "2 members, in the order they write: Writer 1, Writer 2"
    )
    with pytest.raises(BotError) as refused:
        await circles.leave(lead)  # the lead stays while others are in it
    assert refused.value.message.key == "circle.lead_stays"
    assert (await circles.leave(bea)).key == "circle.left"
    assert (await circles.show(bea)).key == "circle.none"
    assert (await circles.leave(lead)).key == "circle.left"  # the last: the circle ends
    assert (await circles.create(bea, "Thursday Book Club")).key == "circle.created"  # free again
    assert lead == ANN

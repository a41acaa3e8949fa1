"""Changed guidelines on SQLite with a fake clock: every volunteer is asked once, reminded once
halfway, the coordinators told at the end; until she accepts she is left out of matching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.consents import ConsentService
from bot.domain.clock import FakeClock
from bot.domain.errors import NotFound
from bot.domain.models import AccountRef, Platform
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import msg
from bot.messages.forms import ByLanguage
from bot.questions import Guidelines
from tests.core.helpers import BOSS, COORDINATORS, drain, setup, volunteer

NEW = Guidelines(ByLanguage((("en", "Be kind. Write back."),), msg("signup.guidelines")), "v2")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


async def test_changed_guidelines_are_accepted_again_before_new_pen_pals(
    uow: UnitOfWorkFactory, clock: FakeClock
) -> None:
    matches = await setup(uow, clock)
    ann = await volunteer(uow, clock, "1", "English", 1)
    await drain(uow, clock)
    same = ConsentService(uow, clock, COORDINATORS)  # the version she accepted at sign-up
    assert await same.check() == 0
    consents = ConsentService(uow, clock, COORDINATORS, guidelines=NEW, reconsent_days=14)
    assert await consents.check() == 1
    (asked,) = await drain(uow, clock)
    assert asked.message_key == "guidelines.changed" and asked.private
    assert [(b.action, b.arg) for b in asked.buttons] == [("ga", "1")]
    assert await consents.check() == 0  # asked once
    (answer,) = await matches.run(BOSS, seed=1)
    assert answer.message.key == "match.none"  # left out of matching until she accepts
    clock.advance(timedelta(days=7))
    assert await consents.check() == 1
    assert [m.message_key for m in await drain(uow, clock)] == ["guidelines.reminder"]
    clock.advance(timedelta(days=7))
    assert await consents.check() == 1
    assert [m.message_key for m in await drain(uow, clock)] == ["coord.alert.no_reconsent"]
    assert await consents.check() == 0
    with pytest.raises(NotFound):
        await consents.agree(AccountRef(Platform.TELEGRAM, "2"), 1)  # not hers
    assert (await consents.agree(ann, 1)).key == "guidelines.accepted"
    assert (await consents.agree(ann, 1)).key == "guidelines.accepted_already"
    async with uow() as u:
        her = await u.volunteers.by_account(ann)
        assert await u.consents.get(1) is None
    assert her is not None and her.guidelines_version == "v2"
    answers = await matches.run(BOSS, seed=2)
    assert answers[0].message.key == "match.run"  # she is matched again
    assert await consents.check() == 0

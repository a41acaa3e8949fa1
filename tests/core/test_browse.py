"""Browse mode: anonymised profiles, the hard rules, and requests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.browse import BrowseService
from bot.domain.clock import FakeClock
from bot.domain.errors import BotError
from bot.domain.models import Destination, MatchStatus, Platform, TargetKind
from bot.domain.ports import UnitOfWorkFactory
from bot.matching.service import MatchService
from bot.messages import plain
from tests.core.helpers import setup, volunteer

COORDS = (Destination(Platform.TELEGRAM, TargetKind.USER, "900"),)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 12, tzinfo=UTC))


def browse(
    uow: UnitOfWorkFactory, clock: FakeClock, approval: bool = True, enabled: bool = True
) -> BrowseService:
    return BrowseService(uow, clock, MatchService(uow, clock), enabled=enabled,
                         approval_required=approval, coordinators=COORDS)  # fmt: skip


async def test_profiles_are_anonymised_and_only_eligible_women_are_listed(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await setup(uow_factory, clock)
    ann = await volunteer(uow_factory, clock, "1", "English", 1)
    page = await browse(uow_factory, clock).page(ann)
    names = [name for _, name, _ in page.profiles]
    # English speakers who did not ask for a woman writer, longest waiting first.
    assert names == ["Deb", "Mika", "Linh", "Carol", "Jo"]
    text = "\n".join(plain(p) for _, _, p in page.profiles)
    for private in ("Placeholder King", "12345-067", "Federal Camp", "2029-11-01", "W10002"):
        assert private not in text
    assert "Waiting" in text and "paralegal" in text


async def test_a_request_goes_to_coordinators_when_approval_is_required(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await setup(uow_factory, clock)
    ann = await volunteer(uow_factory, clock, "1", "English", 1)
    service = browse(uow_factory, clock)
    (penpal_id, _, _), *_ = (await service.page(ann)).profiles
    assert (await service.request(ann, penpal_id)).key == "browse.requested"
    assert (await service.request(ann, penpal_id)).key == "browse.already"
    async with uow_factory() as uow:
        (proposal,) = await uow.matches.open_proposals()
        (notice,) = await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "t", 10)
    assert proposal.penpal_id == penpal_id and proposal.status is MatchStatus.PROPOSED
    assert notice.message_key == "browse.request_for_coordinators" and notice.target_id == "900"
    assert [b.action for b in notice.buttons] == ["mc", "mk"]
    assert "Placeholder" not in str(notice.params)


async def test_without_approval_a_request_is_a_match_at_once(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await setup(uow_factory, clock)
    ann = await volunteer(uow_factory, clock, "1", "English", 1)
    service = browse(uow_factory, clock, approval=False)
    (penpal_id, _, _), *_ = (await service.page(ann)).profiles
    assert (await service.request(ann, penpal_id)).key == "browse.confirmed"
    with pytest.raises(BotError) as full:  # her only slot is taken now
        await service.page(ann)
    assert full.value.message.key == "browse.not_active"
    async with uow_factory() as uow:
        sent = await uow.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "t", 10)
    (details,) = [m for m in sent if m.target_id == "1"]
    assert details.message_key == "match.details" and details.private
    (told,) = [m for m in sent if m.target_id == "900"]  # the coordinators know who chose whom
    assert told.message_key == "browse.chosen_for_coordinators"


async def test_a_woman_she_cannot_write_to_cannot_be_requested(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await setup(uow_factory, clock)
    ann = await volunteer(uow_factory, clock, "1", "English", 1)  # not a woman writer
    async with uow_factory() as uow:
        rosa = next(p for p in await uow.penpals.all() if p.preferred_name == "Rosa")
    assert (await browse(uow_factory, clock).request(ann, rosa.id)).key == "browse.request_gone"


async def test_browse_off_and_not_yet_active(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await setup(uow_factory, clock)
    ann = await volunteer(uow_factory, clock, "1", "English", 1)
    with pytest.raises(BotError) as off:
        await browse(uow_factory, clock, enabled=False).page(ann)
    assert off.value.message.key == "browse.off"
    from bot.domain.models import AccountRef

    with pytest.raises(BotError) as stranger:
        await browse(uow_factory, clock).page(AccountRef(Platform.TELEGRAM, "404"))
    assert stranger.value.message.key == "browse.not_active"

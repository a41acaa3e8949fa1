"""Writing what the bot will send on its own into the outbox, in the caller's transaction:
notices to the coordinators, messages to a volunteer, and the edits that erase a volunteer
from the notices already delivered. bot/outbox.py delivers them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.domain.models import (
    Button,
    Destination,
    NewOutbound,
    Platform,
    SentPart,
    TargetKind,
    Volunteer,
)
from bot.domain.ports import UnitOfWork
from bot.messages import params_to_json


async def tell_coordinators(
    uow: UnitOfWork,
    coordinators: Sequence[Destination],
    key: str,
    params: Mapping[str, object],
    buttons: tuple[Button, ...],
    now: datetime,
    about: int | None = None,
) -> None:
    """Write one outbox row per coordinator destination, in the caller's transaction. `about`:
    the volunteer the notice names (her erasure drops it, or edits it once delivered)."""
    for where in coordinators:
        await uow.outbox.add(
            NewOutbound(
                where.platform,
                where.target_kind,
                where.target_id,
                key,
                params_to_json(params),
                buttons=buttons,
                about=about,
            ),
            due_at=now,
            now=now,
        )


async def edit_erased(uow: UnitOfWork, volunteer_id: int, now: datetime) -> int:
    """Queue, in the caller's transaction, the edit of every delivered message that names this
    volunteer to the erased form (buttons gone); how many messages."""
    found = await uow.outbox.delivered_about(volunteer_id)
    await queue_erased_edits(uow, found, now)
    return len(found)


async def queue_erased_edits(
    uow: UnitOfWork, found: Sequence[tuple[Platform, SentPart]], now: datetime
) -> None:
    """Queue the edit of these delivered messages to the erased form, one row per chat."""
    chats: dict[tuple[Platform, str], list[SentPart]] = {}
    for platform, part in found:
        chats.setdefault((platform, part.chat_id), []).append(part)
    for (platform, chat), parts in chats.items():
        kind = TargetKind.USER if platform is Platform.TELEGRAM else TargetKind.CHANNEL
        await uow.outbox.add(
            NewOutbound(platform, kind, chat, "notice.erased", {}, edit=tuple(parts)),
            due_at=now,
            now=now,
        )


async def tell_volunteer(
    uow: UnitOfWork,
    volunteer: Volunteer,
    key: str,
    params: Mapping[str, object],
    now: datetime,
    buttons: tuple[Button, ...] = (),
    due_at: datetime | None = None,
) -> None:
    """Write one private outbox row per account of the volunteer (only on the platform she
    prefers, once she has chosen one), in the caller's transaction."""
    accounts = [a for a in volunteer.accounts if a.platform is volunteer.prefers]
    for account in accounts or volunteer.accounts:
        await uow.outbox.add(
            NewOutbound(
                account.platform,
                TargetKind.USER,
                account.user_id,
                key,
                params_to_json(params),
                private=True,
                buttons=buttons,
            ),
            due_at=due_at or now,
            now=now,
        )

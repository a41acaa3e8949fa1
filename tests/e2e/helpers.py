"""Helpers shared by the end-to-end tests: the people, and the steps they take on each platform."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.app.logs import quiet_payload_loggers
from bot.app.runtime import App
from bot.domain.clock import FakeClock
from bot.registry import RegistryService
from sandbox.fake_discord import FakeDiscord, Member, Posted, Response
from sandbox.fake_telegram import FakeTelegram, FakeUser, Sent, html_to_text
from storage.database import Database
from storage.repos import SqliteUnitOfWork
from tests.e2e.conftest import COORDINATOR

ANN = FakeUser(111, "Ann", "ann_writes")
EVE = FakeUser(222, "Eve", "eve")

DISCORD_ANN = Member(310000000000000001, "ann")


FORM = {
    "signup-name": "Ann Writer",
    "signup-pronouns": "she/her",
    "signup-languages": "English, French",
    "signup-interests": "poetry, hiking",
    "signup-timezone": "Europe/London",
}


def as_posted(response: Response) -> Posted:
    assert response.message is not None, f"expected a message, got type {response.type}"
    return response.message


async def fill_form(dc: FakeDiscord, member: Member, values: dict[str, str]) -> Posted:
    modal = await dc.slash(member, "signup")
    assert modal.type == 9 and modal.data["title"] == "Volunteer sign-up"
    return as_posted(await dc.submit_modal(member, modal, values))


async def finish_choices(dc: FakeDiscord, member: Member, step: Posted) -> Posted:
    assert step.ephemeral and "kind of correspondence" in step.content
    kinds = step.component("penpal:signup:answer:kinds")
    assert (kinds["min_values"], kinds["max_values"]) == (0, 5)
    step = as_posted(
        await dc.select(member, step, "penpal:signup:answer:kinds", ["friendship", "creative"])
    )
    assert "Do you write as a woman?" in step.content
    step = as_posted(await dc.select(member, step, "penpal:signup:answer:woman", ["yes"]))
    assert "How many pen pals" in step.content
    step = as_posted(await dc.select(member, step, "penpal:signup:answer:capacity", ["3"]))
    assert "How often" in step.content
    step = as_posted(await dc.select(member, step, "penpal:signup:answer:frequency", ["weekly"]))
    assert "guidelines" in step.content and "penpal:signup:agree" in step.custom_ids()
    return step


START = datetime(2026, 11, 28, 12, tzinfo=UTC)


def move_to(clock: FakeClock, when: datetime) -> None:
    clock.advance(when - clock.now())


async def sweep(app: App) -> int:
    assert app.services is not None
    return await app.services.reminders.sweep()


def on_disk(db_path: Path) -> bytes:
    """The database file, its WAL and shared memory, as stored."""
    parts = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


CANARY_NAME = "Canaryname Zqx Vellacott"


CANARY_ID = "CANARY-ID-99173"


CANARY_ADDRESS = "CANARY-ADDR PO Box 7731"


CANARIES = (CANARY_NAME, CANARY_ID, CANARY_ADDRESS)
LOCATOR = "https://locator.example.org/search"


async def seed_registry(db_path: Path) -> None:
    """The canary pen pal, waiting the longest, and one other; as a coordinator's import would."""
    quiet_payload_loggers()  # as the CLI does before any command
    async with await Database.open(db_path) as db:
        registry = RegistryService(
            lambda: SqliteUnitOfWork(db), FakeClock(datetime(2026, 11, 28, tzinfo=UTC))
        )
        facilities = await registry.import_facilities(
            ["name", "address_line_1", "address_line_2", "mail_rules", "locator_url"],
            [{"name": "Canary Facility", "address_line_1": "Inmate Mail",
              "address_line_2": CANARY_ADDRESS, "mail_rules": "Plain white paper only.",
              "locator_url": LOCATOR}],
            "test",
        )  # fmt: skip
        assert facilities.ok
        penpals = await registry.import_penpals(
            ["committed_name", "preferred_name", "id_number", "facility", "languages", "interests",
             "waiting_since"],
            [{"committed_name": CANARY_NAME, "preferred_name": "Vella", "id_number": CANARY_ID,
              "facility": "Canary Facility", "languages": "English", "interests": "poetry",
              "waiting_since": "2024-01-02"},
             {"committed_name": "Other Person", "preferred_name": "Oti", "id_number": "X-2",
              "facility": "Canary Facility", "languages": "English", "interests": "chess",
              "waiting_since": "2025-06-01"}],
            "test",
        )  # fmt: skip
        assert penpals.ok, penpals.problems


async def discord_match_and_confirm(dc: FakeDiscord, coordinator: Member) -> Posted:
    """The coordinator runs /coord match and confirms the first proposal; return the DM with
    the mailing details that the volunteer then receives."""
    mark = len(dc.posted)
    await dc.slash(coordinator, "coord", [{"type": 1, "name": "match", "options": []}])
    summary = await dc.next_posted("followup", after=mark)
    proposal = await dc.next_posted("followup", after=dc.posted.index(summary) + 1)
    mark = len(dc.posted)
    await dc.click(
        coordinator, proposal, next(c for c in proposal.custom_ids() if ":confirm:" in c)
    )
    return await dc.next_posted("dm", user_id=DISCORD_ANN.id, after=mark)


async def ann_matched_on_telegram(
    tg: FakeTelegram, user: FakeUser = ANN, name: str = "Ann Writer"
) -> None:
    """Ann (or `user`) signs up (approval off) and the coordinator confirms her first
    proposal."""
    consent = await answer_until_consent(tg, user, name)
    await press(tg, user, consent, "I agree")
    await tg.next_sent(user.id)
    await say(tg, COORDINATOR, "/coord match")
    proposal = await tg.next_sent(COORDINATOR.id)
    await tg.next_sent(COORDINATOR.id)
    await press(tg, COORDINATOR, proposal, "Confirm")
    await tg.next_sent(COORDINATOR.id)
    await tg.next_sent(user.id)  # her pen pal's mailing details


async def ann_matched_on_discord(dc: FakeDiscord, coordinator: Member) -> Posted:
    """The same on Discord; returns the DM with her pen pal's mailing details."""
    consent = await finish_choices(dc, DISCORD_ANN, await fill_form(dc, DISCORD_ANN, FORM))
    await dc.click(DISCORD_ANN, consent, "penpal:signup:agree")
    return await discord_match_and_confirm(dc, coordinator)


def assert_no_canary(texts: list[str]) -> None:
    for text in texts:
        for canary in CANARIES:
            assert canary not in text, f"canary {canary!r} leaked into: {text[:200]!r}"


async def say(tg: FakeTelegram, user: FakeUser, text: str) -> Sent:
    await tg.user_says(user, text)
    return await tg.next_sent(user.id)


async def press(tg: FakeTelegram, user: FakeUser, sent: Sent, label: str) -> str:
    return await tg.user_presses(user, sent, sent.button(label)["callback_data"])


async def begin_signup(tg: FakeTelegram, user: FakeUser) -> Sent:
    """Send /signup; read the introduction; return the first question."""
    await tg.user_says(user, "/signup")
    intro = await tg.next_sent(user.id)
    assert "You can send /cancel" in intro.text
    return await tg.next_sent(user.id)


async def answer_until_consent(
    tg: FakeTelegram, user: FakeUser, name: str = "Ann Writer", pronouns: str = "",
    interests: str = "books, gardening", pen_name: str | None = None,
) -> Sent:  # fmt: skip
    """Walk through every question (pronouns skipped unless given; in a forwarding program,
    `pen_name` typed, or "Sign with my name" pressed when it is empty); return the consent
    prompt."""
    ask = await begin_signup(tg, user)
    assert "What name" in ask.text
    ask = await say(tg, user, name)
    assert "pronouns" in ask.text
    if pronouns:
        await tg.user_says(user, pronouns)
    else:
        await press(tg, user, ask, "Skip")
    langs = await tg.next_sent(user.id)
    assert "Which languages" in langs.text
    await press(tg, user, langs, "English")
    edited = await tg.next_message(user.id)
    assert edited.kind == "edit_markup" and edited.button("✓ English")
    await press(tg, user, edited, "Spanish")
    edited = await tg.next_message(user.id)
    await press(tg, user, edited, "Done")
    ask = await tg.next_sent(user.id)
    assert "interests" in ask.text
    kinds = await say(tg, user, interests)
    assert "kind of correspondence" in kinds.text
    await press(tg, user, kinds, "Friendship")
    edited = await tg.next_message(user.id)
    assert edited.kind == "edit_markup" and edited.button("✓ Friendship")
    await press(tg, user, edited, "Done")
    woman = await tg.next_sent(user.id)
    assert "Do you write as a woman?" in woman.text
    await press(tg, user, woman, "Yes")
    ask = await tg.next_sent(user.id)
    assert "How many pen pals" in ask.text
    await press(tg, user, ask, "2 pen pal")
    ask = await tg.next_sent(user.id)
    assert "How often" in ask.text
    await press(tg, user, ask, "Once a month")
    ask = await tg.next_sent(user.id)
    assert "time zone" in ask.text
    note = await say(tg, user, "Chicago")
    assert (
        html_to_text(note.text)
        == "Time zone: Chicago, Illinois, United States (it is 06:00 there now)."
    )
    if pen_name is not None:
        ask = await tg.next_sent(user.id)
        assert "Which name do you sign your letters with?" in ask.text
        if pen_name:
            await tg.user_says(user, pen_name)
        else:
            await press(tg, user, ask, "Sign with my name")
    consent = await tg.next_sent(user.id)
    assert "guidelines" in consent.text and consent.button("I agree")
    return consent

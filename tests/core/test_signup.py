"""Sign-up and approval in the core."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain import gazetteer
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidAnswer, NotAllowed
from bot.domain.models import AccountRef, Actor, Platform, VolunteerStatus
from bot.domain.ports import UnitOfWorkFactory
from bot.lifecycle import LifecycleService
from bot.messages import plain
from bot.questions import Question
from bot.signup import SignupService
from bot.volunteers import VolunteerService
from tests.core.helpers import ANN, ANSWERS, fill, service


async def test_questions_come_in_order_and_consent_finishes(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    _, prompt = await svc.start(ANN)
    asked = [prompt.question]
    for question, raw in ANSWERS:
        step = await svc.answer(ANN, question, raw)
        assert step.prompt is not None
        asked.append(step.prompt.question)
    assert asked == [*(q for q, _ in ANSWERS), Question.CONSENT]
    outcome = await svc.agree(ANN)
    v = outcome.volunteer
    assert (v.display_name, v.languages, v.interests) == (
        "Ann Writer",
        ("en", "es"),
        ("books", "gardening"),
    )
    assert (v.capacity, v.frequency.value, v.timezone) == (2, "monthly", "America/Chicago")
    assert (v.kinds, v.woman_writer) == (("friendship", "creative"), True)
    assert v.status is VolunteerStatus.PENDING
    assert v.guidelines_version and v.consented_at == clock.now()
    assert await svc.current(ANN) is None  # the draft is gone
    async with uow_factory() as uow:
        assert await uow.outbox.pending_count() == 2  # one per coordinator destination
        audit = await uow.audit.recent(5)
    assert [a.action for a in audit] == ["volunteer.signup"]
    assert "Ann" not in audit[0].subject


async def test_timezone_answer_names_the_place_and_its_time_now(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)  # the clock says 2026-01-05 12:00 UTC
    await svc.start(ANN)
    step = await svc.answer(ANN, Question.TIMEZONE, "EST")
    assert [plain(n) for n in step.notes] == [
        "Time zone: Eastern time (New York) (it is 07:00 there now)."
    ]
    async with uow_factory() as uow:
        draft = await uow.drafts.get(ANN)
    assert draft is not None and draft.answers["timezone"] == "America/New_York"  # with DST


async def test_an_offset_is_answered_with_a_choice_of_places_not_a_guess(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    for question, raw in ANSWERS:
        if question is not Question.TIMEZONE:
            await svc.answer(ANN, question, raw)
    step = await svc.answer(ANN, Question.TIMEZONE, "UTC-5")
    assert step.prompt is not None and step.prompt.question is Question.TIMEZONE
    assert step.notes == () and "Which one is yours?" in plain(step.prompt.text)
    offered = {c.value: plain(c.label) for c in step.prompt.choices}
    assert offered["America/New_York"] == "New York City, New York, United States"
    assert "America/Bogota" in offered and not any("Etc/" in z for z in offered)
    async with uow_factory() as uow:
        draft = await uow.drafts.get(ANN)
    assert draft is not None and "timezone" not in draft.answers  # nothing guessed
    again = await svc.current(ANN)  # the choice survives a restart (it is in the draft)
    assert again is not None and {c.value for c in again.choices} == set(offered)
    step = await svc.answer(ANN, Question.TIMEZONE, "America/Bogota")  # her button
    assert [plain(n) for n in step.notes] == [
        "Time zone: Bogotá, Colombia (it is 07:00 there now)."
    ]


async def test_without_approval_the_volunteer_is_active_and_no_one_is_told(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock, approval=False)
    await fill(svc)
    outcome = await svc.agree(ANN)
    assert outcome.volunteer.status is VolunteerStatus.ACTIVE
    async with uow_factory() as uow:
        assert await uow.outbox.pending_count() == 0


@pytest.mark.parametrize(
    ("question", "raw", "key"),
    [
        (Question.NAME, "", "invalid.required"),
        (Question.NAME, "x" * 5000, "invalid.too_long"),
        (Question.NAME, "\u200b\u202e", "invalid.required"),
        (Question.LANGUAGES, "English, Klingon", "invalid.languages"),
        (Question.CAPACITY, "6", "invalid.capacity"),
        (Question.CAPACITY, "two", "invalid.capacity"),
        (Question.FREQUENCY, "hourly", "invalid.frequency"),
        (Question.TIMEZONE, "Narnia", "invalid.timezone"),
        (Question.INTERESTS, ",".join(f"i{n}" for n in range(11)), "invalid.too_many"),
        (Question.INTERESTS, ",,,", "invalid.required"),
        (Question.INTERESTS, " ; / . ", "invalid.required"),
        (Question.LANGUAGES, ", ,", "invalid.required"),
    ],
)
async def test_bad_answers_are_refused_and_change_nothing(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, question: Question, raw: str, key: str
) -> None:
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    await svc.answer(ANN, Question.NAME, "Ann")
    async with uow_factory() as uow:
        before = await uow.drafts.get(ANN)
    with pytest.raises(InvalidAnswer) as bad:
        await svc.answer(ANN, question, raw)
    assert bad.value.message.key == key
    async with uow_factory() as uow:
        assert await uow.drafts.get(ANN) == before


async def test_text_is_stored_normalised(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> None:
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    await svc.answer(ANN, Question.NAME, "<b>Ann</b> @everyone \u202eevil\u200b")
    assert (await svc.defaults(ANN))[Question.NAME] == "<b>Ann</b> @everyone evil"


async def test_consent_before_the_other_answers_is_refused(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    with pytest.raises(InvalidAnswer):
        await svc.agree(ANN)


async def test_signing_up_twice_updates_the_profile(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    await fill(svc)
    first = (await svc.agree(ANN)).volunteer
    intro, _ = await svc.start(ANN)
    assert intro.key == "signup.updating"
    for question, raw in ANSWERS:
        await svc.answer(ANN, question, "3" if question is Question.CAPACITY else raw)
    second = await svc.agree(ANN)
    assert second.volunteer.id == first.id and second.volunteer.capacity == 3
    assert second.message.key == "signup.done_updated"
    assert second.volunteer.status is VolunteerStatus.PENDING  # not silently approved
    async with uow_factory() as uow:
        assert await uow.volunteers.count_by_status() == {VolunteerStatus.PENDING: 1}
        assert await uow.outbox.pending_count() == 2  # coordinators told once, not twice


async def test_form_answers_save_the_good_ones_and_list_the_bad(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    step = await svc.answer_many(
        ANN, {Question.NAME: "Ann", Question.LANGUAGES: "Elvish", Question.TIMEZONE: "Paris"}
    )
    assert [p.key for p in step.problems] == ["invalid.languages"]
    assert step.prompt is not None and step.prompt.question is Question.PRONOUNS
    known = await svc.defaults(ANN)
    assert known[Question.NAME] == "Ann" and known[Question.TIMEZONE] == "Europe/Paris"
    assert Question.LANGUAGES not in known


async def test_language_buttons_toggle_then_done(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    await svc.answer(ANN, Question.NAME, "Ann")
    await svc.answer(ANN, Question.PRONOUNS, "")
    await svc.toggle(ANN, Question.LANGUAGES, "en")
    await svc.toggle(ANN, Question.LANGUAGES, "fr")
    prompt = await svc.toggle(ANN, Question.LANGUAGES, "en")
    assert prompt.selected == ("fr",)
    with pytest.raises(InvalidAnswer):
        await svc.toggle(ANN, Question.LANGUAGES, "tlh")  # a button we never offered
    step = await svc.done(ANN, Question.LANGUAGES)
    assert step.prompt is not None and step.prompt.question is Question.INTERESTS
    assert (await svc.defaults(ANN))[Question.LANGUAGES] == "French"


async def test_cancel_drops_the_draft(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> None:
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    await svc.answer(ANN, Question.NAME, "Ann")
    assert await svc.cancel(ANN) is True
    assert await svc.current(ANN) is None
    assert await svc.cancel(ANN) is False


async def test_coordinators_approve_and_volunteer_is_told(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    await fill(svc)
    volunteer = (await svc.agree(ANN)).volunteer
    people = VolunteerService(uow_factory, clock)
    with pytest.raises(NotAllowed):
        await people.decide(volunteer.id, True, Actor(Platform.TELEGRAM, "111"))
    async with uow_factory() as uow:
        assert (await uow.volunteers.get(volunteer.id)).status is VolunteerStatus.PENDING  # type: ignore[union-attr]
    boss = Actor(Platform.TELEGRAM, "900", is_coordinator=True)
    assert (await people.decide(volunteer.id, True, boss)).key == "coord.approved"
    assert (await people.decide(volunteer.id, False, boss)).key == "coord.already"
    async with uow_factory() as uow:
        assert (await uow.volunteers.get(volunteer.id)).status is VolunteerStatus.ACTIVE  # type: ignore[union-attr]
        assert await uow.outbox.pending_count() == 3
        actions = [a.action for a in await uow.audit.recent(5)]
    assert actions == ["volunteer.approve", "volunteer.signup"]
    assert plain(await people.profile(ANN)).startswith("Ann Writer (she/her)\nStatus: active")
    await LifecycleService(uow_factory, clock).pause(ANN, None)
    assert "Status: on a break (send /resume when you are back)\n" in plain(
        await people.profile(ANN)
    )
    back = clock.now().date() + timedelta(days=10)
    await LifecycleService(uow_factory, clock).pause(ANN, back.isoformat())
    shown = plain(await people.profile(ANN))
    assert f"Status: on a break until {back:%A} {back.day} {back:%B}\n" in shown, shown


async def test_me_in_the_middle_of_a_sign_up_points_back_to_it(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    people = VolunteerService(uow_factory, clock)
    assert (await people.profile(ANN)).key == "me.none"
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    await svc.answer(ANN, Question.NAME, "Ann")
    assert (await people.profile(ANN)).key == "me.signing_up"


async def test_answer_waiting_answers_the_current_question(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    assert await svc.answer_waiting(ANN, "Ann") is None  # no sign-up in progress
    await svc.start(ANN)
    for _question, raw in ANSWERS:
        step = await svc.answer_waiting(ANN, raw)
        assert step is not None and step.prompt is not None
    assert step.prompt.question is Question.CONSENT
    again = await svc.answer_waiting(ANN, "I agree")  # consent is a button, never typed
    assert (
        again is not None and again.prompt is not None and again.prompt.question is Question.CONSENT
    )
    assert plain(again.prompt.text).startswith("To agree to the guidelines above, please press")
    async with uow_factory() as uow:
        assert await uow.volunteers.by_account(ANN) is None  # typing it agreed to nothing
    with pytest.raises(InvalidAnswer):
        await svc.start(EVE := AccountRef(Platform.TELEGRAM, "222"))
        await svc.answer_waiting(EVE, "")
    assert (await svc.agree(ANN)).volunteer.display_name == "Ann Writer"


async def test_the_woman_writer_question_is_asked_only_when_the_program_uses_it(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = SignupService(
        uow_factory, clock, approval_required=False, coordinators=(), ask_woman_writer=False
    )
    _, prompt = await svc.start(ANN)
    asked = [prompt.question]
    for question, raw in ANSWERS:
        if question is Question.WOMAN:
            continue
        step = await svc.answer(ANN, question, raw)
        assert step.prompt is not None
        asked.append(step.prompt.question)
    assert Question.WOMAN not in asked and asked[-1] is Question.CONSENT
    assert (await svc.agree(ANN)).volunteer.woman_writer is None


async def test_kinds_can_be_skipped_and_are_validated(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    with pytest.raises(InvalidAnswer) as bad:
        await svc.answer(ANN, Question.KINDS, "romance")
    assert bad.value.message.key == "invalid.kinds"
    step = await svc.done(ANN, Question.KINDS)  # Done with nothing picked
    assert (await svc.defaults(ANN)) == {}
    assert step.prompt is not None and step.prompt.question is Question.NAME
    with pytest.raises(InvalidAnswer):
        await svc.answer(ANN, Question.WOMAN, "maybe")


async def test_the_list_of_cities_starts_loading_when_a_signup_starts(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So that nobody waits for it at the time zone question, several answers later."""
    monkeypatch.setattr(gazetteer, "_loaded", [])  # as in a bot that just started
    svc = service(uow_factory, clock)
    await svc.start(ANN)
    assert not gazetteer.loaded() and len(svc._warming) == 1  # under way, in the background
    await asyncio.gather(*svc._warming)
    assert gazetteer.loaded()
    await svc.start(AccountRef(Platform.TELEGRAM, "222", "eve"))
    assert not svc._warming  # once is enough


async def test_forwarding_programs_ask_for_a_pen_name_and_keep_it(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    svc = SignupService(
        uow_factory, clock, approval_required=False, coordinators=(), ask_pen_name=True
    )
    await svc.start(ANN)
    for question, raw in ANSWERS:
        step = await svc.answer(ANN, question, raw)
    assert step.prompt is not None and step.prompt.question is Question.PEN_NAME
    assert step.prompt.optional and "sign as Ann Writer" in plain(step.prompt.text)
    with pytest.raises(InvalidAnswer):
        await svc.answer(ANN, Question.PEN_NAME, "x" * 41)
    step = await svc.answer(ANN, Question.PEN_NAME, "  Robin  ")
    assert step.prompt is not None and step.prompt.question is Question.CONSENT
    volunteer = (await svc.agree(ANN)).volunteer
    assert (volunteer.pen_name, volunteer.signs_as) == ("Robin", "Robin")
    assert "Signs her letters as: Robin" in plain(
        await VolunteerService(uow_factory, clock).profile(ANN)
    )
    # Signing up again and pressing "Sign with my name" (an empty answer) clears it.
    await svc.start(ANN)
    for question, raw in ANSWERS:
        await svc.answer(ANN, question, raw)
    await svc.answer(ANN, Question.PEN_NAME, "")
    volunteer = (await svc.agree(ANN)).volunteer
    assert (volunteer.pen_name, volunteer.signs_as) == ("", "Ann Writer")
    # A program without forwarding never asks, and keeps what she had.
    plain_svc = SignupService(uow_factory, clock, approval_required=False, coordinators=())
    await plain_svc.start(ANN)
    asked = []
    for question, raw in ANSWERS:
        step = await plain_svc.answer(ANN, question, raw)
        asked.append(step.prompt.question if step.prompt else None)
    assert Question.PEN_NAME not in asked

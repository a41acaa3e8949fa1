"""The program's training quiz: written at the end of its guidelines file, taken after sign-up
with buttons, retaken until every answer is right; only then do the coordinators see her sign-up
(with her score), or, without approval, is she active."""

from __future__ import annotations

import pytest

from bot.domain.clock import FakeClock
from bot.domain.errors import NotFound
from bot.domain.models import AccountRef, Platform, VolunteerStatus
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import plain
from bot.oversight import OversightService
from bot.reminders.policy import ReminderPolicy
from bot.signup import SignupService
from bot.training import QuizError, QuizService, QuizStep, split_quiz
from tests.core.helpers import ANN, BOSS, COORDS, fill

GUIDELINES = """Never use your home address.

Keep it platonic.

## Quiz
? Whose address goes on the envelope?
- Mine
* The program's return address
? May you send her money?
* No
- Yes, a little
- Only at Christmas
"""


def test_the_quiz_is_split_from_the_guidelines_and_checked() -> None:
    text, quiz = split_quiz(GUIDELINES)
    assert text == "Never use your home address.\n\nKeep it platonic."
    assert quiz is not None and [q.right for q in quiz.questions] == [1, 0]
    assert quiz.questions[1].choices == ("No", "Yes, a little", "Only at Christmas")
    assert split_quiz("No quiz here.") == ("No quiz here.", None)
    for broken, said in (
        ("## Quiz\n? One?\n- a\n- b", "exactly one marked *"),
        ("## Quiz\n? One?\n* a\n* b", "exactly one marked *"),
        ("## Quiz\n? One?\n* a", "give 2 to 5 answers"),
        ("## Quiz\n- a\n? One?", "line 2: an answer before the first question"),
        ("## Quiz\n? One?\n* a\n+ b", "line 4: start it with ?"),
        ("## Quiz\n", "1 to 20 questions"),
    ):
        with pytest.raises(QuizError) as problem:
            split_quiz(broken)
        assert said in str(problem.value)


def build(
    uow: UnitOfWorkFactory, clock: FakeClock, approval: bool = True
) -> tuple[SignupService, QuizService]:
    quiz = split_quiz(GUIDELINES)[1]
    assert quiz is not None
    quizzes = QuizService(
        uow, clock, {"en": quiz}, version="v1", approval_required=approval, coordinators=COORDS
    )
    signup = SignupService(
        uow, clock, approval_required=approval, coordinators=COORDS, quiz_version="v1"
    )
    return signup, quizzes


async def pending_signups(uow: UnitOfWorkFactory) -> list[str]:
    async with uow() as u:
        claimed = await u.outbox.claim(
            [Platform.TELEGRAM, Platform.DISCORD], FakeClock().now(), FakeClock().now(), "t", 50
        )
        for message in claimed:
            await u.outbox.mark_sent(message.id, "t", FakeClock().now())
        await u.commit()
    return [m.message_key for m in claimed]


async def test_the_coordinators_see_her_sign_up_only_once_she_passed_with_her_score(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    signup, quizzes = build(uow_factory, clock)
    await fill(signup)
    outcome = await signup.agree(ANN)
    assert outcome.quiz and outcome.volunteer.status is VolunteerStatus.PENDING
    assert "One more step before a coordinator looks at your sign-up" in plain(outcome.message)
    assert await pending_signups(uow_factory) == []  # not yet
    oversight = OversightService(uow_factory, clock, ReminderPolicy(), quiz=True)
    listed = await oversight.pending(BOSS)
    assert "quiz not passed yet (0 tries)" in plain(listed.message)

    step = await quizzes.start(ANN, "es")  # no Spanish quiz: the default language's
    assert isinstance(step, QuizStep) and step.question == 0
    assert plain(step.message) == (
        "2 short questions about the guidelines, one at a time.\n\n"
        "Question 1 of 2\nWhose address goes on the envelope?"
    )
    assert [plain(c) for c in step.choices] == ["Mine", "The program's return address"]
    with pytest.raises(NotFound):
        await quizzes.answer(ANN, 1, 0)  # not the question she is at
    with pytest.raises(NotFound):
        await quizzes.answer(ANN, 0, 7)  # no such answer
    with pytest.raises(NotFound):
        await quizzes.answer(AccountRef(Platform.TELEGRAM, "5"), 0, 0)  # not signed up
    step = await quizzes.answer(ANN, 0, 0)  # wrong
    assert isinstance(step, QuizStep) and step.question == 1
    failed = await quizzes.answer(ANN, 1, 0)
    assert not isinstance(failed, QuizStep)
    assert plain(failed) == (
        "You got 1 of 2 right. The ones to look at again:\n"
        "• Whose address goes on the envelope?\n  The right answer: The program's return address"
        "\n\nWhen you are ready, send /quiz to try again."
    )
    for stale in ((1, 0), (0, 1)):  # pressed twice; the first question of the try that ended
        with pytest.raises(NotFound):
            await quizzes.answer(ANN, *stale)
    assert await pending_signups(uow_factory) == []
    assert "quiz not passed yet (1 try)" in plain((await oversight.pending(BOSS)).message)

    await quizzes.start(ANN, "en")
    await quizzes.answer(ANN, 0, 1)
    passed = await quizzes.answer(ANN, 1, 0)
    assert not isinstance(passed, QuizStep) and passed.key == "quiz.passed_pending"
    async with uow_factory() as u:
        claimed = await u.outbox.claim([Platform.TELEGRAM], clock.now(), clock.now(), "t", 50)
        volunteer = await u.volunteers.by_account(ANN)
        audit = [a.action for a in await u.audit.recent(10)]
    (told,) = claimed
    assert told.message_key == "coord.pending_signup" and [b.action for b in told.buttons] == [
        "approve",
        "reject",
    ]
    assert volunteer is not None and volunteer.status is VolunteerStatus.PENDING
    assert "volunteer.quiz_failed" in audit and "volunteer.quiz_passed" in audit
    listed = plain((await oversight.pending(BOSS)).message)
    assert "Quiz: 1 of 2 right at the first try, passed after 2 tries" in listed
    assert (await quizzes.start(ANN, "en")).key == "quiz.passed_already"  # type: ignore[union-attr]


async def test_without_approval_she_is_active_once_she_passed(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    signup, quizzes = build(uow_factory, clock, approval=False)
    await fill(signup)
    outcome = await signup.agree(ANN)
    assert outcome.quiz and outcome.volunteer.status is VolunteerStatus.PENDING
    assert "before you are matched with a pen pal" in plain(outcome.message)
    await quizzes.start(ANN, "en")
    await quizzes.answer(ANN, 0, 1)
    passed = await quizzes.answer(ANN, 1, 0)
    assert passed.key == "quiz.passed_active"  # type: ignore[union-attr]
    async with uow_factory() as u:
        volunteer = await u.volunteers.by_account(ANN)
    assert volunteer is not None and volunteer.status is VolunteerStatus.ACTIVE
    # Updating her profile later asks nothing more.
    await fill(signup)
    again = await signup.agree(ANN)
    assert not again.quiz and again.volunteer.status is VolunteerStatus.ACTIVE


async def test_a_program_without_a_quiz_says_so(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    none = QuizService(uow_factory, clock)
    assert (await none.start(ANN, "en")).key == "quiz.none"  # type: ignore[union-attr]
    _, quizzes = build(uow_factory, clock)
    assert (await quizzes.start(ANN, "en")).key == "quiz.sign_up_first"  # type: ignore[union-attr]

"""The program's training quiz: a few questions about its guidelines, written at the end of the
guidelines file itself, that a new volunteer answers before a coordinator sees her sign-up.

In the guidelines file (one per language) a line `## Quiz` starts the quiz; what comes before it
is the guidelines she reads. Each question is a line starting with `?`, followed by its answers,
one per line: `*` marks the right one, `-` the others::

    ## Quiz
    ? Whose address goes on the envelope?
    - Mine
    * The program's return address

She answers with buttons. Every answer right: she has passed (with approval, the coordinators
are told, with her score; without, she is active). Otherwise she sees the right answers of the
questions she missed and tries again with /quiz. Coordinators see her score on her sign-up."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.domain.models import (
    AccountRef,
    Destination,
    QuizResult,
    VolunteerStatus,
)
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import Message, msg
from bot.signup import tell_of_signup

MARKER = re.compile(r"^\s*#{1,6}\s*quiz\s*$", re.IGNORECASE | re.MULTILINE)
MAX_QUESTIONS = 20
MAX_CHOICES = 5
"""Buttons under one question (both platforms show them in one row or a few)."""
MAX_CHOICE = 80
"""Characters of one answer (a button's label)."""


class QuizError(ValueError):
    """The quiz in a guidelines file is not written as it should be (said at startup)."""


@dataclass(frozen=True)
class QuizQuestion:
    text: str
    choices: tuple[str, ...]
    right: int


@dataclass(frozen=True)
class Quiz:
    questions: tuple[QuizQuestion, ...]


def split_quiz(text: str) -> tuple[str, Quiz | None]:
    """The guidelines without their quiz, and the quiz (None when the file has none)."""
    found = MARKER.search(text)
    if found is None:
        return text, None
    marker_line = text.count("\n", 0, found.start()) + 1
    return text[: found.start()].rstrip(), parse_quiz(text[found.end() :], marker_line)


def parse_quiz(text: str, marker_line: int = 0) -> Quiz:
    """The questions after the `## Quiz` line (on line `marker_line` of the file); QuizError
    says what is wrong and on which line of the file."""
    questions: list[tuple[str, list[str], list[int]]] = []
    for number, raw in enumerate(text.splitlines(), start=marker_line):
        line = raw.strip()
        if not line:
            continue
        mark, rest = line[0], line[1:].strip()
        if mark == "?":
            if not rest:
                raise QuizError(f"line {number}: a question with no text")
            questions.append((rest, [], []))
        elif mark in "*-":
            if not questions:
                raise QuizError(f"line {number}: an answer before the first question")
            if not rest or len(rest) > MAX_CHOICE:
                raise QuizError(f"line {number}: an answer must have 1 to {MAX_CHOICE} characters")
            _, choices, right = questions[-1]
            if mark == "*":
                right.append(len(choices))
            choices.append(rest)
        else:
            raise QuizError(
                f"line {number}: start it with ? (a question), * (the right answer) or - "
                "(another answer)"
            )
    if not questions or len(questions) > MAX_QUESTIONS:
        raise QuizError(f"the quiz needs 1 to {MAX_QUESTIONS} questions")
    built = []
    for text_, choices, right in questions:
        if not 2 <= len(choices) <= MAX_CHOICES or len(right) != 1:
            raise QuizError(
                f"quiz question “{text_[:40]}”: give 2 to {MAX_CHOICES} answers, exactly one "
                "marked * as the right one"
            )
        built.append(QuizQuestion(text_, tuple(choices), right[0]))
    return Quiz(tuple(built))


@dataclass(frozen=True)
class QuizStep:
    """A question to ask, with one button per answer: the adapters label them with `choices`
    and send back (`question`, the answer's index)."""

    message: Message
    question: int
    choices: tuple[Message, ...]


@dataclass
class QuizService:
    """The training quiz: asked after sign-up, retaken with /quiz."""

    uow: UnitOfWorkFactory
    clock: Clock
    quizzes: Mapping[str, Quiz] = field(default_factory=dict)
    """The quiz per language (empty: the program has none)."""
    version: str = ""
    default_language: str = "en"
    approval_required: bool = True
    coordinators: Sequence[Destination] = ()
    outbox_written: Callable[[], None] = field(default=lambda: None)

    @property
    def enabled(self) -> bool:
        return bool(self.quizzes)

    def _quiz(self, language: str) -> tuple[str, Quiz]:
        for wanted in (language, self.default_language):
            if wanted in self.quizzes:
                return wanted, self.quizzes[wanted]
        first = next(iter(self.quizzes))
        return first, self.quizzes[first]

    async def start(self, account: AccountRef, language: str) -> QuizStep | Message:
        """Begin (or begin again) the quiz; its first question."""
        if not self.enabled:
            return msg("quiz.none")
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            if volunteer is None:
                return msg("quiz.sign_up_first")
            found = await uow.quizzes.get(volunteer.id)
            if found is not None and found.version == self.version and found.passed_at:
                return msg("quiz.passed_already", score=found.score, total=found.total)
            language, quiz = self._quiz(language)
            tries = found.tries if found is not None and found.version == self.version else 0
            first = found.first_score if found is not None and tries else None
            result = QuizResult(
                volunteer.id, self.version, language, (), tries, len(quiz.questions), first
            )
            await uow.quizzes.save(result)
            await uow.commit()
        return self._ask(quiz, 0, msg("quiz.intro", total=len(quiz.questions)))

    async def answer(self, account: AccountRef, question: int, choice: int) -> QuizStep | Message:
        """One answer (a button); the next question, or her result after the last."""
        now = self.clock.now()
        notify = False
        async with self.uow() as uow:
            volunteer = await uow.volunteers.by_account(account)
            found = await uow.quizzes.get(volunteer.id) if volunteer else None
            if volunteer is None or found is None or found.version != self.version:
                raise NotFound("error.expired")
            quiz = self._quiz(found.language)[1]
            if (
                found.passed_at is not None
                or found.answers is None
                or question != len(found.answers)
                or question >= len(quiz.questions)
                or not 0 <= choice < len(quiz.questions[question].choices)
            ):
                raise NotFound("error.expired")  # an old button, or one pressed twice
            answers = (*found.answers, choice)
            if len(answers) < len(quiz.questions):
                await uow.quizzes.save(replace(found, answers=answers))
                await uow.commit()
                return self._ask(quiz, len(answers), None)
            missed = [
                n
                for n, (q, a) in enumerate(zip(quiz.questions, answers, strict=True))
                if q.right != a
            ]
            score = len(quiz.questions) - len(missed)
            tries = found.tries + 1
            passed = not missed
            result = replace(
                found,
                answers=None,  # a new try starts with /quiz
                tries=tries,
                score=score,
                first_score=found.first_score if found.first_score is not None else score,
                passed_at=now if passed else None,
            )
            await uow.quizzes.save(result)
            label = f"{account.platform.value}:{account.user_id}"
            action = "volunteer.quiz_passed" if passed else "volunteer.quiz_failed"
            await uow.audit.add(label, action, f"volunteer:{volunteer.id}", now)
            answer: Message
            if not passed:
                lines = [
                    msg(
                        "quiz.missed_line",
                        question=quiz.questions[n].text,
                        right=quiz.questions[n].choices[quiz.questions[n].right],
                    )
                    for n in missed
                ]
                answer = msg("quiz.failed", score=score, total=len(quiz.questions), lines=lines)
            elif volunteer.status is VolunteerStatus.PENDING and self.approval_required:
                notify = True
                await tell_of_signup(uow, self.coordinators, volunteer, now, score_line(result))
                answer = msg("quiz.passed_pending", total=len(quiz.questions))
            elif volunteer.status is VolunteerStatus.PENDING:
                await uow.volunteers.set_status(volunteer.id, VolunteerStatus.ACTIVE, now)
                answer = msg("quiz.passed_active", total=len(quiz.questions))
            else:
                answer = msg("quiz.passed", total=len(quiz.questions))
            await uow.commit()
        if notify:
            self.outbox_written()
        return answer

    async def result(self, volunteer_id: int) -> QuizResult | None:
        """Her tries at the quiz of the current guidelines, if she took it."""
        async with self.uow() as uow:
            found = await uow.quizzes.get(volunteer_id)
        return found if found is not None and found.version == self.version else None

    def _ask(self, quiz: Quiz, index: int, before: Message | None) -> QuizStep:
        question = quiz.questions[index]
        asked = msg(
            "quiz.question",
            number=index + 1,
            total=len(quiz.questions),
            text=question.text,
            before=msg("quiz.before", text=before) if before is not None else "",
        )
        choices = tuple(msg("literal", text=choice) for choice in question.choices)
        return QuizStep(asked, index, choices)


def score_line(result: QuizResult | None) -> Message | str:
    """Her quiz, as coordinators see it on her sign-up ("" when she did not take one)."""
    if result is None or result.score is None:
        return ""
    if result.passed_at is None:
        return msg("quiz.score_failed", score=result.score, total=result.total, tries=result.tries)
    return msg(
        "quiz.score_passed",
        first=result.first_score,
        total=result.total,
        tries=result.tries,
    )

"""One student's numbers for one exercise, and the verdict on the answer they gave for them."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Protocol

from nnex.course.content import Course
from nnex.course.metadata import ExerciseMeta
from nnex.errors import CourseError
from nnex.grading.checks import CheckFailed
from nnex.text import Text
from nnex.variants.answer_key import KEY_FILE, ReferenceAnswers, canonical, read_answer_key
from nnex.variants.identity import describe, pick
from nnex.variants.spec import Numbers, VariantSpec

RIGHT, LECTURE, OTHER, WRONG = "right", "lecture", "other", "wrong"
NO_IDENTITY = Text("あなたの数値が決まっていません", "your numbers are not known yet")


class Answers(Protocol):
    def is_right(self, numbers: Numbers, value: float) -> bool: ...


def load_answers(course: Course, meta: ExerciseMeta) -> Answers:
    """The reference solution's answers (instructor), or the kit's salted hashes (student).

    Raises:
        CourseError: the solution lacks the declared function, or the kit its answer key.
    """
    spec = meta.variants
    if course.is_student_kit:
        return read_answer_key(course.exercises_dir / meta.id / KEY_FILE)
    path = course.solution_path(meta.id)
    module_spec = importlib.util.spec_from_file_location(f"nnex_reference_{meta.id}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    answer_of = getattr(module, spec.function, None)
    if not callable(answer_of):
        raise CourseError(f"{path}: no function '{spec.function}' (named by variants.answer."
                          f"function in {meta.path})")
    return ReferenceAnswers(answer_of=answer_of, decimals=spec.decimals)


@dataclass(frozen=True)
class StudentVariant:
    """The ``variant`` fixture: whose numbers, which numbers, and how to judge an answer."""

    exercise_id: str
    spec: VariantSpec
    identity: str | None
    answers: Answers

    @property
    def numbers(self) -> Numbers | None:
        """The student's numbers; None while their identity is unknown."""
        return None if self.identity is None else pick(self.spec, self.exercise_id, self.identity)

    def verdict(self, value: float) -> str:
        """RIGHT for the student's numbers; else LECTURE or OTHER when ``value`` answers the
        lecture's or another variant's numbers; else WRONG."""
        numbers = self.numbers
        if numbers is not None and self.answers.is_right(numbers, value):
            return RIGHT
        if self.answers.is_right(self.spec.lecture, value):
            return LECTURE
        if any(self.answers.is_right(other, value) for other in self.spec.all_numbers()
               if other != numbers):
            return OTHER
        return WRONG

    def label(self) -> str:
        """``<constant>（あなたの数値 / your numbers: a_out = 5, …）`` (the name alone while the
        identity is unknown): how the checks name the student's constant."""
        if self.numbers is None:
            return self.spec.constant
        return f"{self.spec.constant}（あなたの数値 / your numbers: {describe(self.numbers)}）"

    def expect_answer(self, value: float) -> None:
        """``value`` must be the answer for the student's numbers, rounded to the spec's places.

        Raises:
            CheckFailed: no identity yet, or the answer is the lecture's, another student's,
                or wrong; the hint says which.
        """
        name = self.spec.constant
        if self.numbers is None:
            raise CheckFailed(name, NO_IDENTITY, hint="variant_identity")
        verdict = self.verdict(value)
        if verdict == RIGHT:
            return
        places = self.spec.decimals
        what = f"{self.label()}, 小数第 {places} 位まで / to {places} decimal places"
        raise CheckFailed(what, Text("値が違います", "wrong value"),
                          hint={LECTURE: "variant_lecture", OTHER: "variant_other"}.get(
                              verdict, "variant_wrong"),
                          actual=canonical(value, places))


def student_variant(course: Course, meta: ExerciseMeta, identity: str | None,
                    answers: Answers | None = None) -> StudentVariant:
    """The ``StudentVariant`` of ``identity`` (None: unknown) for an exercise with variants."""
    if meta.variants is None:
        raise CourseError(f"{meta.path}: the grader asks for the student's numbers, but the "
                          "exercise declares no 'variants'")
    return StudentVariant(exercise_id=meta.id, spec=meta.variants, identity=identity,
                          answers=answers or load_answers(course, meta))

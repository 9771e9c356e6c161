"""What a grading session records, whoever runs the checks (the pytest plugin or the direct
runner): each check's ending as a ``CheckResult``, each exercise's module output and load
problem, and each student's ``SubmissionResult`` when their last check is done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnex.course.content import Course
from nnex.course.metadata import ExerciseMeta
from nnex.grading.outcome import STUDENT_FAILURES, check_result, check_rng
from nnex.grading.results import ExerciseResult, SubmissionResult
from nnex.grading.student import ModuleOpener, StudentModule
from nnex.grading.submissions import Submission

FIXTURES = ("student", "rng", "variant")
"""What a grader's check may ask for: the student's module, reproducible random inputs and
the student's own numbers (``nnex.variants``, when the course turns them on)."""


@dataclass
class GradingPlan:
    """What one grading session grades."""

    submissions: list[Submission]
    exercises: list[ExerciseMeta]
    modules: ModuleOpener
    """Gives each check the student's module (in a worker, or in a notebook's kernel)."""
    on_result: Callable[[SubmissionResult], None] | None = None
    course: Course | None = None
    """Where per-student numbers find their answers (the ``variant`` fixture)."""


def is_grader_error(error: BaseException | None) -> bool:
    """True when a check ended by an error of the grader's own (it then reports its trace)."""
    return error is not None and not isinstance(error, STUDENT_FAILURES)


class ResultCollector:
    """The results of one grading session, check by check, in the order the checks run.

    A runner asks for each check's fixtures, records how the check ended, and says when a
    student's exercise and then the student are done. Submissions are named by their index
    in the plan; exercises by id.
    """

    def __init__(self, plan: GradingPlan):
        self.plan = plan
        self.exercises = {meta.id: meta for meta in plan.exercises}
        self.results: list[SubmissionResult] = []
        self._modules: dict[tuple[int, str], StudentModule] = {}
        self._exercise_results: dict[tuple[int, str], ExerciseResult] = {}
        self._answers: dict[str, object] = {}

    def student(self, submission: int, exercise_id: str) -> StudentModule:
        """The ``student`` fixture: the student's module for the exercise, opened once for all
        of the exercise's checks."""
        key = (submission, exercise_id)
        if key not in self._modules:
            self._modules[key] = self.plan.modules.open(
                self.plan.submissions[submission], self.exercises[exercise_id])
        return self._modules[key]

    def rng(self, submission: int, exercise_id: str, check: str) -> np.random.Generator:
        """The ``rng`` fixture: random inputs, reproducible per student and check (a regrade
        sees the same ones)."""
        return check_rng(self.plan.submissions[submission].student, exercise_id, check)

    def variant(self, submission: int, exercise_id: str):
        """The ``variant`` fixture: the student's own numbers for the exercise and their judge
        (``nnex.variants``)."""
        from nnex.variants.student import load_answers, student_variant

        meta = self.exercises[exercise_id]
        course = self.plan.course or Course.installed()
        if meta.id not in self._answers and meta.variants is not None:
            self._answers[meta.id] = load_answers(course, meta)
        return student_variant(course, meta, self.plan.submissions[submission].numbers_identity,
                               answers=self._answers.get(meta.id))

    def record(self, submission: int, exercise_id: str, check: str,
               error: BaseException | None, *, visibility: str, seconds: float,
               trace: str | None = None) -> None:
        """Record that check ``check`` ended by raising ``error`` (None: it passed).

        Args:
            trace: the runner's report of a grader error (see ``is_grader_error``).
        """
        result = check_result(self.exercises[exercise_id], check, error,
                              visibility=visibility, seconds=seconds, trace=trace)
        self._exercise_result((submission, exercise_id)).checks.append(result)

    def finish_exercise(self, submission: int, exercise_id: str) -> None:
        """The exercise's last check of this student has run: close its module."""
        key = (submission, exercise_id)
        result = self._exercise_result(key)
        module = self._modules.pop(key, None)
        if module is not None:
            module.close()
            result.output = module.output
            problem = module.load_problem
            if problem is not None and problem.is_load_problem:
                result.reason = problem.text

    def finish_submission(self, submission: int) -> None:
        """The student's last check has run: their result is complete."""
        self.plan.modules.done(self.plan.submissions[submission])
        result = SubmissionResult(student=self.plan.submissions[submission].student)
        for meta in self.plan.exercises:
            exercise = self._exercise_results.pop((submission, meta.id), None)
            if exercise is not None:
                result.exercises.append(exercise)
        self.results.append(result)
        if self.plan.on_result is not None:
            self.plan.on_result(result)

    def close(self) -> None:
        """Close every module still open (a session that stopped early)."""
        for module in self._modules.values():
            module.close()
        self._modules.clear()

    def _exercise_result(self, key: tuple[int, str]) -> ExerciseResult:
        if key not in self._exercise_results:
            meta = self.exercises[key[1]]
            self._exercise_results[key] = ExerciseResult(exercise=meta.id, title=meta.title)
        return self._exercise_results[key]

"""The pytest plugin that runs graders over submissions and collects plain results.

Every grader test takes the ``student`` fixture. The plugin parametrizes it over the
submissions, orders the items student by student and exercise by exercise, keeps one worker
child per (student, exercise) alive across that exercise's checks, and turns each test's outcome
into a ``CheckResult``. State lives on the plugin instance, one per session: no globals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from nnex.course.content import HIDDEN_GRADER, Course
from nnex.course.metadata import ExerciseMeta
from nnex.grading.outcome import STUDENT_FAILURES, check_result, check_rng
from nnex.grading.results import ExerciseResult, SubmissionResult
from nnex.grading.student import ModuleOpener, StudentModule
from nnex.grading.submissions import Submission


@dataclass
class GradingPlan:
    """What one pytest session grades."""

    submissions: list[Submission]
    exercises: list[ExerciseMeta]
    modules: ModuleOpener
    """Gives each check the student's module (in a worker, or in a notebook's kernel)."""
    on_result: Callable[[SubmissionResult], None] | None = None
    course: Course | None = None
    """Where per-student numbers find their answers (the ``variant`` fixture)."""


class GradingPlugin:
    """Registered with ``pytest.main(plugins=[...])`` for one grading session."""

    def __init__(self, plan: GradingPlan):
        self.plan = plan
        self.exercises = {meta.id: meta for meta in plan.exercises}
        self.order = {meta.id: n for n, meta in enumerate(plan.exercises)}
        self.results: list[SubmissionResult] = []
        self.problems: list[str] = []
        self._modules: dict[tuple[int, str], StudentModule] = {}
        self._exercise_results: dict[tuple[int, str], ExerciseResult] = {}
        self._answers: dict[str, object] = {}

    # -- collection --------------------------------------------------------------------------

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "student" in metafunc.fixturenames:
            metafunc.parametrize("nnex_submission", range(len(self.plan.submissions)),
                                 ids=[f"s{n}" for n in range(len(self.plan.submissions))])

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.problems.append(f"cannot load grader {report.nodeid}: {report.longreprtext}")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            exercise = self.exercises.get(_exercise_of(item))
            if exercise is None or "nnex_submission" not in getattr(item, "callspec", {}).params:
                self.problems.append(f"{item.nodeid}: not a grader check (no 'student' fixture "
                                     "or outside an exercise folder)")
            elif _check_name(item) not in exercise.checks:
                self.problems.append(f"{item.nodeid}: check '{_check_name(item)}' has no entry "
                                     f"under 'checks' in {exercise.path}")
        if self.problems:
            items.clear()
            return
        position = {id(item): n for n, item in enumerate(items)}
        items.sort(key=lambda item: (item.callspec.params["nnex_submission"],
                                     self.order[_exercise_of(item)], position[id(item)]))

    # -- fixtures ----------------------------------------------------------------------------

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest, nnex_submission: int) -> StudentModule:
        """The student's module for this check's exercise, running in a worker child."""
        key = (nnex_submission, _exercise_of(request.node))
        if key not in self._modules:
            self._modules[key] = self.plan.modules.open(
                self.plan.submissions[nnex_submission], self.exercises[key[1]])
        return self._modules[key]

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest, nnex_submission: int) -> np.random.Generator:
        """Random inputs, reproducible per student and check (a regrade sees the same ones)."""
        return check_rng(self.plan.submissions[nnex_submission].student,
                         _exercise_of(request.node), _check_name(request.node))

    @pytest.fixture
    def variant(self, request: pytest.FixtureRequest, nnex_submission: int):
        """The student's own numbers for this exercise (``nnex.variants``) and their judge."""
        from nnex.variants.student import load_answers, student_variant

        meta = self.exercises[_exercise_of(request.node)]
        course = self.plan.course or Course.installed()
        if meta.id not in self._answers and meta.variants is not None:
            self._answers[meta.id] = load_answers(course, meta)
        return student_variant(course, meta,
                               self.plan.submissions[nnex_submission].numbers_identity,
                               answers=self._answers.get(meta.id))

    # -- outcomes ----------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        """Record the outcome of a check.

        Expected failures (a wrong value, a problem in the student's code) get a one-line
        report: pytest's source-annotated traceback costs ~50 ms per failure and the student
        never sees it. Anything else is a grader error and keeps pytest's full report.
        """
        error = call.excinfo.value if call.excinfo is not None else None
        if call.when != "call" and error is None:
            return None
        if error is not None and not isinstance(error, STUDENT_FAILURES):
            self._record(item, call, str(item.repr_failure(call.excinfo)))
            return None
        self._record(item, call, None)
        return pytest.TestReport(
            nodeid=item.nodeid, location=item.location, keywords={},
            outcome="passed" if error is None else "failed",
            longrepr=None if error is None else str(error), when=call.when,
            duration=call.duration, start=call.start, stop=call.stop)

    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> None:
        key = _key(item)
        if nextitem is None or _key(nextitem) != key:
            self._finish_exercise(key)
        if nextitem is None or _key(nextitem)[0] != key[0]:
            self._finish_submission(key[0])

    def pytest_sessionfinish(self) -> None:
        for module in self._modules.values():
            module.close()
        self._modules.clear()

    # -- internals ---------------------------------------------------------------------------

    def _record(self, item: pytest.Item, call: pytest.CallInfo, trace: str | None) -> None:
        key = _key(item)
        result = check_result(
            self.exercises[key[1]], _check_name(item),
            call.excinfo.value if call.excinfo is not None else None,
            visibility="hidden" if item.path.name == HIDDEN_GRADER else "public",
            seconds=call.duration, trace=trace)
        self._exercise_result(key).checks.append(result)

    def _exercise_result(self, key: tuple[int, str]) -> ExerciseResult:
        if key not in self._exercise_results:
            meta = self.exercises[key[1]]
            self._exercise_results[key] = ExerciseResult(exercise=meta.id, title=meta.title)
        return self._exercise_results[key]

    def _finish_exercise(self, key: tuple[int, str]) -> None:
        result = self._exercise_result(key)
        module = self._modules.pop(key, None)
        if module is not None:
            module.close()
            result.output = module.output
            problem = module.load_problem
            if problem is not None and problem.is_load_problem:
                result.reason = problem.text

    def _finish_submission(self, index: int) -> None:
        self.plan.modules.done(self.plan.submissions[index])
        submission = SubmissionResult(student=self.plan.submissions[index].student)
        for meta in self.plan.exercises:
            result = self._exercise_results.pop((index, meta.id), None)
            if result is not None:
                submission.exercises.append(result)
        self.results.append(submission)
        if self.plan.on_result is not None:
            self.plan.on_result(submission)


def _exercise_of(item: pytest.Item) -> str:
    return item.path.parent.name


def _check_name(item: pytest.Item) -> str:
    name = getattr(item, "originalname", item.name)
    return name[len("test_"):] if name.startswith("test_") else name


def _key(item: pytest.Item) -> tuple[int, str]:
    return item.callspec.params["nnex_submission"], _exercise_of(item)

"""The pytest plugin that runs graders over submissions and collects plain results.

Every grader test takes the ``student`` fixture. The plugin parametrizes it over the
submissions, orders the items student by student and exercise by exercise, keeps one worker
child per (student, exercise) alive across that exercise's checks, and turns each test's outcome
into a ``CheckResult``. State lives on the plugin instance, one per session: no globals.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from nnex.grading.checks import CheckFailed
from nnex.course.content import HIDDEN_GRADER
from nnex.errors import GraderError, MetadataError
from nnex.course.metadata import ExerciseMeta
from nnex.grading.problems import StudentProblem
from nnex.grading.results import (ERROR, FAILED, GRADER_ERROR, PASSED, CheckResult, ExerciseResult,
                                  SubmissionResult)
from nnex.grading.student import ModuleOpener, StudentModule
from nnex.grading.submissions import Submission
from nnex.text import Text

GRADER_FAULT = Text("採点プログラム側の問題でこのチェックを実行できませんでした（あなたのせいではありません）。"
                    "先生に知らせてください。",
                    "The grader itself failed on this check (not your fault); please tell "
                    "your instructor.")


@dataclass
class GradingPlan:
    """What one pytest session grades."""

    submissions: list[Submission]
    exercises: list[ExerciseMeta]
    modules: ModuleOpener
    """Gives each check the student's module (in a worker, or in a notebook's kernel)."""
    on_result: Callable[[SubmissionResult], None] | None = None


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
        student = self.plan.submissions[nnex_submission].student
        name = request.node.originalname
        seed = zlib.crc32(f"{student}\0{_exercise_of(request.node)}\0{name}".encode())
        return np.random.default_rng(seed)

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
        if error is not None and not isinstance(error, (CheckFailed, StudentProblem)):
            self._record(item, call, str(item.repr_failure(call.excinfo)))
            return None
        self._record(item, call, "")
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

    def _record(self, item: pytest.Item, call: pytest.CallInfo, failure_text: str) -> None:
        key = _key(item)
        exercise = self.exercises[key[1]]
        meta = exercise.checks[_check_name(item)]
        result = CheckResult(
            name=meta.name, title=meta.title, points=0.0, max_points=meta.points,
            outcome=PASSED,
            visibility="hidden" if item.path.name == HIDDEN_GRADER else "public",
            seconds=call.duration)
        error = call.excinfo.value if call.excinfo is not None else None
        if error is None:
            result.points = meta.points
        elif isinstance(error, CheckFailed):
            result.outcome = FAILED
            result.what, result.problem = error.what, error.problem
            result.expected, result.actual = error.expected, error.actual
            result.hint, result.hint_key = self._hint(exercise, error.hint), error.hint
        elif isinstance(error, StudentProblem):
            result.outcome, result.kind, result.message = ERROR, error.kind, error.text
            result.hint, result.hint_key = self._hint(exercise, error.hint), error.hint
        else:
            result.outcome, result.message = GRADER_ERROR, GRADER_FAULT
            result.problem = _one_line(failure_text)[-2000:]
        self._exercise_result(key).checks.append(result)

    def _hint(self, exercise: ExerciseMeta, key: str | None) -> Text | None:
        if key is None:
            return None
        try:
            return exercise.hint(key)
        except MetadataError as exc:
            raise GraderError(str(exc)) from None

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


def _one_line(text: str) -> str:
    return " ".join(text.split())

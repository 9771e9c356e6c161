"""The pytest plugin that runs graders over submissions and collects plain results.

Every grader test takes the ``student`` fixture. The plugin parametrizes it over the
submissions, orders the items student by student and exercise by exercise, keeps one worker
child per (student, exercise) alive across that exercise's checks, and records each test's
outcome through ``nnex.grading.collect`` (as the direct runner does, ``nnex.grading.direct``).
State lives on the plugin instance, one per session: no globals.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnex.course.content import HIDDEN_GRADER
from nnex.grading.collect import GradingPlan, ResultCollector, is_grader_error
from nnex.grading.results import SubmissionResult
from nnex.grading.student import StudentModule

__all__ = ["GradingPlan", "GradingPlugin"]


class GradingPlugin:
    """Registered with ``pytest.main(plugins=[...])`` for one grading session."""

    def __init__(self, plan: GradingPlan):
        self.plan = plan
        self.exercises = {meta.id: meta for meta in plan.exercises}
        self.order = {meta.id: n for n, meta in enumerate(plan.exercises)}
        self.problems: list[str] = []
        self._collector = ResultCollector(plan)

    @property
    def results(self) -> list[SubmissionResult]:
        return self._collector.results

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
        return self._collector.student(nnex_submission, _exercise_of(request.node))

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest, nnex_submission: int) -> np.random.Generator:
        """Random inputs, reproducible per student and check (a regrade sees the same ones)."""
        return self._collector.rng(nnex_submission, _exercise_of(request.node),
                                   _check_name(request.node))

    @pytest.fixture
    def variant(self, request: pytest.FixtureRequest, nnex_submission: int):
        """The student's own numbers for this exercise (``nnex.variants``) and their judge."""
        return self._collector.variant(nnex_submission, _exercise_of(request.node))

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
        if is_grader_error(error):
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
            self._collector.finish_exercise(*key)
        if nextitem is None or _key(nextitem)[0] != key[0]:
            self._collector.finish_submission(key[0])

    def pytest_sessionfinish(self) -> None:
        self._collector.close()

    # -- internals ---------------------------------------------------------------------------

    def _record(self, item: pytest.Item, call: pytest.CallInfo, trace: str | None) -> None:
        self._collector.record(
            *_key(item), _check_name(item),
            call.excinfo.value if call.excinfo is not None else None,
            visibility="hidden" if item.path.name == HIDDEN_GRADER else "public",
            seconds=call.duration, trace=trace)


def _exercise_of(item: pytest.Item) -> str:
    return item.path.parent.name


def _check_name(item: pytest.Item) -> str:
    name = getattr(item, "originalname", item.name)
    return name[len("test_"):] if name.startswith("test_") else name


def _key(item: pytest.Item) -> tuple[int, str]:
    return item.callspec.params["nnex_submission"], _exercise_of(item)

"""Run graders over submissions in one pytest session and return plain results."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from nnex.course.content import Course
from nnex.errors import GraderError
from nnex.sandbox.host import WorkerHost
from nnex.course.metadata import ExerciseMeta
from nnex.grading.plugin import GradingPlan, GradingPlugin
from nnex.grading.results import SubmissionResult
from nnex.grading.student import ModuleOpener, WorkerModules
from nnex.grading.submissions import Submission

_INI = Path(__file__).with_name("grading.ini")
_ISOLATING_ENV = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_ADDOPTS": None,
                  "PYTEST_PLUGINS": None}


def run_checks(submissions: list[Submission], exercises: list[ExerciseMeta], *, course: Course,
               hidden: bool, host: WorkerHost | None = None,
               modules: ModuleOpener | None = None,
               on_result: Callable[[SubmissionResult], None] | None = None
               ) -> list[SubmissionResult]:
    """Grade ``submissions`` on ``exercises`` in one pytest session, student by student.

    Args:
        course: where the graders are.
        hidden: run the hidden checks too (instructors); False runs the public ones only.
        host: the worker host that runs student code (default: a plain, unconfined one).
        modules: where student modules come from instead of a worker host (a notebook kernel:
            ``nnex.grading.local_student.LocalModules``).
        on_result: called with each student's result as soon as it is complete.

    Returns:
        One ``SubmissionResult`` per submission, in the order given.

    Raises:
        GraderError: a grader could not be loaded or does not match its metadata.
    """
    files = [str(f) for meta in exercises for f in course.grader_files(meta.id, hidden=hidden)]
    own_host = host is None and modules is None
    if modules is None:
        host = host or WorkerHost()
        host.start()  # the zygote warms up while pytest collects
        modules = WorkerModules(host, course.exercise_ids())
    plan = GradingPlan(submissions=list(submissions), exercises=list(exercises),
                       modules=modules, on_result=on_result, course=course)
    plugin = GradingPlugin(plan)
    args = [*files, "-c", str(_INI), "--rootdir", str(course.graders_dir),
            "--confcutdir", str(course.graders_dir), "--import-mode=importlib", "-s",
            "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:stepwise",
            "-p", "no:logging", "-p", "no:unraisableexception", "-p", "no:threadexception",
            "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    try:
        with _isolated_environment():
            code = pytest.main(args, plugins=[plugin])
    finally:
        if own_host:
            host.close()
    if plugin.problems:
        raise GraderError("; ".join(plugin.problems))
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GraderError(f"pytest could not run the graders (exit code {int(code)})")
    return plugin.results


@contextmanager
def _isolated_environment() -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in _ISOLATING_ENV}
    try:
        for key, value in _ISOLATING_ENV.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

"""One nnex check run inside a notebook kernel: the code of an exported nbgrader test cell.

An exported test cell reads::

    from nnex.integrations.nbgrader.cell import run_check
    run_check("ex01_relu", "relu_lecture", globals())

``run_check`` calls that one check of nnex's graders on the names the notebook defined (through
``nnex.grading.local_student.LocalModule``, the interface graders always use). It prints a ✓ line when
the check passes and raises ``CheckNotPassed``, an AssertionError whose message is the bilingual
hint, when it does not: nbgrader's autograde then gives the cell 0 points and its feedback shows
the message. It returns None, because nbgrader reads a value returned by a test cell as partial
credit, and sends warnings and the student's stderr to stdout, because nbgrader fails a cell
that wrote to stderr.

This runs student code in the kernel, in the same process as the check, so it is for the
student's own checking (public checks, the kit's nnex) and for ``nbgrader validate``; it never
decides a grade. Grading runs the solution cells in nnex's confined worker instead: the exported
course's ``nbgrader autograde`` (``nnex.integrations.nbgrader.autograde``) and ``nnex grade --nbgrader``.
This module is part of the student kit and imports neither nbgrader nor Jupyter.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import sys
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from nnex.grading.checks import CheckFailed
from nnex.course.content import Course
from nnex.errors import GraderError
from nnex.grading.local_student import LocalModule
from nnex.course.metadata import ExerciseMeta
from nnex.grading.plugin import GRADER_FAULT
from nnex.grading.problems import StudentProblem
from nnex.render.terminal import detail_lines, points
from nnex.grading.results import ERROR, FAILED, PASSED, CheckResult


class CheckNotPassed(AssertionError):
    """The student's code did not pass a check; the message says why, Japanese first."""


class GraderFault(Exception):
    """The check itself failed (a grader bug, never the student's fault); 0 points in nbgrader."""


def run_check(exercise_id: str, check: str, namespace: dict[str, Any], *,
              course: Course | None = None) -> None:
    """Run check ``check`` of ``exercise_id`` on the functions defined in ``namespace``.

    Args:
        namespace: the notebook's ``globals()``.
        course: where the graders are (default: the installed nnex or student kit).

    Raises:
        CheckNotPassed: a wrong value, or the student's code raised, was missing or unusable.
        GraderFault: the grader itself failed (chained to the grader's exception).
        CourseError: a hidden check was asked for, but only the student kit is installed.
        GraderError: no such check, or its grader asks for fixtures nnex does not provide.
    """
    course = course or Course.installed()
    meta = course.exercise(exercise_id)
    if check not in meta.checks:
        raise GraderError(f"{exercise_id} has no check '{check}'; its checks are "
                          f"{', '.join(meta.checks)}")
    function, visibility = _grader_function(course, exercise_id, check)
    arguments = _fixtures(function, meta, check, namespace)
    info = meta.checks[check]
    result = CheckResult(name=check, title=info.title, points=0.0, max_points=info.points,
                         outcome=FAILED, visibility=visibility)
    try:
        with _quiet():
            function(**arguments)
    except CheckFailed as error:
        result.what, result.problem = error.what, error.problem
        result.expected, result.actual = error.expected, error.actual
        result.hint = meta.hint(error.hint) if error.hint else None
    except StudentProblem as problem:
        result.outcome, result.message = ERROR, problem.text
        result.hint = meta.hint(problem.hint) if problem.hint else None
    except Exception as error:  # noqa: BLE001 - anything else is the grader's fault
        raise GraderFault(f"{GRADER_FAULT} ({exercise_id}.{check}: "
                          f"{type(error).__name__}: {error})") from error
    else:
        result.outcome, result.points = PASSED, info.points
        print(check_report(result))
        return None
    raise CheckNotPassed(check_report(result)) from None


def check_report(result: CheckResult) -> str:
    """What a test cell shows for one check: ✓ or ✗, title, points and, when it did not pass,
    what went wrong and the hint (the values of hidden checks are not shown)."""
    hidden = "（隠しテスト / hidden test）" if result.visibility == "hidden" else ""
    mark = "✓" if result.outcome == PASSED else "✗"
    lines = [f"{mark} {result.title.ja} / {result.title.en}{hidden} — "
             f"{points(result.points)}/{points(result.max_points)}"]
    if result.outcome != PASSED:
        lines += detail_lines(result, show_values=result.visibility != "hidden")
    return "\n".join(lines)


def _grader_function(course: Course, exercise_id: str, check: str) -> tuple[Callable, str]:
    """The grader's ``test_<check>`` function and whether it is public or hidden."""
    public = course.grader_files(exercise_id, hidden=False)[0]
    function = getattr(_load(public, exercise_id), f"test_{check}", None)
    if function is not None:
        return function, "public"
    hidden = course.grader_files(exercise_id, hidden=True)[-1]  # CourseError in the kit
    function = getattr(_load(hidden, exercise_id), f"test_{check}", None)
    if function is None:
        raise GraderError(f"no grader defines test_{check} for {exercise_id} "
                          f"({public.name}, {hidden.name})")
    return function, "hidden"


def _load(path: Path, exercise_id: str):
    name = f"nnex_notebook_grader_{exercise_id}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # while it runs, so that dataclasses and the like resolve it
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


def _fixtures(function: Callable, meta: ExerciseMeta, check: str,
              namespace: dict[str, Any]) -> dict[str, Any]:
    """The pytest fixtures a grader takes, built as the grading plugin builds them."""
    arguments = {}
    for name in inspect.signature(function).parameters:
        if name == "student":
            arguments[name] = LocalModule(namespace, meta)
        elif name == "rng":
            # Reproducible per check, like the plugin's rng; the kernel knows no student name.
            seed = zlib.crc32(f"notebook\0{meta.id}\0test_{check}".encode())
            arguments[name] = np.random.default_rng(seed)
        else:
            raise GraderError(f"test_{check} of {meta.id} asks for fixture '{name}'; graders "
                              "may take only 'student' and 'rng'")
    return arguments


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
        warnings.simplefilter("ignore")
        yield

"""One nnex check run inside a notebook kernel: the code of an exported nbgrader test cell.

An exported test cell reads::

    from nnex.integrations.nbgrader.cell import run_check
    run_check("ex01_relu", "relu_lecture", globals())

``run_check`` calls that one check of nnex's graders on the names the notebook defined (through
``nnex.grading.local_student.LocalModule``, the interface graders always use). It prints a ✓ line
when the check passes and raises ``CheckNotPassed``, an AssertionError whose message is the
bilingual hint, when it does not: nbgrader's autograde then gives the cell 0 points and its
feedback shows the message. It returns None, because nbgrader reads a value returned by a test
cell as partial credit, and sends warnings and the student's stderr to stdout, because nbgrader
fails a cell that wrote to stderr.

This runs student code in the kernel, in the same process as the check, so it is for the
student's own checking (public checks, the kit's nnex) and for ``nbgrader validate``; it never
decides a grade. Grading runs the solution cells in nnex's confined worker instead: the exported
course's ``nbgrader autograde`` (``nnex.integrations.nbgrader.autograde``) and
``nnex grade --nbgrader``. This module is part of the student kit and imports neither nbgrader
nor Jupyter.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nnex.course.content import Course
from nnex.errors import GraderError
from nnex.grading.local_student import LocalModule
from nnex.course.metadata import ExerciseMeta
from nnex.grading.outcome import GRADER_FAULT, check_result, check_rng
from nnex.render.details import detail_lines, points
from nnex.grading.results import GRADER_ERROR, PASSED, CheckResult

NOTEBOOK_STUDENT = "notebook"
"""Who the random inputs are drawn for: the kernel knows no student's name."""


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
        GraderError: no such check, its grader asks for fixtures nnex does not provide, or
            it names a hint its exercise does not define.
    """
    course = course or Course.installed()
    meta = course.exercise(exercise_id)
    if check not in meta.checks:
        raise GraderError(f"{exercise_id} has no check '{check}'; its checks are "
                          f"{', '.join(meta.checks)}")
    function, visibility = _grader_function(course, exercise_id, check)
    arguments = _fixtures(function, meta, check, namespace, course)
    error = None
    try:
        with _quiet():
            function(**arguments)
    except Exception as raised:  # noqa: BLE001 - check_result tells whose fault it was
        error = raised
    result = check_result(meta, check, error, visibility=visibility)
    if result.outcome == GRADER_ERROR:
        raise GraderFault(f"{GRADER_FAULT} ({exercise_id}.{check}: {result.problem})") from error
    if result.outcome != PASSED:
        raise CheckNotPassed(check_report(result)) from None
    print(check_report(result))
    return None


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
    public = course.grader_files(exercise_id, hidden=False)  # with its variants' checks
    for path in public:
        function = getattr(_load(path, exercise_id), f"test_{check}", None)
        if function is not None:
            return function, "public"
    hidden = course.grader_files(exercise_id, hidden=True)[-1]  # CourseError in the kit
    function = getattr(_load(hidden, exercise_id), f"test_{check}", None)
    if function is None:
        raise GraderError(f"no grader defines test_{check} for {exercise_id} "
                          f"({', '.join(p.name for p in [*public, hidden])})")
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
              namespace: dict[str, Any], course: Course) -> dict[str, Any]:
    """The pytest fixtures a grader takes, built as the grading plugin builds them."""
    arguments = {}
    for name in inspect.signature(function).parameters:
        if name == "student":
            arguments[name] = LocalModule(namespace, meta)
        elif name == "rng":
            arguments[name] = check_rng(NOTEBOOK_STUDENT, meta.id, check)
        elif name == "variant":
            # Per-student numbers: the kernel runs in the notebook's folder, where
            # `nnex check --student ID` remembered the student (else: not known yet).
            from nnex.variants.identity import kit_identity
            from nnex.variants.student import student_variant

            arguments[name] = student_variant(course, meta, kit_identity(Path(".")))
        else:
            raise GraderError(f"test_{check} of {meta.id} asks for fixture '{name}'; graders "
                              "may take only 'student', 'rng' and 'variant'")
    return arguments


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
        warnings.simplefilter("ignore")
        yield

"""The instructor's grading of a whole class: every student, every exercise, hidden checks too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nnex.course import Course
from nnex.errors import UsageError
from nnex.host import Limits
from nnex.outputs import write_outputs
from nnex.results import SubmissionResult
from nnex.runner import run_checks
from nnex.sandbox import make_host
from nnex.submissions import discover


@dataclass
class ClassResult:
    """The results of grading one submissions folder."""

    exercise_ids: list[str]
    submissions: list[SubmissionResult]
    out: Path


def grade_class(submissions_dir: Path, out: Path, *, exercise_ids: list[str] | None = None,
                isolation: str = "auto", limits: Limits | None = None,
                course: Course | None = None,
                on_start: Callable[[int], None] | None = None,
                on_result: Callable[[SubmissionResult], None] | None = None,
                warn: Callable[[str], None] | None = None) -> ClassResult:
    """Grade every student folder in ``submissions_dir`` and write the results to ``out``.

    Args:
        exercise_ids: the exercises to grade (all when empty).
        isolation: how student code is confined ("auto", "bwrap" or "rlimits").
        limits: resource limits for student code (defaults: ``Limits()``).
        on_start: called with the number of students once they are known.
        on_result: called with each student's result as soon as it is complete.
        warn: receives warnings meant for the instructor (e.g. no sandbox).

    Raises:
        UsageError: ``out`` lies inside ``submissions_dir``, or an exercise is unknown.
        SubmissionError: ``submissions_dir`` is missing, not a folder, or empty.
    """
    course = course or Course.installed()
    exercises = course.exercises(exercise_ids)
    for meta in exercises:
        course.grader_files(meta.id, hidden=True)  # fail early in a student kit
    _check_out_folder(submissions_dir, out)
    submissions = discover(submissions_dir)
    if on_start is not None:
        on_start(len(submissions))
    host = make_host(isolation, limits, warn=warn)
    try:
        results = run_checks(submissions, exercises, course=course, hidden=True, host=host,
                             on_result=on_result)
    finally:
        host.close()
    exercise_list = [meta.id for meta in exercises]
    write_outputs(results, exercise_list, out)
    return ClassResult(exercise_ids=exercise_list, submissions=results, out=out)


def _check_out_folder(submissions_dir: Path, out: Path) -> None:
    submissions, target = submissions_dir.resolve(), out.resolve()
    if target == submissions or submissions in target.parents:
        raise UsageError(f"--out {out} is inside the submissions folder {submissions_dir}; "
                         "choose an output folder outside it")
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")

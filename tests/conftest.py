"""Shared fixtures: the installed course, and building a class of submissions on disk."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from nnex.course.content import Course
from nnex.course.settings import SETTINGS_FILE, CourseSettings, write_settings
from nnex.sandbox.host import WorkerHost
from nnex.grading.runner import run_checks
from nnex.grading.submissions import discover
from nnex.variants.identity import pick

OWN_ANSWER = "OWN_ANSWER"
"""In a test source, ``MY_ANSWER = OWN_ANSWER`` becomes the answer for its student's numbers."""


@pytest.fixture(scope="session")
def course() -> Course:
    return Course.installed()


@pytest.fixture(scope="session")
def variant_course(tmp_path_factory, course) -> Course:
    """A copy of the course with per-student numbers turned on (``settings.yaml``), as an
    instructor who opts in has it; the installed course keeps them off."""
    root = tmp_path_factory.mktemp("per-student-course")
    for part in ("exercises", "graders", "solutions"):
        shutil.copytree(getattr(course, f"{part}_dir"), root / part,
                        ignore=shutil.ignore_patterns("__pycache__"))
    write_settings(root / "exercises" / SETTINGS_FILE, CourseSettings(per_student_numbers=True))
    copy = Course(exercises_dir=root / "exercises", graders_dir=root / "graders",
                  solutions_dir=root / "solutions")
    assert copy.per_student_numbers
    return copy


def write_class(root: Path, students: dict[str, dict[str, str]]) -> Path:
    """Write ``{student: {exercise_id: source}}`` as a submissions folder under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for student, files in students.items():
        folder = root / student
        folder.mkdir()
        for exercise_id, source in files.items():
            (folder / f"{exercise_id}.py").write_text(source, encoding="utf-8")
    return root


def own_answer(exercise_id: str, student: str, course: Course) -> float:
    """The right answer for ``student``'s own numbers (``nnex.variants``) in ``course`` (with
    them on), by the reference solution."""
    meta = course.exercise(exercise_id)
    spec = importlib.util.spec_from_file_location("reference", course.solution_path(exercise_id))
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    return getattr(reference, meta.variants.function)(**pick(meta.variants, meta.id, student))


def with_own_answer(exercise_id: str, source: str, student: str, course: Course) -> str:
    """``source`` written by ``student`` in ``course``: a source with the reference solution's
    line for the per-student constant (``MY_ANSWER = …``, the content tests' student
    "reference"'s answer) or a ``MY_ANSWER = OWN_ANSWER`` placeholder gets the answer for
    ``student``'s own numbers, so a correct file (or one changed elsewhere) is correct for
    whoever submits it. Unchanged when the course has per-student numbers off."""
    if exercise_id not in course.exercise_ids() or course.exercise(exercise_id).variants is None:
        return source
    constant = course.exercise(exercise_id).variants.constant
    reference = course.solution_path(exercise_id).read_text(encoding="utf-8")
    reference_line = re.search(rf"^{constant} = .*$", reference, flags=re.M)[0]
    if not re.search(rf"^({re.escape(reference_line)}|{constant} = {OWN_ANSWER})$", source,
                     flags=re.M):
        return source
    answer = own_answer(exercise_id, student, course)
    return re.sub(rf"^{constant} = .*$", f"{constant} = {answer!r}", source, count=1,
                  flags=re.M)


def solution_sources(course: Course) -> dict[str, str]:
    """Every reference solution's source, keyed by exercise id."""
    return {e: course.solution_path(e).read_text(encoding="utf-8") for e in course.exercise_ids()}


def grade_class(course: Course, root: Path, *, hidden: bool = True, exercises=None,
                host: WorkerHost | None = None):
    """Grade every student folder under ``root``; returns {student: SubmissionResult}."""
    results = run_checks(discover(root), course.exercises(exercises), course=course,
                         hidden=hidden, host=host)
    return {r.student: r for r in results}

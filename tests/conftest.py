"""Shared fixtures: the installed course, and building a class of submissions on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnex.course.content import Course
from nnex.sandbox.host import WorkerHost
from nnex.grading.runner import run_checks
from nnex.grading.submissions import discover


@pytest.fixture(scope="session")
def course() -> Course:
    return Course.installed()


def write_class(root: Path, students: dict[str, dict[str, str]]) -> Path:
    """Write ``{student: {exercise_id: source}}`` as a submissions folder under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for student, files in students.items():
        folder = root / student
        folder.mkdir()
        for exercise_id, source in files.items():
            (folder / f"{exercise_id}.py").write_text(source, encoding="utf-8")
    return root


def solution_sources(course: Course) -> dict[str, str]:
    """Every reference solution's source, keyed by exercise id."""
    return {e: course.solution_path(e).read_text(encoding="utf-8") for e in course.exercise_ids()}


def grade_class(course: Course, root: Path, *, hidden: bool = True, exercises=None,
                host: WorkerHost | None = None):
    """Grade every student folder under ``root``; returns {student: SubmissionResult}."""
    results = run_checks(discover(root), course.exercises(exercises), course=course,
                         hidden=hidden, host=host)
    return {r.student: r for r in results}

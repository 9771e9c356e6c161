"""Classes of submissions for the grading engine's tests, built from the course's own content.

Whatever exercises are installed, the class mixes full marks, a known-wrong first exercise,
untouched stubs, a syntax error, an empty folder and names that are awkward on a command line.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

from nnex.course.content import Course
from tests.conftest import solution_sources, write_class

ENGINE_EXERCISES = Course.installed().exercise_ids()[:2]
"""What the engine's tests grade: two quick exercises (ex06 trains a network per student)."""


def class_sources(course: Course, extra: int = 0) -> dict[str, dict[str, str]]:
    """``{student: {exercise_id: source}}`` for a small, varied class (plus ``extra`` correct
    students called ``extra00`` …)."""
    solutions = solution_sources(course)
    first = course.exercise_ids()[0]
    wrong = importlib.import_module(f"tests.catalogue.{first}").WRONG[0].source
    stubs = {e: course.stub_path(e).read_text(encoding="utf-8") for e in course.exercise_ids()}
    students = {
        "alice": solutions,
        "bob": {**solutions, first: wrong},
        "carol": stubs,
        "dave": {**solutions, first: "def broken(:\n"},
        "erin": {},
        "山田_太郎": solutions,
        "-dash": {**solutions, first: wrong},
    }
    students.update({f"extra{n:02d}": solutions for n in range(extra)})
    return students


def build_class(course: Course, root: Path, extra: int = 0) -> Path:
    """Write ``class_sources`` under ``root``; returns ``root``."""
    return write_class(root, class_sources(course, extra))


def without_timings(scores_csv: str) -> list[list[str]]:
    """The rows of a scores.csv without its ``seconds`` column."""
    return [line.split(",")[:5] for line in scores_csv.splitlines()]


def gradebook_rows(path: Path) -> dict[str, list[tuple]]:
    """Every student-level row of a gradebook, without ids, run ids or timings."""
    with sqlite3.connect(path) as db:
        return {
            "students": db.execute("SELECT name FROM students ORDER BY name").fetchall(),
            "submissions": db.execute(
                "SELECT st.name, s.fingerprint, s.score, s.max_score FROM submissions s "
                "JOIN students st USING (student_id) ORDER BY st.name").fetchall(),
            "run_results": db.execute(
                "SELECT st.name, rr.reused FROM run_results rr JOIN students st "
                "USING (student_id) ORDER BY st.name").fetchall(),
            "exercise_results": db.execute(
                "SELECT st.name, e.exercise, e.score, e.max_score, e.status, e.reason "
                "FROM exercise_results e JOIN submissions s USING (submission_id) "
                "JOIN students st USING (student_id) ORDER BY 1, 2").fetchall(),
            "check_results": db.execute(
                "SELECT st.name, c.exercise, c.check_name, c.visibility, c.outcome, c.points, "
                "c.max_points, c.hint_key, c.kind, c.what, c.problem, c.expected, c.actual "
                "FROM check_results c JOIN submissions s USING (submission_id) "
                "JOIN students st USING (student_id) ORDER BY 1, 2, 3").fetchall(),
            "latest_results": db.execute(
                "SELECT student, exercise, score, max_score, status FROM latest_results "
                "ORDER BY 1, 2").fetchall(),
        }

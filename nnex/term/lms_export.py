"""``nnex export``: the term's final grades as the file an LMS gradebook imports.

``canvas``  Canvas gradebook CSV: ``Student, ID, SIS User ID, SIS Login ID, Section`` and one
            column per assignment (the exercise id), then a ``Points Possible`` row. ``ID`` is
            the Canvas user id (roster ``lms_id``), ``SIS User ID`` the roster's
            ``student_id``, ``SIS Login ID`` its ``email``. Canvas matches rows by these ids.
``moodle``  Moodle grade import CSV: ``ID number, Email address, Full name`` and one column per
            exercise; in "Import grades → CSV file" map "ID number" (or the e-mail address) to
            the user field of the same name and each exercise to its grade item.
``csv``     ``student_id, name, email, section``, one column per exercise, ``total``.

Each exercise's column is headed by its id unless ``columns`` names it otherwise: Canvas
updates an existing assignment when the header is the gradebook's own ``Name (assignment id)``
(as in Canvas's gradebook export) and adds a new assignment otherwise; in Moodle the column
is mapped to a grade item by hand.

Scores are final: after the late policy and manual overrides. Rows follow the roster; a
roster student with no submission gets 0. A folder not on the roster is not exported.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from nnex.errors import UsageError
from nnex.render import names
from nnex.term.gradesheet import TermGrades, term_grades
from nnex.classgrade.layout import OutputLayout

EXPORT_FORMATS = ("canvas", "moodle", "csv")


def export_grades(out: Path, *, to: str, columns: dict[str, str] | None = None) -> str:
    """The text of ``out``'s grades in the format ``to``.

    Args:
        columns: a header for some exercises' columns (``{"ex01_relu": "Lab 1 (1234)"}``).

    Raises:
        UsageError: an unknown format, ``out`` was graded without a roster, or ``columns``
            names an exercise that was not graded.
        TermError, GradebookError: the roster or the gradebook cannot be read.
    """
    if to not in EXPORT_FORMATS:
        raise UsageError(f"--to {to}: choose one of {', '.join(EXPORT_FORMATS)}")
    grades = term_grades(out) if OutputLayout(out).roster.exists() else None
    if grades is None or grades.roster is None:
        raise UsageError(f"{out}: graded without a roster; run nnex grade --roster "
                         "roster.csv first (exports use the roster's ids)")
    for exercise in columns or {}:
        if exercise not in grades.exercises:
            raise UsageError(f"--column {exercise}=…: {exercise} was not graded in {out} "
                             f"(graded: {', '.join(grades.exercises)})")
    headers = [(columns or {}).get(e, e) for e in grades.exercises]
    return {"canvas": canvas_csv, "moodle": moodle_csv, "csv": plain_csv}[to](grades, headers)


def canvas_csv(grades: TermGrades, headers: list[str]) -> str:
    """Canvas's gradebook import CSV."""
    rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *headers],
            ["Points Possible", "", "", "", "", *(_max(grades, e) for e in grades.exercises)]]
    for student in grades.roster.students:
        rows.append([student.name, student.lms_id, student.student_id, student.email,
                     student.section, *_scores(grades, student.student_id)])
    return _csv(rows)


def moodle_csv(grades: TermGrades, headers: list[str]) -> str:
    """Moodle's grade import CSV, keyed by ID number."""
    rows = [["ID number", "Email address", "Full name", *headers]]
    for student in grades.roster.students:
        rows.append([student.student_id, student.email, student.name,
                     *_scores(grades, student.student_id)])
    return _csv(rows)


def plain_csv(grades: TermGrades, headers: list[str]) -> str:
    """The roster's columns, the exercises' final scores and the total."""
    rows = [["student_id", "name", "email", "section", *headers, "total"]]
    for student in grades.roster.students:
        rows.append([student.student_id, student.name, student.email, student.section,
                     *_scores(grades, student.student_id),
                     f"{grades.total(student.student_id):g}"])
    return _csv(rows)


def _scores(grades: TermGrades, student_id: str) -> list[str]:
    scores = {row.exercise: f"{row.score:g}" for row in grades.rows.get(student_id, [])}
    return [scores.get(exercise, "0") for exercise in grades.exercises]


def _max(grades: TermGrades, exercise: str) -> str:
    return next((f"{row.max_score:g}" for rows in grades.rows.values() for row in rows
                 if row.exercise == exercise), "")


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[names.csv_cell(cell) for cell in row] for row in rows])
    return buffer.getvalue()

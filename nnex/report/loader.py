"""Reading a graded output folder back into results.

It reads ``OUT/scores.csv`` (the roster, one row per student × exercise) and
``OUT/results/<student>.json`` (``SubmissionResult.to_dict``), where ``OutputLayout`` puts them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from nnex.classgrade.layout import OutputLayout
from nnex.render import names
from nnex.errors import ReportError
from nnex.grading.results import SubmissionResult


def load_class(out: Path) -> list[SubmissionResult]:
    """Every student's result in the graded folder ``out``, in the roster's order.

    Args:
        out: a folder written by ``nnex grade --out OUT``.

    Returns:
        One ``SubmissionResult`` per student: in ``scores.csv`` order when it exists, else
        sorted by student name.

    Raises:
        ReportError: ``out`` or ``out/results`` is missing, holds no results or no graded
            exercise, a results file is unreadable, or ``scores.csv`` and the results files
            name different students.
    """
    if not out.is_dir():
        raise ReportError(f"{out}: no such folder; grade first with "
                          f"`nnex grade SUBMISSIONS --out {out}`")
    layout = OutputLayout(out)
    results_dir = layout.results
    files = sorted(results_dir.glob("*.json")) if results_dir.is_dir() else []
    if not files:
        raise ReportError(f"{results_dir}: no per-student results (<student>.json) to report "
                          f"on; grade again with `nnex grade SUBMISSIONS --out {out}`")
    by_student: dict[str, SubmissionResult] = {}
    for path in files:
        result = _read_result(path)
        if result.student in by_student:
            raise ReportError(f"{path}: student {result.student!r} appears in two results "
                              "files; remove the stale one and run the report again")
        by_student[result.student] = result
    if not any(result.exercises for result in by_student.values()):
        raise ReportError(f"{results_dir}: no exercise was graded for any student; grade "
                          f"again with `nnex grade SUBMISSIONS --out {out}`")
    roster = _roster(layout.scores_csv)
    if roster is None:
        return [by_student[name] for name in sorted(by_student)]
    cells = {names.csv_cell(name): name for name in by_student}  # how scores.csv shows names
    roster = [cells.get(cell, cell) for cell in roster]
    # A student graded on no exercise has no row in the long-format scores.csv.
    rowless = sorted(name for name, result in by_student.items()
                     if not result.exercises and name not in roster)
    _check_same_students(layout, roster, set(by_student) - set(rowless))
    return [by_student[name] for name in roster + rowless]


def _read_result(path: Path) -> SubmissionResult:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportError(f"{path}: cannot read the results file ({error}); grade this "
                          "student again") from None
    if not isinstance(data, dict):
        raise ReportError(f"{path}: not a results file (expected a JSON object)")
    try:
        return SubmissionResult.from_dict(data)
    except ValueError as error:  # schema_version mismatch
        raise ReportError(f"{path}: {error}; use the nnex that graded this folder") from None
    except (KeyError, TypeError) as error:
        raise ReportError(f"{path}: not a results file (bad or missing field {error})") from None


def _roster(scores: Path) -> list[str] | None:
    """The students named in ``scores.csv``, first appearance first; None when it is absent."""
    if not scores.is_file():
        return None
    with scores.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or "student" not in reader.fieldnames:
            raise ReportError(f"{scores}: no 'student' column; is this a nnex scores file?")
        # A roster student with no submission (nnex.term) has rows but no results to report.
        return list(dict.fromkeys(row["student"] for row in reader
                                  if row.get("status") != "no_submission"))


def _check_same_students(layout: OutputLayout, roster: list[str], graded: set[str]) -> None:
    missing = [name for name in roster if name not in graded]
    extra = sorted(graded - set(roster))
    if missing:
        raise ReportError(f"{layout.results}: no results file for {_names(missing)} listed "
                          f"in {layout.scores_csv.name}; grade the class again")
    if extra:
        raise ReportError(f"{layout.scores_csv}: no rows for {_names(extra)} found in "
                          f"{layout.results.name}/; grade the class again")


def _names(names: list[str]) -> str:
    shown = ", ".join(repr(name) for name in names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")

"""Manual adjustments (``nnex override``): kept in the gradebook with who, when and why.

An override sets the points of one student's exercise. Every override is kept; the newest
for a student and exercise applies, over the raw score and the late policy, in every run after
it: a regrade never replaces it (``nnex grade`` says when one still applies over a changed
score). A CSV of them has the columns ``student, exercise, points, reason``.
"""

from __future__ import annotations

import csv
import getpass
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from nnex.classgrade.gradebook import open_gradebook
from nnex.classgrade.layout import OutputLayout
from nnex.errors import TermError, UsageError

OVERRIDE_COLUMNS = ("student", "exercise", "points", "reason")


@dataclass(frozen=True)
class Override:
    """One manual adjustment."""

    student: str
    exercise: str
    points: float
    reason: str
    who: str = ""
    at: str = ""
    """When it was recorded, ISO 8601 UTC."""


def add_overrides(out: Path, overrides: list[Override], *,
                  who: str | None = None) -> list[Override]:
    """Record ``overrides`` in ``out``'s gradebook (all or none); returns them as stored.

    Raises:
        UsageError: ``out`` has no gradebook (grade the class first).
        TermError: a student or exercise the gradebook does not know, points outside
            0..max_score, an empty reason.
        GradebookError: the gradebook is unusable.
    """
    path = OutputLayout(out).gradebook
    if not path.exists():
        raise UsageError(f"{out}: no {OutputLayout(out).gradebook.name}; grade the class with "
                         "nnex grade --out first")
    who = who or getpass.getuser()
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    stored = [Override(o.student, o.exercise, o.points, o.reason.strip(), who, at)
              for o in overrides]
    with closing(open_gradebook(path)) as db, db:
        for override in stored:
            _check(db, override)
            db.execute("INSERT INTO overrides (student, exercise, points, reason, who, at) "
                       "VALUES (?,?,?,?,?,?)", (override.student, override.exercise,
                                                override.points, override.reason, who, at))
    return stored


def current_overrides(db: sqlite3.Connection) -> dict[tuple[str, str], Override]:
    """The override that applies to each (student, exercise): the newest recorded."""
    rows = db.execute("SELECT student, exercise, points, reason, who, at FROM overrides "
                      "ORDER BY override_id").fetchall()
    return {(row[0], row[1]): Override(*row) for row in rows}


def all_overrides(db: sqlite3.Connection) -> list[Override]:
    """Every override ever recorded, oldest first (the report lists them)."""
    return [Override(*row) for row in db.execute(
        "SELECT student, exercise, points, reason, who, at FROM overrides ORDER BY override_id")]


def read_overrides_csv(path: Path) -> list[Override]:
    """The overrides of a CSV file (``student, exercise, points, reason``).

    Raises:
        TermError: missing, a column missing, points that are not a number.
    """
    try:
        rows = list(csv.DictReader(path.read_bytes().decode("utf-8-sig").splitlines()))
    except FileNotFoundError:
        raise TermError(f"{path}: no such overrides file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TermError(f"{path}: cannot be read as UTF-8 CSV ({exc})") from None
    found = []
    for line, row in enumerate(rows, start=2):
        if any(row.get(column) is None for column in OVERRIDE_COLUMNS):
            raise TermError(f"{path}, row {line}: needs the columns "
                            f"{', '.join(OVERRIDE_COLUMNS)}")
        found.append(Override(row["student"].strip(), row["exercise"].strip(),
                              parse_points(row["points"], f"{path}, row {line}"),
                              row["reason"]))
    return found


def parse_points(text: str, where: str) -> float:
    """A number of points. Raises TermError otherwise."""
    try:
        return float(text)
    except ValueError:
        raise TermError(f"{where}: points '{text}' is not a number") from None


def _check(db: sqlite3.Connection, override: Override) -> None:
    where = f"override {override.student} {override.exercise}"
    if not override.reason:
        raise TermError(f"{where}: give a --reason (it is kept with the override)")
    if not db.execute("SELECT 1 FROM latest_results WHERE student = ?",
                      (override.student,)).fetchone():
        raise TermError(f"{where}: no student '{override.student}' in the gradebook; use the "
                        "name of their submission folder")
    row = db.execute("SELECT max_score FROM latest_results WHERE student = ? AND exercise = ?",
                     (override.student, override.exercise)).fetchone()
    if row is None:
        raise TermError(f"{where}: exercise '{override.exercise}' was not graded for "
                        f"'{override.student}'")
    if not 0 <= override.points <= row[0]:
        raise TermError(f"{where}: {override.points:g} points is outside 0..{row[0]:g}")

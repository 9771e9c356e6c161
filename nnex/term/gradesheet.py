"""A graded folder's term grades: raw score → late policy → override, with the roster.

``apply_term`` runs after ``nnex grade``: it records the late policy's decisions in the
gradebook, copies the roster into OUT, and rewrites ``scores.csv``, ``grades.csv`` and the
feedback notes from the gradebook. ``refresh_term_files`` does the rewrite alone (after
``nnex override``). Both leave a folder graded without roster, policy or override as it was.

Columns when the term is in use (README "The instructor's term"): ``scores.csv`` gains
``raw_score, days_late, late_penalty, override, override_reason`` after the usual six
(``score`` is the final one; status ``no_submission`` for a roster student with no folder);
``grades.csv`` gains ``name, section`` after ``student`` (with a roster) and holds final scores.
"""

from __future__ import annotations

import csv
import io
import shutil
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nnex.classgrade.gradebook import open_gradebook
from nnex.classgrade.layout import OutputLayout
from nnex.classgrade.outputs import SCORES_COLUMNS, read_manifest
from nnex.files import write_atomic
from nnex.render import names
from nnex.term.late import LateDecision, LatePolicy, apply_policy, read_policy
from nnex.term.feedback_notes import write_feedback_notes
from nnex.term.lms_import import read_times
from nnex.term.overrides import Override, all_overrides, current_overrides
from nnex.term.roster import Roster, compare_with_folders, read_roster

TERM_SCORE_COLUMNS = [*SCORES_COLUMNS, "raw_score", "days_late", "late_penalty", "override",
                      "override_reason"]
"""The late policy's copy in a graded output folder (what later gradings of it apply)."""
NO_SUBMISSION = "no_submission"
"""The status of a roster student's exercise when they have no submission folder at all."""


@dataclass
class GradeRow:
    """One student's exercise in the term's grades."""

    student: str
    exercise: str
    max_score: float
    status: str
    seconds: float
    raw_score: float
    days_late: int = 0
    penalty: float = 0
    late_note: str = ""
    override: Override | None = None

    @property
    def score(self) -> float:
        """The final score: the override's points, else the raw score after the policy."""
        if self.override is not None:
            return self.override.points
        return round(self.raw_score * (1 - self.penalty), 6)


@dataclass
class TermGrades:
    """Every student's rows, the exercises and what the instructor should know."""

    exercises: list[str]
    rows: dict[str, list[GradeRow]]
    """By student, sorted; roster students without a submission have ``no_submission`` rows."""
    roster: Roster | None = None
    warnings: list[str] = field(default_factory=list)

    def total(self, student: str) -> float:
        return sum(row.score for row in self.rows[student])


@dataclass
class TermSummary:
    """What the class report lists about the term: every override and who sent nothing."""

    overrides: list[Override]
    """Every override recorded, oldest first (the newest per student and exercise applies)."""
    no_submission: list[str]
    """Roster students without a submission folder."""


def term_summary(out: Path) -> TermSummary | None:
    """The term's part of ``out``'s class report (None: no roster and no override)."""
    if not (OutputLayout(out).gradebook).exists():
        return None
    with closing(open_gradebook(OutputLayout(out).gradebook)) as db:
        overrides = all_overrides(db)
    grades = term_grades(out)
    absent = [student for student, rows in grades.rows.items()
              if rows and all(row.status == NO_SUBMISSION for row in rows)] if grades else []
    if not overrides and not absent:
        return None
    return TermSummary(overrides=overrides, no_submission=absent)


def check_term_inputs(out: Path, submissions_dir: Path, *, roster_path: Path | None = None,
                      policy_path: Path | None = None) -> None:
    """Fail before any grading when the roster, the late policy (given, or kept in ``out``
    by an earlier grading) or the submission times it needs are unusable.

    Raises:
        TermError: one of them is missing or malformed.
    """
    if roster_path is not None:
        read_roster(roster_path)
    policy_path = policy_path or _kept_policy(out)
    if policy_path is not None:
        read_policy(policy_path)
        read_times(submissions_dir)


def apply_term(out: Path, submissions_dir: Path, *, roster_path: Path | None = None,
               policy_path: Path | None = None) -> TermGrades | None:
    """Apply the roster and the late policy to ``out``'s latest grading; rewrite its files.

    ``roster_path`` and ``policy_path`` are copied into ``out`` (``roster.csv``,
    ``late.yaml``) and used by every later grading of ``out`` (delete the copy to stop). The
    policy applies to the times ``nnex import`` recorded in ``submissions_dir/submitted.csv``.
    Returns None (and changes nothing) when there is no roster, no policy and no override.

    Raises:
        TermError: the roster, the policy or the submission times are malformed.
        GradebookError: the gradebook is unusable.
    """
    check_term_inputs(out, submissions_dir, roster_path=roster_path, policy_path=policy_path)
    if roster_path is not None:
        shutil.copyfile(roster_path, OutputLayout(out).roster)
    if policy_path is not None:
        shutil.copyfile(policy_path, OutputLayout(out).late_policy)
    kept = _kept_policy(out)
    if kept is not None:
        _record_late(out, read_policy(kept), read_times(submissions_dir))
    return refresh_term_files(out)


def _kept_policy(out: Path) -> Path | None:
    return OutputLayout(out).late_policy if (OutputLayout(out).late_policy).is_file() else None


def carry_term(shards: list[Path], out: Path) -> TermGrades | None:
    """After ``nnex merge``: the shards' roster into ``out``, then its term files rewritten
    (the gradebook merge already carried the late decisions and overrides)."""
    for shard in shards:
        if (OutputLayout(shard).roster).exists():
            shutil.copyfile(OutputLayout(shard).roster, OutputLayout(out).roster)
            break
    return refresh_term_files(out)


def refresh_term_files(out: Path) -> TermGrades | None:
    """Rewrite scores.csv, grades.csv and the feedback notes of ``out`` from its gradebook."""
    grades = term_grades(out)
    if grades is None:
        return None
    write_atomic(OutputLayout(out).scores_csv, term_scores_csv(grades))
    write_atomic(OutputLayout(out).grades_csv, term_grades_csv(grades))
    write_feedback_notes(out, grades)
    return grades


def term_grades(out: Path) -> TermGrades | None:
    """The term grades of ``out`` (None: no roster, late policy or override applies)."""
    if not (OutputLayout(out).gradebook).exists():
        return None
    roster_file = OutputLayout(out).roster
    roster = read_roster(roster_file) if roster_file.exists() else None
    with closing(open_gradebook(OutputLayout(out).gradebook)) as db:
        latest = db.execute(
            "SELECT l.student, l.exercise, l.max_score, l.status, e.seconds, l.score, "
            "lr.days_late, lr.penalty, lr.due, lr.submitted_at, lr.extended FROM latest_results l "
            "JOIN exercise_results e USING (submission_id, exercise) "
            "LEFT JOIN late_results lr ON lr.run_id = l.run_id AND lr.student = l.student "
            "AND lr.exercise = l.exercise ORDER BY l.student, l.exercise").fetchall()
        overrides = current_overrides(db)
        policy_used = any(row[6] is not None for row in latest)
    if roster is None and not policy_used and not overrides:
        return None
    rows: dict[str, list[GradeRow]] = {}
    exercises: list[str] = []
    for (student, exercise, max_score, status, seconds, raw, days, penalty, due,
         submitted, extended) in latest:
        if exercise not in exercises:
            exercises.append(exercise)
        row = GradeRow(student, exercise, max_score, status, seconds, raw, days or 0,
                       penalty or 0, override=overrides.get((student, exercise)))
        if due is not None:
            row.late_note = LateDecision(raw, round(raw * (1 - row.penalty), 6),
                                         datetime.fromisoformat(due),
                                         submitted and datetime.fromisoformat(submitted),
                                         row.days_late, row.penalty, bool(extended)).note()
        rows.setdefault(student, []).append(row)
    grades = TermGrades(exercises=exercises, rows=rows, roster=roster)
    manifest = read_manifest(out)
    if roster is not None:
        missing, unknown = compare_with_folders(roster, list(rows))
        if manifest is not None and manifest.shard:
            missing = []  # the other shards hold them: nnex merge lists who sent nothing
        for student in missing:
            rows[student] = [GradeRow(student, e, _max_score(rows, e), NO_SUBMISSION, 0, 0)
                             for e in exercises]
        grades.warnings += [f"{name}: a submission folder not on the roster; graded, but left "
                            "out of every export (add the student to roster.csv or remove "
                            "the folder)" for name in unknown]
    grades.rows = dict(sorted(rows.items()))
    grades.warnings += [
        f"{row.student} {row.exercise}: the manual override ({row.override.points:g} points, "
        f"{row.override.reason}; {row.override.who}) still applies over the graded "
        f"{row.raw_score:g}" for student_rows in grades.rows.values() for row in student_rows
        if row.override is not None and row.override.points != row.raw_score]
    return grades


def term_scores_csv(grades: TermGrades) -> str:
    """scores.csv with the term's columns (one row per student × exercise)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TERM_SCORE_COLUMNS)
    for student, rows in grades.rows.items():
        for row in rows:
            override = row.override
            writer.writerow([names.csv_cell(student), row.exercise, f"{row.score:g}",
                             f"{row.max_score:g}", row.status, f"{row.seconds:.3f}",
                             f"{row.raw_score:g}", row.days_late, f"{row.penalty:g}",
                             "" if override is None else f"{override.points:g}",
                             "" if override is None else
                             f"{override.reason} ({override.who}, {override.at})"])
    return buffer.getvalue()


def term_grades_csv(grades: TermGrades) -> str:
    """grades.csv with final scores (and the roster's name and section)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    extra = ["name", "section"] if grades.roster else []
    writer.writerow(["student", *extra, *grades.exercises, "total"])
    for student, rows in grades.rows.items():
        known = grades.roster.by_id(student) if grades.roster else None
        who = [names.csv_cell(known.name), known.section] if known else ["", ""]
        scores = {row.exercise: f"{row.score:g}" for row in rows}
        writer.writerow([names.csv_cell(student), *(who if extra else []),
                         *(scores.get(e, "") for e in grades.exercises),
                         f"{grades.total(student):g}"])
    return buffer.getvalue()


def _record_late(out: Path, policy: LatePolicy, submitted_at: dict[str, datetime]) -> None:
    with closing(open_gradebook(OutputLayout(out).gradebook)) as db, db:
        run_id = db.execute("SELECT max(run_id) FROM runs").fetchone()[0]
        rows = db.execute("SELECT st.name, e.exercise, e.score FROM run_results rr "
                          "JOIN students st USING (student_id) "
                          "JOIN exercise_results e USING (submission_id) "
                          "WHERE rr.run_id = ?", (run_id,)).fetchall()
        db.execute("DELETE FROM late_results WHERE run_id = ?", (run_id,))
        for student, exercise, raw in rows:
            when = submitted_at.get(student)
            decision = apply_policy(policy, student, exercise, raw, when)
            db.execute("INSERT INTO late_results VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (run_id, student, exercise, raw, when and when.isoformat(),
                        decision.due.isoformat(), int(decision.extended), decision.days_late,
                        decision.penalty, decision.score))


def _max_score(rows: dict[str, list[GradeRow]], exercise: str) -> float:
    return next((r.max_score for student_rows in rows.values() for r in student_rows
                 if r.exercise == exercise), 0)

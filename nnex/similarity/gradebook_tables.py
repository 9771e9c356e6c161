"""Keeping the leads in a graded folder's gradebook: its similarity tables, replaced whole.

The tables (``similarity_run``, ``similar_pairs``, ``same_wrong_answers``, ``same_wrong_values``;
their columns in ``nnex.classgrade.gradebook``) hold what ``similarity.csv`` and
``identical-wrong-answers.csv`` hold, with the students' names as given (not as CSV cells):
the leads of the last run only, never a history, as the page and the CSV files are.
"""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

from nnex.classgrade.gradebook import open_gradebook
from nnex.similarity.find import SimilarityFindings

TABLES = ("similarity_run", "similar_pairs", "same_wrong_answers", "same_wrong_values")


def record_leads(path: Path, findings: SimilarityFindings, *, shown: int) -> None:
    """Replace the gradebook's similarity tables with ``findings`` in one transaction.

    Args:
        path: an existing gradebook (``OUT/gradebook.sqlite``); migrated when older.
        findings: the leads.
        shown: how many of each exercise's most alike pairs to keep, as in the CSV.

    Raises:
        GradebookError: the gradebook is unusable.
    """
    at = findings.made_at
    with closing(open_gradebook(path)) as db, db:
        for table in TABLES:
            db.execute(f"DELETE FROM {table}")
        graded_run = db.execute("SELECT max(run_id) FROM runs").fetchone()[0]
        db.execute("INSERT INTO similarity_run VALUES (?,?,?,?,?,?,?)",
                   (at, graded_run, json.dumps(findings.exercises), findings.students, shown,
                    int(bool(findings.wrong_answers)), findings.seconds))
        db.executemany("INSERT INTO similar_pairs VALUES (?,?,?,?,?,?,?,?)", [
            (exercise, rank, pair.student_a, pair.student_b, pair.score, pair.overlap.share_a,
             pair.overlap.share_b, at)
            for exercise in findings.exercises
            for rank, pair in enumerate(findings.pairs[exercise][:shown], start=1)])
        for exercise, summary in findings.wrong_answers.items():
            for rank, cluster in enumerate(summary.clusters, start=1):
                db.executemany("INSERT INTO same_wrong_answers VALUES (?,?,?,?,?)", [
                    (exercise, rank, student, len(cluster.values), at)
                    for student in cluster.students])
                db.executemany("INSERT INTO same_wrong_values VALUES (?,?,?,?,?,?,?,?)", [
                    (exercise, rank, value.check, value.what, value.actual, value.hint_key,
                     count, at) for value, count in zip(cluster.values, cluster.reached_by)])

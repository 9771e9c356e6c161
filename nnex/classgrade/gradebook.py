"""The SQLite gradebook (``OUT/gradebook.sqlite``): every run's results, kept and queryable.

Each ``nnex grade`` adds one run; nothing is ever overwritten, so regrades and history stay.
A *submission* row is one grading of one student's files; a run that reuses an unchanged
student's earlier result points at that same row (``run_results.reused = 1``). ``nnex merge``
unions shard gradebooks (runs by ``run_uuid``, gradings by ``result_id``).

Schema (``meta.schema_version`` = 3; an older gradebook is migrated when opened for writing,
one version at a time, by adding the tables of each later version: 2 the term tables, 3 the
similarity leads; the SQL of each version is ``nnex.classgrade.gradebook_schema``)::

    meta(key TEXT PRIMARY KEY, value TEXT)            -- schema_version
    runs(run_id INTEGER PRIMARY KEY, run_uuid TEXT UNIQUE, started_at TEXT, finished_at TEXT,
         nnex_version TEXT, grader_version TEXT, exercises TEXT,   -- JSON list of ids
         shard TEXT,                                               -- 'K/N', NULL: whole class
         isolation TEXT, workers INTEGER, submissions_dir TEXT)
    students(student_id INTEGER PRIMARY KEY, name TEXT UNIQUE)     -- the folder name as given
    submissions(submission_id INTEGER PRIMARY KEY, result_id TEXT UNIQUE,
         student_id INTEGER REFERENCES students, fingerprint TEXT, graded_at TEXT,
         score REAL, max_score REAL, seconds REAL,
         result_json TEXT)                                 -- the full SubmissionResult.to_dict()
    run_results(run_id INTEGER REFERENCES runs, student_id INTEGER REFERENCES students,
         submission_id INTEGER REFERENCES submissions, reused INTEGER,  -- 1: not regraded
         PRIMARY KEY (run_id, student_id))
    exercise_results(submission_id INTEGER REFERENCES submissions, exercise TEXT,
         score REAL, max_score REAL,
         status TEXT,          -- graded | not_attempted | missing | not_loadable | grader_error
         seconds REAL, reason TEXT,                        -- why not loadable ('ja / en')
         PRIMARY KEY (submission_id, exercise))
    check_results(submission_id INTEGER REFERENCES submissions, exercise TEXT, check_name TEXT,
         visibility TEXT,      -- public | hidden
         outcome TEXT,         -- passed | failed | error | grader_error
         points REAL, max_points REAL, hint_key TEXT, kind TEXT, what TEXT, problem TEXT,
         expected TEXT, actual TEXT, seconds REAL,
         PRIMARY KEY (submission_id, exercise, check_name))
    VIEW latest_results(student, exercise, score, max_score, status, run_id, submission_id)
         -- each student's exercises as graded by the latest run that included them
    -- schema 2 (nnex.term): written by nnex.term, never by a regrade
    late_results(run_id INTEGER REFERENCES runs, student TEXT, exercise TEXT,
         raw_score REAL, submitted_at TEXT, due TEXT,
         extended INTEGER,     -- 1: the due date is the student's extension
         days_late INTEGER, penalty REAL,         -- fraction of the points taken off (0.1 = 10 %)
         score REAL,           -- after the late policy
         PRIMARY KEY (run_id, student, exercise))
    overrides(override_id INTEGER PRIMARY KEY, student TEXT, exercise TEXT, points REAL,
         reason TEXT, who TEXT, at TEXT)  -- manual adjustments; the newest per pair applies
    -- schema 3 (nnex.similarity): the leads of the last nnex similarity (or grade --similarity)
    -- into this folder, replaced whole by the next; never written by grading, not merged
    similarity_run(run_at TEXT, graded_run_id INTEGER,  -- the newest grading run then, or NULL
         exercises TEXT,                                   -- JSON list of the ids compared
         students INTEGER, pairs_shown INTEGER,           -- pairs kept per exercise (--pairs)
         wrong_answers INTEGER, seconds REAL)              -- 1: identical wrong answers compared
    similar_pairs(exercise TEXT, rank INTEGER, student_a TEXT, student_b TEXT,
         score REAL, share_a REAL, share_b REAL,           -- as in similarity.csv, 0-1
         run_at TEXT, PRIMARY KEY (exercise, rank))
    same_wrong_answers(exercise TEXT, cluster INTEGER,    -- cluster: its rank, 1 = most shared
         student TEXT, shared_values INTEGER, run_at TEXT,
         PRIMARY KEY (exercise, cluster, student))
    same_wrong_values(exercise TEXT, cluster INTEGER, check_name TEXT, what TEXT,
         actual TEXT, hint_key TEXT, reached_by INTEGER,  -- students of the class who got it
         run_at TEXT, PRIMARY KEY (exercise, cluster, check_name))
    -- student names are the folder names as given (students.name), not the CSV's cells

Example: ``SELECT hint_key, count(*) FROM check_results JOIN run_results USING
(submission_id) WHERE run_id = (SELECT max(run_id) FROM runs) AND outcome != 'passed'
GROUP BY hint_key ORDER BY 2 DESC`` — the class's most common mistakes in the last run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from nnex.classgrade import gradebook_schema
from nnex.classgrade.gradebook_schema import (CORE_TABLES, READABLE_VERSIONS,
                                              SCHEMA_VERSION)
from nnex.classgrade.records import ResultRecord
from nnex.errors import GradebookError
from nnex.grading.results import SubmissionResult

@dataclass
class RunInfo:
    """One ``nnex grade`` as the gradebook records it."""

    run_uuid: str
    started_at: str
    finished_at: str
    nnex_version: str
    grader_version: str
    exercises: list[str]
    shard: str | None
    isolation: str | None
    workers: int
    submissions_dir: str


def check_gradebook(path: Path) -> None:
    """Fail early, before any grading, when ``path`` exists but is not a usable gradebook.

    Raises:
        GradebookError: unreadable, not SQLite, damaged, or from another nnex version.
    """
    if path.exists():
        with closing(_connect(path, read_only=True)) as db:
            _check(db, path)


def record_run(path: Path, run: RunInfo, records: Iterable[tuple[ResultRecord, bool]]) -> int:
    """Add one run and its students' results (``(record, reused)`` pairs) in one transaction.

    Creates the gradebook when it does not exist. Returns the new run's ``run_id``.

    Raises:
        GradebookError: the gradebook is unusable (see ``check_gradebook``).
    """
    with closing(_open(path)) as db:
        try:
            with db:
                run_id = _insert_run(db, run)
                for record, reused in records:
                    student_id = _student_id(db, record.student)
                    submission_id = _submission_id(db, record, student_id)
                    db.execute("INSERT INTO run_results VALUES (?, ?, ?, ?)",
                               (run_id, student_id, submission_id, int(reused)))
        except sqlite3.DatabaseError as exc:
            raise _unusable(path, exc) from None
    return run_id


def merge_gradebooks(sources: list[Path], target: Path) -> None:
    """Add every run and grading of ``sources`` that ``target`` lacks, in one transaction.

    Raises:
        GradebookError: a source or the target is unusable.
    """
    with closing(_open(target)) as db:
        try:
            with db:
                for source in sources:
                    with closing(_connect(source, read_only=True)) as src:
                        _check(src, source)
                        _copy_history(src, db)
        except sqlite3.DatabaseError as exc:
            raise _unusable(target, exc) from None


def _copy_history(src: sqlite3.Connection, db: sqlite3.Connection) -> None:
    src.row_factory = sqlite3.Row
    term = bool(src.execute("SELECT 1 FROM sqlite_master WHERE name = 'overrides'").fetchone())
    for run in src.execute("SELECT * FROM runs ORDER BY run_id").fetchall():
        if db.execute("SELECT 1 FROM runs WHERE run_uuid = ?", (run["run_uuid"],)).fetchone():
            continue
        info = RunInfo(**{k: run[k] for k in RunInfo.__dataclass_fields__ if k != "exercises"},
                       exercises=json.loads(run["exercises"]))
        run_id = _insert_run(db, info)
        rows = src.execute("SELECT st.name, s.*, rr.reused FROM run_results rr "
                           "JOIN students st USING (student_id) "
                           "JOIN submissions s USING (submission_id) "
                           "WHERE rr.run_id = ? ORDER BY st.name", (run["run_id"],))
        for row in rows.fetchall():
            record = ResultRecord(
                student=row["name"], fingerprint=row["fingerprint"],
                result_id=row["result_id"], graded_at=row["graded_at"],
                result=SubmissionResult.from_dict(json.loads(row["result_json"])))
            student_id = _student_id(db, record.student)
            submission_id = _submission_id(db, record, student_id)
            db.execute("INSERT INTO run_results VALUES (?, ?, ?, ?)",
                       (run_id, student_id, submission_id, row["reused"]))
        if term:  # schema 2: the late policy's decisions on this run
            late = src.execute("SELECT * FROM late_results WHERE run_id = ?", (run["run_id"],))
            db.executemany("INSERT INTO late_results VALUES (?,?,?,?,?,?,?,?,?,?)",
                           [(run_id, *tuple(row)[1:]) for row in late.fetchall()])
    if term:
        _copy_overrides(src, db)


def _copy_overrides(src: sqlite3.Connection, db: sqlite3.Connection) -> None:
    columns = "student, exercise, points, reason, who, at"
    for row in src.execute(f"SELECT {columns} FROM overrides ORDER BY override_id").fetchall():
        if not db.execute(f"SELECT 1 FROM overrides WHERE ({columns}) = (?,?,?,?,?,?)",
                          tuple(row)).fetchone():
            db.execute(f"INSERT INTO overrides ({columns}) VALUES (?,?,?,?,?,?)", tuple(row))


def _insert_run(db: sqlite3.Connection, run: RunInfo) -> int:
    cursor = db.execute(
        "INSERT INTO runs (run_uuid, started_at, finished_at, nnex_version, grader_version, "
        "exercises, shard, isolation, workers, submissions_dir) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (run.run_uuid, run.started_at, run.finished_at, run.nnex_version, run.grader_version,
         json.dumps(run.exercises), run.shard, run.isolation, run.workers, run.submissions_dir))
    return cursor.lastrowid


def _student_id(db: sqlite3.Connection, name: str) -> int:
    db.execute("INSERT OR IGNORE INTO students (name) VALUES (?)", (name,))
    return db.execute("SELECT student_id FROM students WHERE name = ?", (name,)).fetchone()[0]


def _submission_id(db: sqlite3.Connection, record: ResultRecord, student_id: int) -> int:
    found = db.execute("SELECT submission_id FROM submissions WHERE result_id = ?",
                       (record.result_id,)).fetchone()
    if found:
        return found[0]
    result = record.result
    submission_id = db.execute(
        "INSERT INTO submissions (result_id, student_id, fingerprint, graded_at, score, "
        "max_score, seconds, result_json) VALUES (?,?,?,?,?,?,?,?)",
        (record.result_id, student_id, record.fingerprint, record.graded_at, result.score,
         result.max_score, result.seconds, json.dumps(result.to_dict(), ensure_ascii=False))
    ).lastrowid
    for exercise in result.exercises:
        db.execute("INSERT INTO exercise_results VALUES (?,?,?,?,?,?,?)",
                   (submission_id, exercise.exercise, exercise.score, exercise.max_score,
                    exercise.status, exercise.seconds,
                    str(exercise.reason) if exercise.reason else None))
        db.executemany("INSERT INTO check_results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            (submission_id, exercise.exercise, c.name, c.visibility, c.outcome, c.points,
             c.max_points, c.hint_key, c.kind, c.what, c.problem, c.expected, c.actual,
             c.seconds) for c in exercise.checks])
    return submission_id


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    try:
        if read_only:
            return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        return sqlite3.connect(path, isolation_level="DEFERRED")
    except sqlite3.Error as exc:
        raise _unusable(path, exc) from None


def open_gradebook(path: Path) -> sqlite3.Connection:
    """A connection to the gradebook at ``path`` (created or migrated to the current schema).

    Raises:
        GradebookError: the gradebook is unusable (see ``check_gradebook``).
    """
    return _open(path)


def _open(path: Path) -> sqlite3.Connection:
    """Connect to the gradebook, creating its tables when the file is new and migrating an
    older schema."""
    new = not path.exists()
    db = _connect(path)
    try:
        if new:
            gradebook_schema.create(db)
        _check(db, path)
        gradebook_schema.migrate(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _unusable(path, exc) from None
    except GradebookError:
        db.close()
        raise
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _check(db: sqlite3.Connection, path: Path) -> None:
    try:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        damage = db.execute("PRAGMA quick_check").fetchone()[0]
        if not {"meta", *CORE_TABLES} <= tables:
            raise _unusable(path, "it lacks nnex's tables")
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, exc) from None
    if damage != "ok":
        raise _unusable(path, damage)
    if row is None:
        raise _unusable(path, "it has no schema_version")
    if row[0] not in READABLE_VERSIONS:
        newer = row[0].isdigit() and int(row[0]) > SCHEMA_VERSION
        raise GradebookError(
            f"{path} has gradebook schema version {row[0]}, this nnex reads {SCHEMA_VERSION}; "
            + ("upgrade nnex" if newer else "move the old gradebook aside") + " and run again")


def _unusable(path: Path, detail: object) -> GradebookError:
    return GradebookError(f"{path} is not a usable nnex gradebook ({detail}); move it aside "
                          f"(e.g. mv '{path}' '{path}.broken') and run again — graded results "
                          "in the results folder beside it are reused")

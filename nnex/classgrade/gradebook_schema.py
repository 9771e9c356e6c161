"""The gradebook's tables, version by version, and how an older gradebook is brought up to
this version (the tables and their columns: ``nnex.classgrade.gradebook``)."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 3
READABLE_VERSIONS = ("1", "2", "3")
"""Older versions lack later tables only: they are read as they are and migrated when written."""

SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
    run_id INTEGER PRIMARY KEY, run_uuid TEXT NOT NULL UNIQUE,
    started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
    nnex_version TEXT NOT NULL, grader_version TEXT NOT NULL, exercises TEXT NOT NULL,
    shard TEXT, isolation TEXT, workers INTEGER NOT NULL, submissions_dir TEXT NOT NULL);
CREATE TABLE students (student_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE submissions (
    submission_id INTEGER PRIMARY KEY, result_id TEXT NOT NULL UNIQUE,
    student_id INTEGER NOT NULL REFERENCES students, fingerprint TEXT NOT NULL,
    graded_at TEXT NOT NULL, score REAL NOT NULL, max_score REAL NOT NULL,
    seconds REAL NOT NULL, result_json TEXT NOT NULL);
CREATE TABLE run_results (
    run_id INTEGER NOT NULL REFERENCES runs, student_id INTEGER NOT NULL REFERENCES students,
    submission_id INTEGER NOT NULL REFERENCES submissions, reused INTEGER NOT NULL,
    PRIMARY KEY (run_id, student_id));
CREATE TABLE exercise_results (
    submission_id INTEGER NOT NULL REFERENCES submissions, exercise TEXT NOT NULL,
    score REAL NOT NULL, max_score REAL NOT NULL, status TEXT NOT NULL, seconds REAL NOT NULL,
    reason TEXT, PRIMARY KEY (submission_id, exercise));
CREATE TABLE check_results (
    submission_id INTEGER NOT NULL REFERENCES submissions, exercise TEXT NOT NULL,
    check_name TEXT NOT NULL, visibility TEXT NOT NULL, outcome TEXT NOT NULL,
    points REAL NOT NULL, max_points REAL NOT NULL, hint_key TEXT, kind TEXT, what TEXT,
    problem TEXT, expected TEXT, actual TEXT, seconds REAL NOT NULL,
    PRIMARY KEY (submission_id, exercise, check_name));
CREATE VIEW latest_results AS
    SELECT st.name AS student, e.exercise, e.score, e.max_score, e.status, rr.run_id,
           rr.submission_id
    FROM run_results rr
    JOIN students st USING (student_id)
    JOIN exercise_results e USING (submission_id)
    WHERE rr.run_id = (SELECT max(r2.run_id) FROM run_results r2
                       WHERE r2.student_id = rr.student_id);
"""
SCHEMA_2 = """
CREATE TABLE late_results (
    run_id INTEGER NOT NULL REFERENCES runs, student TEXT NOT NULL, exercise TEXT NOT NULL,
    raw_score REAL NOT NULL, submitted_at TEXT, due TEXT NOT NULL, extended INTEGER NOT NULL,
    days_late INTEGER NOT NULL,
    penalty REAL NOT NULL, score REAL NOT NULL, PRIMARY KEY (run_id, student, exercise));
CREATE TABLE overrides (
    override_id INTEGER PRIMARY KEY, student TEXT NOT NULL, exercise TEXT NOT NULL,
    points REAL NOT NULL, reason TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL);
"""
SCHEMA_3 = """
CREATE TABLE similarity_run (
    run_at TEXT NOT NULL, graded_run_id INTEGER, exercises TEXT NOT NULL,
    students INTEGER NOT NULL, pairs_shown INTEGER NOT NULL, wrong_answers INTEGER NOT NULL,
    seconds REAL NOT NULL);
CREATE TABLE similar_pairs (
    exercise TEXT NOT NULL, rank INTEGER NOT NULL, student_a TEXT NOT NULL,
    student_b TEXT NOT NULL, score REAL NOT NULL, share_a REAL NOT NULL, share_b REAL NOT NULL,
    run_at TEXT NOT NULL, PRIMARY KEY (exercise, rank));
CREATE TABLE same_wrong_answers (
    exercise TEXT NOT NULL, cluster INTEGER NOT NULL, student TEXT NOT NULL,
    shared_values INTEGER NOT NULL, run_at TEXT NOT NULL,
    PRIMARY KEY (exercise, cluster, student));
CREATE TABLE same_wrong_values (
    exercise TEXT NOT NULL, cluster INTEGER NOT NULL, check_name TEXT NOT NULL,
    what TEXT NOT NULL, actual TEXT NOT NULL, hint_key TEXT, reached_by INTEGER NOT NULL,
    run_at TEXT NOT NULL, PRIMARY KEY (exercise, cluster, check_name));
"""
_MIGRATIONS = {"1": ("2", SCHEMA_2), "2": ("3", SCHEMA_3)}
"""Version → (the next version, the tables it adds)."""
CORE_TABLES = ("runs", "students", "submissions", "run_results", "exercise_results",
               "check_results")
"""The tables every version has."""


def create(db: sqlite3.Connection) -> None:
    """Create every table of the current schema in an empty database, in one transaction."""
    db.executescript(f"BEGIN; {SCHEMA_1} {SCHEMA_2} {SCHEMA_3} INSERT INTO meta VALUES "
                     f"('schema_version', '{SCHEMA_VERSION}'); COMMIT;")


def migrate(db: sqlite3.Connection) -> None:
    """Bring an older schema up to this one, a version at a time, each step in a transaction:
    1 → 2 adds the term tables (late_results, overrides), 2 → 3 the similarity leads'
    tables; nothing else changes."""
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    while version in _MIGRATIONS:
        version, tables = _MIGRATIONS[version]
        db.executescript(f"BEGIN; {tables} UPDATE meta SET value = '{version}' "
                         "WHERE key = 'schema_version'; COMMIT;")

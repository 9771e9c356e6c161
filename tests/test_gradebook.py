"""The SQLite gradebook: history kept across runs, merges without duplicates, clear errors."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from nnex.classgrade.records import new_record
from nnex.errors import GradebookError
from nnex.classgrade import gradebook, gradebook_schema
from nnex.classgrade.gradebook import RunInfo, check_gradebook, merge_gradebooks, record_run
from nnex.grading.results import FAILED, PASSED, CheckResult, ExerciseResult, SubmissionResult
from nnex.text import Text


def _result(student: str, passed: bool) -> SubmissionResult:
    checks = [CheckResult(name="lecture", title=Text("講義", "lecture"), points=2.0 * passed,
                          max_points=2.0, outcome=PASSED if passed else FAILED,
                          hint_key=None if passed else "relu_abs", seconds=0.25),
              CheckResult(name="random", title=Text("乱数", "random"), points=1.0,
                          max_points=1.0, outcome=PASSED, visibility="hidden", seconds=0.5)]
    exercise = ExerciseResult(exercise="ex01_relu", title=Text("活性化関数", "activations"),
                              checks=checks)
    return SubmissionResult(student=student, exercises=[exercise])


def _run(uuid: str, shard: str | None = None) -> RunInfo:
    return RunInfo(run_uuid=uuid, started_at="2025-01-01T00:00:00.000+00:00",
                   finished_at="2025-01-01T00:01:00.000+00:00", nnex_version="0.1.0",
                   grader_version="g1", exercises=["ex01_relu"], shard=shard,
                   isolation="bwrap", workers=2, submissions_dir="/class")


def test_runs_keep_history_and_latest_results_shows_the_last(tmp_path):
    path = tmp_path / "gradebook.sqlite"
    ann_wrong = new_record(_result("ann", False), "f1")
    ben = new_record(_result("ben", True), "f2")
    assert record_run(path, _run("r1"), [(ann_wrong, False), (ben, False)]) == 1
    ann_fixed = new_record(_result("ann", True), "f3")
    assert record_run(path, _run("r2"), [(ann_fixed, False), (ben, True)]) == 2
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT st.name, s.score, s.fingerprint FROM submissions s JOIN "
                          "students st USING (student_id) ORDER BY submission_id").fetchall() \
            == [("ann", 1.0, "f1"), ("ben", 3.0, "f2"), ("ann", 3.0, "f3")]
        assert db.execute("SELECT run_id, st.name, submission_id, reused FROM run_results "
                          "JOIN students st USING (student_id) ORDER BY 1, 2").fetchall() \
            == [(1, "ann", 1, 0), (1, "ben", 2, 0), (2, "ann", 3, 0), (2, "ben", 2, 1)]
        assert db.execute("SELECT * FROM latest_results ORDER BY student").fetchall() == [
            ("ann", "ex01_relu", 3.0, 3.0, "graded", 2, 3),
            ("ben", "ex01_relu", 3.0, 3.0, "graded", 2, 2)]
        assert db.execute("SELECT check_name, visibility, outcome, points, hint_key, seconds "
                          "FROM check_results WHERE submission_id = 1 ORDER BY 1").fetchall() \
            == [("lecture", "public", "failed", 0.0, "relu_abs", 0.25),
                ("random", "hidden", "passed", 1.0, None, 0.5)]
        assert db.execute("SELECT exercise, score, max_score, status, seconds "
                          "FROM exercise_results WHERE submission_id = 1").fetchall() \
            == [("ex01_relu", 1.0, 3.0, "graded", 0.75)]


def test_merging_gradebooks_twice_adds_nothing_twice(tmp_path):
    shard1, shard2, merged = (tmp_path / f"{name}.sqlite" for name in ("s1", "s2", "merged"))
    record_run(shard1, _run("a", "1/2"), [(new_record(_result("ann", True), "f1"), False)])
    record_run(shard2, _run("b", "2/2"), [(new_record(_result("ben", False), "f2"), False)])
    merge_gradebooks([shard1, shard2], merged)
    merge_gradebooks([shard1, shard2], merged)
    with sqlite3.connect(merged) as db:
        assert db.execute("SELECT run_uuid, shard FROM runs ORDER BY run_id").fetchall() == \
            [("a", "1/2"), ("b", "2/2")]
        assert db.execute("SELECT count(*) FROM submissions").fetchone() == (2,)
        assert db.execute("SELECT student, score FROM latest_results ORDER BY 1").fetchall() \
            == [("ann", 3.0), ("ben", 1.0)]


def _message(path) -> str:
    return (f"{path} is not a usable nnex gradebook (file is not a database); move it aside "
            f"(e.g. mv '{path}' '{path}.broken') and run again — graded results in the "
            "results folder beside it are reused")


def test_a_corrupt_gradebook_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "gradebook.sqlite"
    path.write_bytes(b"this is not SQLite at all, just some bytes" * 100)
    with pytest.raises(GradebookError) as caught:
        check_gradebook(path)
    assert str(caught.value) == _message(path)
    with pytest.raises(GradebookError) as caught:
        record_run(path, _run("r1"), [])
    assert str(caught.value) == _message(path)


def test_a_foreign_or_newer_gradebook_is_refused(tmp_path):
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE grades (student TEXT)")
    with pytest.raises(GradebookError, match=r"foreign.sqlite is not a usable nnex gradebook "
                                             r"\(it lacks nnex's tables\)"):
        check_gradebook(foreign)
    newer = tmp_path / "newer.sqlite"
    record_run(newer, _run("r1"), [])
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(GradebookError) as caught:
        check_gradebook(newer)
    assert str(caught.value) == (f"{newer} has gradebook schema version 99, this nnex reads 3; "
                                 "upgrade nnex and run again")


def _old_gradebook(path: Path, version: int) -> Path:
    """A gradebook as nnex wrote it at schema ``version``: schema 1 is ``SCHEMA_1`` alone (before
    the term tables), schema 2 adds ``SCHEMA_2`` (before the similarity tables)."""
    schemas = [gradebook_schema.SCHEMA_1, gradebook_schema.SCHEMA_2][:version]
    with sqlite3.connect(path) as db:
        db.executescript(" ".join(schemas) +
                         f" INSERT INTO meta VALUES ('schema_version', '{version}');")
    return path


def test_a_version_1_gradebook_opens_and_is_migrated_keeping_its_history(tmp_path):
    old = _old_gradebook(tmp_path / "gradebook.sqlite", 1)
    with sqlite3.connect(old) as db:  # a v1 run, written the way v1 wrote it
        db.execute("INSERT INTO runs VALUES (1, 'r0', 's', 'f', '0.1', 'g', '[]', NULL, "
                   "'bwrap', 1, '/class')")
    check_gradebook(old)  # readable as it is, not changed by a check
    with sqlite3.connect(old) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == ("1",)
    merged = tmp_path / "merged.sqlite"
    merge_gradebooks([old], merged)  # a v1 shard merges into a v3 gradebook
    assert record_run(old, _run("r1"), [(new_record(_result("ann", True), "f1"), False)]) == 2
    for path in (old, merged):
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT value FROM meta").fetchone() == ("3",)
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
            assert {"late_results", "overrides", *SIMILARITY_TABLES} <= tables
    with sqlite3.connect(old) as db:
        assert db.execute("SELECT run_uuid FROM runs ORDER BY run_id").fetchall() == [
            ("r0",), ("r1",)]


SIMILARITY_TABLES = ("similarity_run", "similar_pairs", "same_wrong_answers",
                     "same_wrong_values")


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table and view of the gradebook, in order."""
    with closing(sqlite3.connect(path)) as db:
        names = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")]
        return {name: sorted(db.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
                for name in names}


def test_a_version_2_gradebook_gains_the_similarity_tables_and_loses_nothing(tmp_path):
    old = _old_gradebook(tmp_path / "gradebook.sqlite", 2)
    record = new_record(_result("ann", False), "f1")
    with sqlite3.connect(old) as db:  # a v2 run, override and late decision, as v2 wrote them
        gradebook._insert_run(db, _run("r0"))
        student_id = gradebook._student_id(db, "ann")
        submission_id = gradebook._submission_id(db, record, student_id)
        db.execute("INSERT INTO run_results VALUES (1, ?, ?, 0)", (student_id, submission_id))
        db.execute("INSERT INTO late_results VALUES (1, 'ann', 'ex01_relu', 1.0, "
                   "'2026-05-02T00:00:00+09:00', '2026-05-01T23:59:00+09:00', 0, 1, 0.1, 0.9)")
        db.execute("INSERT INTO overrides (student, exercise, points, reason, who, at) VALUES "
                   "('ann', 'ex01_relu', 2.5, 'regrade #12', 'sensei', '2026-05-03')")
    before = _dump(old)
    check_gradebook(old)  # readable as it is, not changed by a check
    assert _dump(old) == before
    gradebook.open_gradebook(old).close()
    after = _dump(old)
    assert after.pop("meta") == [("schema_version", "3")]
    assert {name: after.pop(name) for name in SIMILARITY_TABLES} == {
        name: [] for name in SIMILARITY_TABLES}
    before.pop("meta")
    assert after == before and before["overrides"] and before["late_results"]
    assert record_run(old, _run("r1"), [(record, True)]) == 2  # and it is written as before


def test_a_new_gradebook_is_the_current_schema_made_at_once(tmp_path):
    """Created anew or migrated from version 1, a gradebook has the same tables and columns."""
    new = tmp_path / "new.sqlite"
    record_run(new, _run("r1"), [])
    migrated = _old_gradebook(tmp_path / "old.sqlite", 1)
    gradebook.open_gradebook(migrated).close()

    def schema(path: Path) -> list[tuple]:
        with closing(sqlite3.connect(path)) as db:
            return sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall(),
                          key=repr)

    assert schema(migrated) == schema(new)
    with closing(sqlite3.connect(migrated)) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == (str(gradebook.SCHEMA_VERSION),)


def test_checking_a_missing_gradebook_creates_nothing(tmp_path):
    check_gradebook(tmp_path / "gradebook.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_gradebook_is_refused(tmp_path):
    path = tmp_path / "gradebook.sqlite"
    record_run(path, _run("r1"), [(new_record(_result(f"s{n}", True), "f"), False)
                                  for n in range(50)])
    data = bytearray(path.read_bytes())
    data[len(data) // 2:] = b"\xff" * (len(data) - len(data) // 2)  # a torn write
    path.write_bytes(bytes(data))
    with pytest.raises(GradebookError, match=r"gradebook.sqlite is not a usable nnex gradebook "
                                             r"\(.*\); move it aside"):
        check_gradebook(path)


def test_the_readme_query_runs_on_a_gradebook(tmp_path):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    query = readme.split("the class's most common mistakes in the last run:")[1]
    query = query.split("```sql\n")[1].split("```")[0]
    path = tmp_path / "gradebook.sqlite"
    record_run(path, _run("r1"), [(new_record(_result("ann", False), "f1"), False)])
    record_run(path, _run("r2"), [(new_record(_result("ann", False), "f2"), False),
                                  (new_record(_result("ben", False), "f3"), False)])
    with sqlite3.connect(path) as db:
        assert db.execute(query).fetchall() == [("relu_abs", 2)]

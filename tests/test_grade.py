"""Grading a class: parallel results, every output file, resuming, regrading on change."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3

import pytest

from nnex.render import names
from nnex.classgrade.records import grader_version
from nnex.course.content import Course
from nnex.classgrade.grade import grade_class
from nnex.classgrade.outputs import feedback_renderers
from nnex.grading.results import GRADED, MISSING, NOT_ATTEMPTED, NOT_LOADABLE
from tests.conftest import grade_class as grade_in_process
from tests.engine_classes import ENGINE_EXERCISES, build_class

COURSE = Course.installed()
EXERCISES = ENGINE_EXERCISES
FIRST = EXERCISES[0]
STUDENTS = sorted(["alice", "bob", "carol", "dave", "erin", "山田_太郎", "-dash"])


@pytest.fixture(scope="module")
def graded(tmp_path_factory, course):
    root = build_class(course, tmp_path_factory.mktemp("grade") / "class")
    out = root.parent / "out"
    return root, out, grade_class(root, out, exercise_ids=EXERCISES, workers=2)


def _without_seconds(data):
    if isinstance(data, dict):
        return {k: _without_seconds(v) for k, v in data.items() if k != "seconds"}
    if isinstance(data, list):
        return [_without_seconds(v) for v in data]
    return data


def test_parallel_grading_gives_the_in_process_results(graded, course):
    root, _, result = graded
    expected = grade_in_process(course, root, exercises=EXERCISES)
    assert [r.student for r in result.submissions] == STUDENTS
    for submission in result.submissions:
        assert _without_seconds(submission.to_dict()) == \
            _without_seconds(expected[submission.student].to_dict())
    assert result.graded == STUDENTS and result.reused == []
    assert result.isolation is not None


def test_scores_and_grades_csv(graded):
    _, out, result = graded
    by_student = {r.student: r for r in result.submissions}
    scores = list(csv.reader(io.StringIO((out / "scores.csv").read_text(encoding="utf-8"))))
    assert scores[0] == ["student", "exercise", "score", "max_score", "status", "seconds"]
    assert "'-dash" in {row[0] for row in scores}  # a formula in a spreadsheet, unprefixed
    name = {names.csv_cell(s): s for s in STUDENTS}
    scores = [[name.get(row[0], row[0]), *row[1:]] for row in scores]
    assert [(row[0], row[1]) for row in scores[1:]] == [(s, e) for s in STUDENTS
                                                        for e in EXERCISES]
    status = {(row[0], row[1]): row[4] for row in scores[1:]}
    assert status[("alice", FIRST)] == GRADED
    assert status[("carol", FIRST)] == NOT_ATTEMPTED
    assert status[("dave", FIRST)] == NOT_LOADABLE
    assert status[("erin", FIRST)] == MISSING  # a file never submitted is not a load error
    for student, exercise, score, max_score, _, seconds in scores[1:]:
        graded_exercise = by_student[student].exercise(exercise)
        assert float(score) == graded_exercise.score
        assert float(max_score) == graded_exercise.max_score > 0
        assert float(seconds) >= 0
    grades = list(csv.reader(io.StringIO((out / "grades.csv").read_text(encoding="utf-8"))))
    grades = [[name.get(row[0], row[0]), *row[1:]] for row in grades]
    assert grades[0] == ["student", *EXERCISES, "total"]
    assert [row[0] for row in grades[1:]] == STUDENTS
    for row in grades[1:]:
        submission = by_student[row[0]]
        assert [float(v) for v in row[1:-1]] == [e.score for e in submission.exercises]
        assert float(row[-1]) == submission.score
    assert float(grades[1 + STUDENTS.index("alice")][-1]) == by_student["alice"].max_score
    assert float(grades[1 + STUDENTS.index("bob")][-1]) < by_student["bob"].max_score


def test_feedback_results_and_manifest_for_every_student(graded, course):
    _, out, _ = graded
    for suffix in feedback_renderers():
        assert sorted(p.name for p in (out / "feedback").glob(f"*{suffix}")) == \
            sorted(f"{s}{suffix}" for s in STUDENTS)
    assert "# フィードバック / Feedback: 山田_太郎" in \
        (out / "feedback" / "山田_太郎.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (out / "results").iterdir()) == \
        sorted(f"{s}.json" for s in STUDENTS)
    manifest = json.loads((out / "nnex-run.json").read_text(encoding="utf-8"))
    assert manifest["students"] == STUDENTS and manifest["shard"] is None
    assert manifest["exercises"] == EXERCISES and manifest["class_size"] == len(STUDENTS)
    assert manifest["grader_version"] == grader_version(course, course.exercises(EXERCISES))


def test_gradebook_holds_the_run(graded):
    _, out, result = graded
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        runs = db.execute("SELECT exercises, shard, workers, isolation FROM runs").fetchall()
        assert runs == [(json.dumps(EXERCISES), None, 2, result.isolation)]
        totals = db.execute("SELECT st.name, s.score, s.max_score FROM submissions s "
                            "JOIN students st USING (student_id) ORDER BY st.name").fetchall()
        assert totals == [(r.student, r.score, r.max_score) for r in result.submissions]
        hints = db.execute("SELECT DISTINCT hint_key FROM check_results c JOIN submissions s "
                           "USING (submission_id) JOIN students st USING (student_id) "
                           "WHERE st.name = 'bob' AND c.outcome != 'passed'").fetchall()
        bob = {c.hint_key for e in result.submissions[STUDENTS.index("bob")].exercises
               for c in e.checks if not c.passed}
        assert {h for (h,) in hints} == bob and bob


def test_rerun_grades_only_new_and_changed_students(graded, tmp_path, course):
    root, out, first = graded
    root2, out2 = tmp_path / "class", tmp_path / "out"
    shutil.copytree(root, root2)
    shutil.copytree(out, out2)
    solution = course.solution_path(FIRST).read_text(encoding="utf-8")
    (root2 / "bob" / f"{FIRST}.py").write_text(solution, encoding="utf-8")  # bob fixed his bug
    shutil.rmtree(root2 / "erin")                                             # erin left
    shutil.copytree(root2 / "alice", root2 / "frank")                         # frank joined
    second = grade_class(root2, out2, exercise_ids=EXERCISES, workers=2)
    assert second.graded == ["bob", "frank"]
    assert second.reused == sorted(set(STUDENTS) - {"bob", "erin"})
    bob = second.submissions[[r.student for r in second.submissions].index("bob")]
    assert bob.score == bob.max_score
    assert not (out2 / "feedback" / "erin.md").exists()
    assert not (out2 / "results" / "erin.json").exists()
    assert "erin" not in (out2 / "scores.csv").read_text(encoding="utf-8")
    with sqlite3.connect(out2 / "gradebook.sqlite") as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (2,)
        history = db.execute("SELECT s.score FROM submissions s JOIN students st "
                             "USING (student_id) WHERE st.name = 'bob' "
                             "ORDER BY s.submission_id").fetchall()
        assert [score for (score,) in history] == [first.submissions[STUDENTS.index("bob")].score,
                                                    bob.score]
        reused = dict(db.execute("SELECT st.name, rr.reused FROM run_results rr JOIN students "
                                 "st USING (student_id) WHERE rr.run_id = 2").fetchall())
        assert reused == {s: int(s in second.reused) for s in second.reused + second.graded}
        latest = db.execute("SELECT score FROM latest_results WHERE student = 'bob' "
                            f"AND exercise = '{FIRST}'").fetchone()
        assert latest == (bob.exercise(FIRST).score,)

    third = grade_class(root2, out2, exercise_ids=EXERCISES, workers=2, force=True)
    assert third.graded == sorted(set(STUDENTS) - {"erin"} | {"frank"}) and third.reused == []


def test_a_changed_grader_regrades_everyone(tmp_path, course):
    copy = Course(exercises_dir=tmp_path / "exercises", graders_dir=tmp_path / "graders",
                  solutions_dir=tmp_path / "solutions")
    for name in ("exercises", "graders", "solutions"):
        shutil.copytree(getattr(course, f"{name}_dir"), tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    root = build_class(course, tmp_path / "class")
    first = grade_class(root, tmp_path / "out", exercise_ids=EXERCISES, workers=2, course=copy)
    assert first.reused == []
    again = grade_class(root, tmp_path / "out", exercise_ids=EXERCISES, workers=2, course=copy)
    assert again.graded == [] and again.reused == STUDENTS
    yaml = copy.exercises_dir / FIRST / "exercise.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "\n# a new revision\n", encoding="utf-8")
    changed = grade_class(root, tmp_path / "out", exercise_ids=EXERCISES, workers=2, course=copy)
    assert changed.graded == STUDENTS and changed.reused == []


def test_an_interrupted_run_keeps_what_it_graded(tmp_path, course):
    root = build_class(course, tmp_path / "class")
    out = tmp_path / "out"
    seen = []

    def interrupt_after_two(result):
        seen.append(result.student)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        grade_class(root, out, exercise_ids=EXERCISES, workers=1, on_result=interrupt_after_two)
    assert not (out / "scores.csv").exists() and not (out / "gradebook.sqlite").exists()
    kept = sorted(p.stem for p in (out / "results").glob("*.json"))
    assert set(seen) <= set(kept)
    (out / "results" / "dave.json").write_text("{not json", encoding="utf-8")  # a torn file
    resumed = grade_class(root, out, exercise_ids=EXERCISES, workers=2)
    assert set(seen) - {"dave"} <= set(resumed.reused)
    assert sorted(resumed.graded + resumed.reused) == STUDENTS and "dave" in resumed.graded
    assert [r.student for r in resumed.submissions] == STUDENTS


def test_two_runs_never_write_one_folder_at_once(tmp_path, course):
    from nnex.errors import UsageError
    from nnex.files import folder_lock

    root = build_class(course, tmp_path / "class")
    out = tmp_path / "out"
    with folder_lock(out):
        with pytest.raises(UsageError) as caught:
            grade_class(root, out, exercise_ids=EXERCISES, workers=1)
    assert str(caught.value) == (f"another nnex is writing to {out}; wait for it to finish, "
                                 "or choose another output folder")
    assert [p.name for p in out.iterdir()] == [".nnex-lock"]


def test_the_class_report_reads_the_output_folder(graded):
    from nnex.report import load_class

    _, out, result = graded
    assert [r.to_dict() for r in load_class(out)] == [r.to_dict() for r in result.submissions]
    assert sorted(p.name for p in (out / "gradescope").iterdir()) == STUDENTS


def _broken_bwrap(folder):
    folder.mkdir()
    fake = folder / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: Creating new namespace failed: no' >&2\nexit 1\n")
    fake.chmod(0o755)
    return folder


def test_the_sandbox_is_chosen_once_before_anything_is_written(tmp_path, monkeypatch, course):
    from nnex.sandbox.bubblewrap import SandboxUnavailable

    root = build_class(course, tmp_path / "class")
    monkeypatch.setenv("PATH", f"{_broken_bwrap(tmp_path / 'bin')}:{os.environ['PATH']}")
    with pytest.raises(SandboxUnavailable, match="cannot confine student code with bubblewrap"):
        grade_class(root, tmp_path / "strict", exercise_ids=EXERCISES, isolation="bwrap")
    assert not (tmp_path / "strict").exists()
    with pytest.raises(SandboxUnavailable, match="pass --isolation rlimits"):
        grade_class(root, tmp_path / "auto", exercise_ids=EXERCISES, isolation="auto")
    assert not (tmp_path / "auto").exists()  # auto never falls back by itself
    warnings = []
    result = grade_class(root, tmp_path / "out", exercise_ids=EXERCISES, workers=2,
                         isolation="rlimits", warn=warnings.append)
    assert result.isolation == "rlimits" and len(warnings) == 1, warnings
    assert "student code is NOT isolated" in warnings[0]
    assert result.graded == STUDENTS


def test_results_json_states_each_exercise_status(graded):
    _, out, _ = graded
    data = json.loads((out / "results" / "erin.json").read_text(encoding="utf-8"))
    statuses = {e["exercise"]: e["status"] for e in data["exercises"]}
    assert statuses[FIRST] == MISSING
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        stored = db.execute("SELECT status FROM latest_results WHERE student = 'erin' AND "
                            "exercise = ?", (FIRST,)).fetchone()
    assert stored == (MISSING,)

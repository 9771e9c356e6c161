"""Grading processes that die, hang or cannot start: nobody is lost, and the reason is said."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nnex.classgrade.pool_worker import settings_for
from nnex.classgrade.pool import Job, grade_jobs
from nnex.classgrade.records import fingerprint, grader_version, read_record, record_path
from nnex.course.content import Course
from nnex.errors import GraderError
from nnex.classgrade.grade import grade_class
from nnex.sandbox.host import Limits
from nnex.grading.results import GRADER_ERROR, INFRASTRUCTURE
from nnex.grading.submissions import discover
from tests.conftest import solution_sources, write_class
from tests.engine_classes import ENGINE_EXERCISES

# A grading process that misbehaves whenever its batch holds the student "poison".
FAULTY_GRADER = """
import os, sys, time
from nnex.classgrade import pool_worker as batch_grader

real_grade_batch = batch_grader.grade_batch

def grade_batch(state, batch):
    if any(job["student"] == "poison" for job in batch):
        {fault}
    real_grade_batch(state, batch)

batch_grader.grade_batch = grade_batch
batch_grader.main()
"""


def _faulty_command(tmp_path: Path, fault: str) -> list[str]:
    script = tmp_path / "faulty_grader.py"
    script.write_text(FAULTY_GRADER.replace("{fault}", fault), encoding="utf-8")
    return [sys.executable, str(script)]


@pytest.fixture
def poisoned_class(tmp_path, course):
    solutions = solution_sources(course)
    students = {name: solutions for name in ("ann", "ben", "poison", "zoe", "yui")}
    return write_class(tmp_path / "class", students)


def test_a_dying_grading_process_loses_nobody(tmp_path, course, poisoned_class):
    warnings = []
    result = grade_class(poisoned_class, tmp_path / "out", exercise_ids=ENGINE_EXERCISES,
                         workers=2, warn=warnings.append,
                         grader_command=_faulty_command(tmp_path, "os._exit(9)"))
    by_student = {r.student: r for r in result.submissions}
    assert sorted(by_student) == ["ann", "ben", "poison", "yui", "zoe"]
    for name in ("ann", "ben", "yui", "zoe"):
        assert by_student[name].score == by_student[name].max_score > 0, name
    poison = by_student["poison"]
    assert [e.exercise for e in poison.exercises] == ENGINE_EXERCISES
    for exercise in poison.exercises:
        assert exercise.status == INFRASTRUCTURE and exercise.score == 0
        assert exercise.max_score == course.exercise(exercise.exercise).max_score
        assert {c.outcome for c in exercise.checks} == {GRADER_ERROR}
        problem = exercise.checks[0].problem
        assert problem.startswith("the grading process died while grading it: it ended "
                                  "(exit code 9) (tried 2 times); grade this student by hand")
    assert any("a grading process died while grading" in w and "poison" in w
               for w in warnings)
    scores = (tmp_path / "out" / "scores.csv").read_text(encoding="utf-8")
    assert f"poison,{ENGINE_EXERCISES[0]},0," in scores and ",grader_error," in scores

    # A grader error is never kept: the next run grades poison again (now without the fault).
    again = grade_class(poisoned_class, tmp_path / "out", exercise_ids=ENGINE_EXERCISES, workers=1)
    assert again.graded == ["poison"]
    fixed = again.submissions[[r.student for r in again.submissions].index("poison")]
    assert fixed.score == fixed.max_score


def test_a_hanging_grading_process_is_stopped(tmp_path, course, poisoned_class):
    exercises = course.exercises(ENGINE_EXERCISES)
    version = grader_version(course, exercises)
    jobs = [Job(s, fingerprint(s, course.exercise_ids(), version, ENGINE_EXERCISES,
                            isolation="bwrap"))
            for s in discover(poisoned_class)]
    results = tmp_path / "results"
    results.mkdir()
    records = {}
    outcome = grade_jobs(
        jobs, settings_for(course, ENGINE_EXERCISES, isolation="auto", limits=Limits(),
                           results_dir=results),
        workers=2, results_dir=results, exercises=exercises,
        on_record=lambda record: records.setdefault(record.student, record),
        command=_faulty_command(tmp_path, "time.sleep(600)"), stall_seconds=2)
    assert sorted(records) == ["ann", "ben", "poison", "yui", "zoe"]
    assert not records["poison"].complete and records["ann"].complete
    assert "it reported nothing for 2 s and was stopped" in \
        records["poison"].result.exercises[0].checks[0].problem
    assert read_record(record_path(results, "poison")).result_id == records["poison"].result_id
    assert any("reported nothing for 2 s" in w for w in outcome.warnings)


def test_a_grading_process_that_cannot_start_stops_everything(tmp_path, poisoned_class):
    command = [sys.executable, "-c", "import sys; print('no nnex here', file=sys.stderr); "
                                     "sys.exit(4)"]
    with pytest.raises(GraderError) as caught:
        grade_class(poisoned_class, tmp_path / "out", exercise_ids=ENGINE_EXERCISES, workers=2,
                    grader_command=command)
    assert str(caught.value) == (
        "a grading process could not start: it ended (exit code 4); its output was: "
        f"'no nnex here'; to see why, run: {sys.executable} -c "
        "'import nnex.classgrade.pool_worker'")
    assert not (tmp_path / "out" / "scores.csv").exists()


@pytest.mark.parametrize("shadow", ["a folder named nnex", "a source folder nnex/"])
def test_grading_ignores_an_nnex_folder_in_the_current_folder(tmp_path, poisoned_class,
                                                              monkeypatch, shadow):
    # A clone's root holds its source folder nnex/ (not the installed package); its parent
    # holds a folder named nnex (a namespace package without __version__). Neither may be
    # what the grading processes import.
    here = tmp_path / "here"
    (here / "nnex").mkdir(parents=True)
    if shadow.startswith("a source"):
        (here / "nnex" / "__init__.py").write_text("raise ImportError('the wrong nnex')\n")
    monkeypatch.chdir(here)
    result = grade_class(poisoned_class, tmp_path / "out", exercise_ids=ENGINE_EXERCISES,
                         workers=1)
    assert len(result.submissions) == 5
    assert all(s.score == s.max_score > 0 for s in result.submissions)


def test_a_grader_that_does_not_load_stops_everything(tmp_path, course, poisoned_class):
    import shutil

    copy = Course(exercises_dir=tmp_path / "exercises", graders_dir=tmp_path / "graders",
                  solutions_dir=course.solutions_dir)
    shutil.copytree(course.exercises_dir, copy.exercises_dir)
    shutil.copytree(course.graders_dir, copy.graders_dir)
    first = course.exercise_ids()[0]
    (copy.graders_dir / first / "test_hidden.py").write_text("def broken(:\n", encoding="utf-8")
    with pytest.raises(GraderError) as caught:
        grade_class(poisoned_class, tmp_path / "out", exercise_ids=ENGINE_EXERCISES, workers=2,
                    course=copy)
    assert str(caught.value).startswith(f"cannot load grader {first}/test_hidden.py")
    assert not (tmp_path / "out" / "scores.csv").exists()

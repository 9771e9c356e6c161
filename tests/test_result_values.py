"""Outcomes, statuses and problem kinds are enums whose stored values never change: result files,
scores.csv and the gradebook read exactly as before, and files written before the enums load."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from nnex.classgrade.gradebook import RunInfo, record_run
from nnex.classgrade.outputs import scores_csv
from nnex.classgrade.records import new_record
from nnex.grading.problems import MESSAGES, ProblemKind, StudentProblem
from nnex.grading.results import (GRADER_ERROR, INFRASTRUCTURE, CheckResult, Outcome, Status,
                                  SubmissionResult)
from tests.samples import sample_class

STORED_BEFORE_ENUMS = Path(__file__).with_name("expected") / "results_before_enums.json"
"""tests.samples.sample_class() as the nnex before these enums wrote it (keep it as it is)."""


def test_stored_values_are_the_readmes():
    assert [o.value for o in Outcome] == ["passed", "failed", "error", "grader_error"]
    assert [s.value for s in Status] == ["graded", "not_attempted", "missing", "not_loadable",
                                         "grader_error"]
    assert {k.value for k in ProblemKind} == set(MESSAGES)


def test_a_grader_error_status_and_outcome_are_told_apart_but_stored_alike():
    assert isinstance(INFRASTRUCTURE, Status) and isinstance(GRADER_ERROR, Outcome)
    assert INFRASTRUCTURE is not GRADER_ERROR
    assert INFRASTRUCTURE == GRADER_ERROR == "grader_error"
    assert (str(INFRASTRUCTURE), f"{GRADER_ERROR}", json.dumps([INFRASTRUCTURE])) == (
        "grader_error", "grader_error", '["grader_error"]')


def test_result_files_written_before_the_enums_load_and_write_back_unchanged():
    stored = json.loads(STORED_BEFORE_ENUMS.read_text(encoding="utf-8"))
    results = [SubmissionResult.from_dict(data) for data in stored]
    assert [r.to_dict() for r in results] == stored
    checks = [c for r in results for e in r.exercises for c in e.checks]
    assert {type(c.outcome) for c in checks} == {Outcome}
    assert {type(c.kind) for c in checks if c.kind is not None} == {ProblemKind}
    assert {type(e.status) for r in results for e in r.exercises} == {Status}
    assert ({e.status for r in results for e in r.exercises}
            == {Status(e["status"]) for r in stored for e in r["exercises"]})


def test_results_of_today_write_what_the_stored_file_holds():
    """Same values in the JSON, with no enum's name (``Outcome.PASSED``) anywhere."""
    written = json.dumps([r.to_dict() for r in sample_class()], ensure_ascii=False, indent=1)
    assert json.loads(written) == json.loads(STORED_BEFORE_ENUMS.read_text(encoding="utf-8"))
    assert "Outcome." not in written and "Status." not in written


def test_scores_csv_and_the_gradebook_store_the_plain_values(tmp_path):
    results = sample_class()
    rows = scores_csv(results).splitlines()[1:]
    statuses = {row.split(",")[4] for row in rows}
    assert statuses == {"graded", "not_attempted", "missing", "not_loadable", "grader_error"}

    path = tmp_path / "gradebook.sqlite"
    run = RunInfo(run_uuid="r1", started_at="2026-01-01T00:00:00.000+00:00",
                  finished_at="2026-01-01T00:01:00.000+00:00", nnex_version="0",
                  grader_version="g1", exercises=["ex01_relu", "ex02_neuron"], shard=None,
                  isolation="bwrap", workers=1, submissions_dir="/class")
    record_run(path, run, [(new_record(r, f"f{n}"), False) for n, r in enumerate(results)])
    with sqlite3.connect(path) as db:
        stored = db.execute("SELECT DISTINCT status, typeof(status) FROM exercise_results"
                            ).fetchall()
        outcomes = db.execute("SELECT DISTINCT outcome, typeof(outcome), kind FROM check_results"
                              " WHERE kind IS NOT NULL").fetchall()
    assert {s for s, _ in stored} == statuses and {t for _, t in stored} == {"text"}
    assert {(o, t) for o, t, _ in outcomes} == {("error", "text")}
    assert {k for *_, k in outcomes} <= {k.value for k in ProblemKind}


def test_a_check_read_back_as_plain_strings_gets_its_enums():
    check = CheckResult(name="c", title=sample_class()[0].exercises[0].title, points=0,
                        max_points=1, outcome="error", kind="timeout")
    assert (check.outcome, check.kind) == (Outcome.ERROR, ProblemKind.TIMEOUT)
    assert type(check.outcome) is Outcome and type(check.kind) is ProblemKind
    with pytest.raises(ValueError, match="'passd'"):
        CheckResult(name="c", title=check.title, points=0, max_points=1, outcome="passd")


def test_an_unknown_problem_kind_is_refused_when_raised():
    assert StudentProblem("timeout", name="relu()").kind is ProblemKind.TIMEOUT
    with pytest.raises(ValueError, match="'timout'"):
        StudentProblem("timout", name="relu()")

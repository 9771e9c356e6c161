"""One translation of a check's ending into a result, shared by the grading plugin and the
nbgrader test cell; one formula for a check's random inputs."""

from __future__ import annotations

import importlib.util
import zlib
from pathlib import Path

import numpy as np
import pytest

from nnex.errors import GraderError
from nnex.grading.checks import CheckFailed
from nnex.grading.local_student import LocalModules
from nnex.grading.outcome import GRADER_FAULT, check_result, check_rng
from nnex.grading.problems import ProblemKind, StudentProblem
from nnex.grading.results import Outcome
from nnex.grading.runner import run_checks
from nnex.grading.submissions import Submission
from nnex.integrations.nbgrader.cell import (NOTEBOOK_STUDENT, CheckNotPassed, GraderFault,
                                             check_report, run_check)
from tests.catalogue.ex01_relu import WRONG

EXERCISE = "ex01_relu"


def _namespace(source: str) -> dict:
    namespace: dict = {}
    exec(source, namespace)
    return namespace


def _reference(course) -> dict:
    spec = importlib.util.spec_from_file_location("reference_for_outcome",
                                                  course.solution_path(EXERCISE))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(vars(module))


def test_each_ending_becomes_its_result(course):
    meta = course.exercise(EXERCISE)
    points = meta.checks["relu_lecture"].points
    passed = check_result(meta, "relu_lecture", None, visibility="public", seconds=0.5)
    assert (passed.outcome, passed.points, passed.max_points, passed.seconds) == (
        Outcome.PASSED, points, points, 0.5)

    wrong = CheckFailed("relu(-3)", "wrong value", hint="relu_abs", expected=0.0, actual=3.0)
    failed = check_result(meta, "relu_lecture", wrong, visibility="hidden")
    assert (failed.outcome, failed.points, failed.visibility) == (Outcome.FAILED, 0.0, "hidden")
    assert (failed.what, failed.problem, failed.expected, failed.actual) == (
        "relu(-3)", "wrong value", wrong.expected, wrong.actual)
    assert (failed.hint_key, failed.hint) == ("relu_abs", meta.hint("relu_abs"))

    problem = StudentProblem("timeout", name="relu()", seconds="2")
    problem.hint = "relu_array_support"
    error = check_result(meta, "relu_lecture", problem, visibility="public")
    assert (error.outcome, error.kind, error.message) == (Outcome.ERROR, ProblemKind.TIMEOUT,
                                                          problem.text)
    assert error.hint == meta.hint("relu_array_support")

    broken = check_result(meta, "relu_lecture", KeyError("oops"), visibility="public")
    assert (broken.outcome, broken.message, broken.problem) == (
        Outcome.GRADER_ERROR, GRADER_FAULT, "KeyError: 'oops'")
    traced = check_result(meta, "relu_lecture", KeyError("oops"), visibility="public",
                          trace="Traceback\n  line 1\n" + "x" * 5000 + "\nKeyError: 'oops'")
    assert traced.problem.endswith("x KeyError: 'oops'") and len(traced.problem) == 2000


def test_a_hint_the_exercise_does_not_define_is_a_grader_error(course):
    with pytest.raises(GraderError, match="no_such_hint"):
        check_result(course.exercise(EXERCISE), "relu_lecture",
                     CheckFailed("relu(-3)", "wrong", hint="no_such_hint"), visibility="public")


def test_random_inputs_are_fixed_per_student_exercise_and_check():
    first = check_rng("alice", EXERCISE, "relu_random").normal(size=4)
    assert np.array_equal(first, check_rng("alice", EXERCISE, "relu_random").normal(size=4))
    for other in (("bob", EXERCISE, "relu_random"), ("alice", "ex02_neuron", "relu_random"),
                  ("alice", EXERCISE, "sigmoid_random")):
        assert not np.array_equal(first, check_rng(*other).normal(size=4))
    # The seed stored results were graded with (CRC-32 of the NUL-separated names).
    stored = np.random.default_rng(zlib.crc32(b"alice\0ex01_relu\0test_relu_random"))
    assert np.array_equal(first, stored.normal(size=4))


INPUT_ECHO = '''
import numpy as np
def _echo(x, *rest):
    raise ValueError(np.array2string(np.asarray(x, dtype=float), precision=6))
relu = leaky_relu = sigmoid = _echo
'''
"""Raises with its input in the message: a check's report then shows the inputs it drew."""


@pytest.mark.parametrize("source", [INPUT_ECHO] + [w.source for w in WRONG],
                         ids=["input_echo"] + [w.name for w in WRONG])
def test_the_test_cell_reports_exactly_what_the_plugin_records(course, source):
    """Same inputs, same outcome, same text: the cell and the plugin share one translation."""
    namespace = _namespace(source)
    plugin = run_checks([Submission(NOTEBOOK_STUDENT, Path("."))], course.exercises([EXERCISE]),
                        course=course, hidden=True, modules=LocalModules(namespace))[0]
    for recorded in plugin.exercises[0].checks:
        if recorded.passed:
            run_check(EXERCISE, recorded.name, _namespace(source))
            continue
        with pytest.raises(CheckNotPassed) as caught:
            run_check(EXERCISE, recorded.name, _namespace(source))
        assert str(caught.value) == check_report(recorded)


def test_a_failing_grader_is_not_the_students_fault_in_the_cell(course, monkeypatch):
    import nnex.integrations.nbgrader.cell as cell

    def broken_grader(student):
        raise KeyError("grader bug")

    monkeypatch.setattr(cell, "_grader_function", lambda *_: (broken_grader, "public"))
    with pytest.raises(GraderFault, match=r"ex01_relu\.relu_lecture: KeyError: 'grader bug'") \
            as caught:
        run_check(EXERCISE, "relu_lecture", _reference(course))
    assert GRADER_FAULT.ja in str(caught.value)
    assert not isinstance(caught.value, AssertionError)


@pytest.mark.parametrize("module", ["grading/outcome.py", "grading/stored.py"])
def test_a_change_to_the_translation_regrades(course, tmp_path, module):
    """The translation left plugin.py: a change to it must still change the grader version."""
    import shutil

    from nnex.classgrade import records

    copy = tmp_path / "nnex"
    shutil.copytree(records.NNEX_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    exercises = course.exercises([EXERCISE])
    before = records.grader_version(course, exercises, nnex_dir=copy)
    with (copy / module).open("a", encoding="utf-8") as file:
        file.write("# changed\n")
    assert records.grader_version(course, exercises, nnex_dir=copy) != before

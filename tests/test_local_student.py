"""In-kernel checking (notebooks) runs the same graders with the same outcomes as the worker."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from nnex.grading.local_student import LocalModules
from nnex.grading.runner import run_checks
from nnex.grading.submissions import Submission


def _namespace(path: Path) -> dict:
    spec = importlib.util.spec_from_file_location("reference_in_kernel", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(vars(module))


def _check(course, namespace, hidden=False):
    return run_checks([Submission("notebook", Path("."))], course.exercises(["ex01_relu"]),
                      course=course, hidden=hidden, modules=LocalModules(namespace))[0]


def test_reference_in_a_kernel_gets_full_marks(course):
    result = _check(course, _namespace(course.solution_path("ex01_relu")), hidden=True)
    assert result.score == result.max_score > 0


def test_mistakes_in_a_kernel_get_the_same_hints(course):
    namespace = _namespace(course.solution_path("ex01_relu"))
    namespace["relu"] = lambda x: x
    result = _check(course, namespace)
    failed = {c.name: c.hint_key for c in result.exercises[0].checks if not c.passed}
    assert failed == {"relu_lecture": "relu_negative_passthrough",
                      "relu_array": "relu_negative_passthrough"}


def test_arguments_are_copies_so_in_place_edits_are_seen(course):
    namespace = _namespace(course.solution_path("ex01_relu"))

    def relu(x):
        if np.ndim(x):
            x[x < 0] = 0
            return x
        return max(0, x)

    namespace["relu"] = relu
    result = _check(course, namespace)
    failed = {c.name: c.hint_key for c in result.exercises[0].checks if not c.passed}
    assert failed == {"relu_array": "modifies_input"}


def test_missing_and_raising_functions_are_student_problems(course):
    namespace = _namespace(course.solution_path("ex01_relu"))
    del namespace["sigmoid"]
    namespace["relu"] = lambda x: 1 / 0
    result = _check(course, namespace)
    kinds = {c.name: c.kind for c in result.exercises[0].checks if not c.passed}
    assert kinds["relu_lecture"] == "raised"
    assert kinds["sigmoid_basic"] == "missing_name"

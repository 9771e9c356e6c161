"""Content invariants: solutions score full marks, stubs score 0, signatures and metadata agree."""

from __future__ import annotations

import ast
import importlib.util
import inspect

import pytest

from nnex.course.content import Course
from nnex.course.scaffold import unfinished_parts
from nnex.grading.results import NOT_ATTEMPTED
from tests.conftest import grade_class, solution_sources, write_class

COURSE = Course.installed()
EXERCISES = COURSE.exercise_ids()
ROOT = COURSE.exercises_dir.parent
"""The checkout holding exercises/, graders/, solutions/ (and tests/catalogue/)."""


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_part_of_a_new_exercise_is_written(exercise_id):
    # nnex new-exercise leaves one instruction per file; each says what to write and where to read.
    parts = unfinished_parts(ROOT, exercise_id)
    assert not parts, "still to write:\n" + "\n".join(map(str, parts))


@pytest.fixture(scope="module")
def reference_and_stub_class(tmp_path_factory, course):
    stubs = {e: course.stub_path(e).read_text(encoding="utf-8") for e in EXERCISES}
    root = write_class(tmp_path_factory.mktemp("content") / "class",
                       {"reference": solution_sources(course), "stubs": stubs})
    return grade_class(course, root)


def test_every_solution_scores_full_marks(reference_and_stub_class):
    result = reference_and_stub_class["reference"]
    assert [e.exercise for e in result.exercises] == EXERCISES
    for exercise in result.exercises:
        lost = [(c.name, c.outcome, c.problem, c.message) for c in exercise.checks if not c.passed]
        assert not lost, f"{exercise.exercise}: {lost}"
        assert exercise.score == exercise.max_score > 0


def test_every_stub_scores_zero(reference_and_stub_class):
    result = reference_and_stub_class["stubs"]
    for exercise in result.exercises:
        assert exercise.score == 0, exercise.exercise
        assert exercise.status == NOT_ATTEMPTED, (exercise.exercise, exercise.status)


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_stub_and_solution_signatures_match(course, exercise_id):
    meta = course.exercise(exercise_id)
    stub = _load(course.stub_path(exercise_id), f"stub_{exercise_id}")
    solution = _load(course.solution_path(exercise_id), f"solution_{exercise_id}")
    for name in meta.provides:
        assert hasattr(stub, name) and hasattr(solution, name), name
        stub_value, solution_value = getattr(stub, name), getattr(solution, name)
        assert callable(stub_value) == callable(solution_value), name
        if callable(stub_value):
            assert inspect.signature(stub_value) == inspect.signature(solution_value), name
            assert inspect.getdoc(stub_value), f"{exercise_id}.{name} needs a docstring"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_checks_in_metadata_match_grader_tests(course, exercise_id):
    meta = course.exercise(exercise_id)
    tests = set()
    for path in course.grader_files(exercise_id, hidden=True):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tests |= {node.name[len("test_"):] for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}
    assert tests == set(meta.checks)


def _hint_keys_used(path) -> set[str]:
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "hint" and isinstance(keyword.value, ast.Constant):
                    keys.add(keyword.value.value)
                if keyword.arg == "fingerprints" and isinstance(keyword.value, ast.Dict):
                    keys |= {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "hint_on_error" and node.args and isinstance(node.args[0], ast.Constant):
                keys.add(node.args[0].value)
    keys.discard(None)
    return keys


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_hint_is_defined_and_used(course, exercise_id):
    meta = course.exercise(exercise_id)
    used = set()
    for path in _grader_code(course, exercise_id):
        used |= _hint_keys_used(path)
    assert used - set(meta.hints) == set(), "hints used by the grader but not defined"
    assert set(meta.hints) - used == set(), "hints defined but never given"


def _grader_code(course, exercise_id):
    """The graders of one exercise and the helpers they share."""
    helpers = course.helpers_path(exercise_id)
    return course.grader_files(exercise_id, hidden=True) + ([helpers] if helpers else [])


def test_hints_given_only_in_shared_helpers_are_found(course):
    if "ex05_backprop" not in EXERCISES:
        pytest.skip("a course without ex05_backprop (tests/test_new_exercise.py builds one)")
    # Some of ex05's hints for a wrong parameter dict are given in helpers.py alone: scanning the
    # two test files only would call them unused.
    helpers = course.helpers_path("ex05_backprop")
    in_helpers = _hint_keys_used(helpers)
    tests = course.grader_files("ex05_backprop", hidden=True)
    assert in_helpers - set().union(*map(_hint_keys_used, tests)) >= {"dict_layout", "b2_number"}


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_public_graders_never_import_solutions(course, exercise_id):
    public = [course.graders_dir / exercise_id / "test_public.py",
              course.helpers_path(exercise_id)]
    for path in filter(None, public):
        assert "solutions" not in path.read_text(encoding="utf-8"), path.name

"""Every grader catches its catalogue of wrong implementations, on its own exercise only, with
the intended hint; differently-written correct implementations get full marks.

Each catalogue is graded on its own exercise (grading every exercise for every entry would
cost the slow training checks of ex05/ex06 once per entry of every catalogue). That no other
exercise is affected is shown once per exercise, by a student whose only wrong file is that
exercise's first catalogue entry, graded on every exercise."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from nnex.course.content import Course
from nnex.grading.problems import COMMON_HINTS
from tests.conftest import grade_class, solution_sources, write_class

COURSE = Course.installed()
EXERCISES = COURSE.exercise_ids()
MIN_WRONG = 5
GENERIC_HINTS = {
    "ex01_relu": {"sigmoid_formula"},
    "ex02_neuron": {"weighted_sum_formula", "neuron_formula"},
    "ex03_network": {"layer_formula", "network_formula", "count_formula"},
    "ex04_weight_adjustment": {"step_formula", "neuron_c_formula", "required_formula"},
    "ex05_backprop": {"gradient_formula", "update_formula", "train_formula", "predict_formula",
                      "training_accuracy"},
    "ex06_digits": {"forward_formula", "backprop_formula", "train_step_formula", "batch_order",
                    "loss_formula", "forward_first", "backprop_first", "train_step_first",
                    "digits_accuracy"},
}
"""Hints that name no mistake: the catch-all of a check, "make the function this one is built on
pass first", "training fell short"."""
GENERIC_SHARE = 0.1
"""At most this share of an exercise's known mistakes may get generic hints only."""


def _catalogue(exercise_id: str):
    if not (Path(__file__).parent / "catalogue" / f"{exercise_id}.py").is_file():
        pytest.fail(f"tests/catalogue/{exercise_id}.py is missing: write the catalogue of wrong "
                    "and correct implementations — see docs/authoring.md#catalogue")
    return importlib.import_module(f"tests.catalogue.{exercise_id}")


@pytest.fixture(scope="module", params=EXERCISES)
def graded(request, tmp_path_factory, course):
    """One class per exercise: a student per known implementation, other files correct."""
    exercise_id = request.param
    catalogue = _catalogue(exercise_id)
    solutions = solution_sources(course)
    students = {}
    for implementation in [*catalogue.WRONG, *catalogue.CORRECT]:
        students[implementation.name] = {**solutions, exercise_id: implementation.source}
    root = write_class(tmp_path_factory.mktemp(exercise_id) / "class", students)
    return exercise_id, catalogue, grade_class(course, root, exercises=[exercise_id])


def test_catalogue_is_large_enough(graded):
    exercise_id, catalogue, _ = graded
    assert len(catalogue.WRONG) >= MIN_WRONG, f"{exercise_id} needs >= {MIN_WRONG} wrong ones"
    assert len(catalogue.CORRECT) >= 2


def test_wrong_implementations_are_caught_with_their_hint(graded, course):
    exercise_id, catalogue, results = graded
    meta = course.exercise(exercise_id)
    for wrong in catalogue.WRONG:
        result = results[wrong.name]
        own = result.exercise(exercise_id)
        assert own.score < own.max_score, f"{wrong.name} was not caught"
        hints = {c.hint_key for c in own.checks if not c.passed}
        assert wrong.hint in {**meta.hints, **COMMON_HINTS}, f"{wrong.name}: unknown hint"
        assert wrong.hint in hints, f"{wrong.name}: expected hint {wrong.hint}, got {hints}"


def test_generic_hints_are_the_rare_exception(graded):
    exercise_id, catalogue, results = graded
    generic = [wrong.name for wrong in catalogue.WRONG
               if {c.hint_key for c in results[wrong.name].exercise(exercise_id).checks
                   if not c.passed} <= GENERIC_HINTS[exercise_id] | {None}]
    assert len(generic) <= GENERIC_SHARE * len(catalogue.WRONG), (
        f"{exercise_id}: {len(generic)} of {len(catalogue.WRONG)} known mistakes get only a "
        f"generic hint: {generic}")


def test_a_wrong_file_costs_marks_on_its_own_exercise_only(tmp_path, course):
    solutions = solution_sources(course)
    students = {f"wrong_{e}": {**solutions, e: _catalogue(e).WRONG[0].source} for e in EXERCISES}
    results = grade_class(course, write_class(tmp_path / "class", students))
    for exercise_id in EXERCISES:
        for other in results[f"wrong_{exercise_id}"].exercises:
            if other.exercise == exercise_id:
                assert other.score < other.max_score
            else:
                assert other.score == other.max_score, (
                    f"a wrong {exercise_id} also cost marks in {other.exercise}")


def test_correct_variants_get_full_marks(graded):
    exercise_id, catalogue, results = graded
    for correct in catalogue.CORRECT:
        result = results[correct.name]
        lost = [(e.exercise, c.name, c.outcome, c.problem, c.message and c.message.en)
                for e in result.exercises for c in e.checks if not c.passed]
        assert not lost, f"{correct.name} ({exercise_id}) lost marks: {lost}"

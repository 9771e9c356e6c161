"""ex06_digits beyond the shared content tests: the reference's gradient against finite
differences, the given code (scaffold) that graders take from the stub, the stated accuracy, and
the chain of hints that sends a student to the function that is really wrong."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from nnex.course.content import Course
from nnex.solutions import ex06_digits as ref
from tests.catalogue import ex06_digits as catalogue
from tests.conftest import grade_class, write_class

EXERCISE = "ex06_digits"


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _grader(course: Course):
    return _load(course.graders_dir / EXERCISE / "test_hidden.py", "ex06_hidden_grader")


def _given(course: Course):
    """The stub's given code (load_data, init_params), as the graders use it."""
    return _load(course.stub_path(EXERCISE), "ex06_stub")


def _random_network(rng, sizes, samples):
    params = [(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out))
              for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    X = rng.normal(size=(samples, sizes[0]))
    Y = ref.one_hot(rng.integers(0, sizes[-1], size=samples), sizes[-1])
    return params, X, Y


@pytest.mark.parametrize("sizes", [(5, 3, 2), (7, 6, 4, 3), (4, 4, 4, 4), (64, 16, 16, 10)])
def test_reference_backprop_matches_finite_differences(sizes):
    # Central differences in float64 with h = 1e-6: truncation error ~h² and rounding error
    # ~1e-16 / h, so about 1e-10 in absolute terms. The tolerance, 1e-7 of the largest gradient
    # entry, is three orders above that and far below any real mistake (a wrong factor or a
    # missing σ' changes entries by 10 % or more).
    rng = np.random.default_rng(sum(sizes))
    params, X, Y = _random_network(rng, sizes, samples=6)
    grads = ref.backprop(params, X, Y)
    h = 1e-6
    for (W, b), (dW, db) in zip(params, grads):
        for array, gradient in ((W, dW), (b, db)):
            numeric = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                saved = array[index]
                array[index] = saved + h
                above = ref.loss(params, X, Y)
                array[index] = saved - h
                below = ref.loss(params, X, Y)
                array[index] = saved
                numeric[index] = (above - below) / (2 * h)
            scale = max(np.abs(numeric).max(), 1e-3)
            assert np.abs(gradient - numeric).max() <= 1e-7 * scale


def test_graders_take_the_given_code_from_the_released_stub(course):
    given = _grader(course)._given_code()
    assert given.__file__ == str(course.stub_path(EXERCISE))
    with pytest.raises(NotImplementedError):
        given.train([], None, None, 1.0, 1, 1)


def test_given_data_and_initial_weights(course):
    given = _given(course)
    X_train, y_train, X_test, y_test = given.load_data(seed=0)
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    assert y_train.shape == (1437,) and y_test.shape == (360,)
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    assert set(np.unique(y_test)) == set(range(10))
    again = given.load_data(seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, y_train, X_test, y_test)))
    assert not np.array_equal(given.load_data(seed=1)[3], y_test)

    params = given.init_params((64, 16, 16, 10), seed=0)
    assert [(W.shape, b.shape) for W, b in params] == [((16, 64), (16,)), ((16, 16), (16,)),
                                                         ((10, 16), (10,))]
    assert all(not b.any() for _, b in params)
    # N(0, 1/n_in): 64 inputs give a standard deviation of 1/8 (1024 draws: within 10 %).
    assert abs(params[0][0].std() - 1 / 8) < 0.1 / 8


def test_stated_accuracy_is_what_the_reference_reaches(course):
    grader, given = _grader(course), _given(course)
    X_train, y_train, X_test, y_test = given.load_data(seed=0)
    params = given.init_params(grader.DIGITS_LAYERS, seed=0)
    trained = ref.train(params, X_train, ref.one_hot(y_train), *grader.DIGITS_TRAINING)
    assert ref.accuracy(trained, X_test, y_test) >= 0.95 > grader.DIGITS_ACCURACY
    statement = course.statement_path(EXERCISE).read_text(encoding="utf-8")
    learning_rate, epochs, batch_size, seed = grader.DIGITS_TRAINING
    assert f"{learning_rate}, {epochs}, {batch_size}, seed={seed}" in statement
    assert f"{grader.DIGITS_SECONDS} 秒" in statement and f"{grader.DIGITS_SECONDS} s" in statement


def test_hints_send_the_student_to_the_function_that_is_wrong(tmp_path, course):
    # forward without the bias: every check built on forward names forward, train_step names
    # backprop, train names train_step; nothing blames the functions that are right.
    wrong = next(w for w in catalogue.WRONG if w.name == "forward_without_bias")
    root = write_class(tmp_path / "class", {"student": {EXERCISE: wrong.source}})
    result = grade_class(course, root, exercises=[EXERCISE])["student"].exercise(EXERCISE)
    hints = {c.name: c.hint_key for c in result.checks if not c.passed}
    # Without biases the largest output can still be the right one on all 12 random samples.
    assert hints.pop("predict_accuracy_random", "forward_first") == "forward_first"
    assert hints == {
        "forward_small": "bias_missing", "forward_random": "bias_missing",
        "backprop_small": "backprop_formula", "train_step_small": "train_step_formula",
        "loss_random": "forward_first", "backprop_random": "forward_first",
        "train_step_random": "backprop_first", "train_random": "train_step_first",
    }

"""Hidden checks for ex01_relu: random inputs of several shapes against the reference."""

import numpy as np

from nnex.grading.checks import (SCALAR_ONLY_ERROR, TINY_ATOL, expect_close, expect_shape,
                                 expect_unchanged, hint_on_error)
from nnex.solutions import ex01_relu as ref

SHAPES = [(7,), (3, 4), (2, 3, 2)]


def _inputs(rng):
    for shape in SHAPES:
        yield rng.normal(scale=3.0, size=shape)


def test_relu_random(student, rng):
    inputs = list(_inputs(rng))
    values = student.call_many("relu", [(x.copy(),) for x in inputs])
    for x in inputs:
        with hint_on_error("relu_array_support", "ValueError", "TypeError",
                           matching=SCALAR_ONLY_ERROR):
            got = next(values)
        expect_shape(got, x.shape, what=f"relu(array of shape {x.shape})", hint="relu_shape")
        expect_close(got, ref.relu(x), what=f"relu(array of shape {x.shape})",
                     hint="relu_negative_passthrough",
                     fingerprints={"relu_abs": np.abs(x), "relu_positive": np.zeros_like(x),
                                   "relu_swapped": np.minimum(x, 0)})
    numbers = [float(x) for x in rng.normal(scale=5.0, size=4)]
    for x, got in zip(numbers, student.call_many("relu", [(x,) for x in numbers])):
        expect_close(got, ref.relu(x), what="relu(a random number)",
                     hint="relu_negative_passthrough")


def test_leaky_relu_random(student, rng):
    # alpha > 1 too: np.maximum(x, alpha * x) is leaky ReLU only for alpha <= 1.
    for x, alpha in zip(_inputs(rng), rng.uniform([0.05, 1.5, 0.05], [0.3, 4.0, 0.3])):
        alpha = float(alpha)
        with hint_on_error("relu_array_support", "ValueError", "TypeError",
                           matching=SCALAR_ONLY_ERROR):
            got = student.leaky_relu(x.copy(), alpha)
        expect_close(got, ref.leaky_relu(x, alpha),
                     what=f"leaky_relu(array of shape {x.shape}, alpha={alpha:.3f})",
                     hint="leaky_negative",
                     fingerprints={"leaky_alpha_ignored": ref.leaky_relu(x, 0.01),
                                   "leaky_negative": ref.relu(x),
                                   "leaky_positive": alpha * x,
                                   "leaky_sign": np.where(x > 0, x, -alpha * x),
                                   "leaky_maximum": np.maximum(x, alpha * x)})
    x = rng.normal(scale=3.0, size=5)
    got = student.leaky_relu(x.copy())
    expect_close(got, ref.leaky_relu(x), what="leaky_relu(x) with the default alpha",
                 hint="leaky_negative",
                 fingerprints={"leaky_default_alpha": _other_alpha(got, x)})


def _other_alpha(got, x):
    """What leaky ReLU with another default alpha would give, when ``got`` is that: positive
    inputs unchanged, negative ones times one positive constant other than 0.01; else None."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    negative = x < 0
    if got.shape != x.shape or not negative.any():
        return None
    alpha = float(np.mean(got[negative] / x[negative]))
    return ref.leaky_relu(x, alpha) if alpha > 0 and abs(alpha - 0.01) > 1e-9 else None


def test_sigmoid_random(student, rng):
    for x in _inputs(rng):
        x = x * 10
        got = student.sigmoid(x.copy())
        expect_close(got, ref.sigmoid(x), what=f"sigmoid(array of shape {x.shape})",
                     hint="sigmoid_formula", fingerprints={"sigmoid_sign": ref.sigmoid(-x)},
                     atol=TINY_ATOL)
    x = np.concatenate([rng.uniform(-1000, 1000, size=6), [-1000.0, 1000.0, -745.5, 709.9]])
    with hint_on_error("sigmoid_overflow", "OverflowError"):
        got = student.sigmoid(x)
    finite = bool(np.all(np.isfinite(expect_shape(got, x.shape, what="sigmoid(large inputs)",
                                                  hint="sigmoid_formula"))))
    if finite:  # then tiny values lost to 0 are what can be wrong
        expect_close(got, ref.sigmoid(x), what="sigmoid(large inputs)", atol=TINY_ATOL,
                     hint="sigmoid_tiny")
    expect_close(got, ref.sigmoid(x), what="sigmoid(large inputs)", hint="sigmoid_nan")


def test_inputs_unchanged(student, rng):
    for name, call in (("relu", ()), ("leaky_relu", (0.1,)), ("sigmoid", ())):
        x = rng.normal(size=(3, 2))
        with hint_on_error("relu_array_support", "ValueError", "TypeError",
                           matching=SCALAR_ONLY_ERROR):
            result = student.call(name, x.copy(), *call)
        expect_unchanged(x, result.args[0], what=f"{name}(x)", hint="modifies_input")

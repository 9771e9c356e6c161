"""Public checks for ex01_relu: the lecture's own numbers (shipped to students)."""

import numpy as np

from nnex.grading.checks import (SCALAR_ONLY_ERROR, TINY_ATOL, expect_close, expect_number,
                                 expect_unchanged, fail, hint_on_error)


def test_relu_lecture(student):
    for x, expected in ((-3, 0), (3, 3), (0, 0), (2.5, 2.5), (-0.5, 0)):
        got = student.relu(x)
        expect_number(got, what=f"relu({x})", hint="relu_number_out")
        known = {"relu_abs": abs(x)} if x < 0 else {"relu_positive": 0} if x > 0 else {}
        expect_close(got, expected, what=f"relu({x})", hint="relu_negative_passthrough",
                     fingerprints=known)


def test_relu_array(student):
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    with hint_on_error("relu_array_support", "ValueError", "TypeError",
                           matching=SCALAR_ONLY_ERROR):
        result = student.call("relu", x.copy())
    expect_close(result.value, [0, 0, 0, 1, 2], what="relu([-2, -1, 0, 1, 2])",
                 hint="relu_negative_passthrough",
                 fingerprints={"relu_abs": np.abs(x), "relu_swapped": np.minimum(x, 0)})
    expect_unchanged(x, result.args[0], what="relu([-2, -1, 0, 1, 2])", hint="modifies_input")


def test_leaky_relu_basic(student):
    expect_close(student.leaky_relu(3.0), 3.0, what="leaky_relu(3)", hint="leaky_positive")
    # 0.1: the default misread; +0.02: the negative side's sign flipped.
    expect_close(student.leaky_relu(-2.0), -0.02, what="leaky_relu(-2)", hint="leaky_negative",
                 fingerprints={"leaky_negative": 0.0, "leaky_default_alpha": -0.2,
                               "leaky_sign": 0.02})
    expect_close(student.leaky_relu(-2.0, alpha=0.1), -0.2, what="leaky_relu(-2, alpha=0.1)",
                 hint="leaky_negative", fingerprints={"leaky_alpha_ignored": -0.02})
    x = np.array([-1.0, 0.5, 2.0])
    with hint_on_error("relu_array_support", "ValueError", "TypeError",
                           matching=SCALAR_ONLY_ERROR):
        got = student.leaky_relu(x, 0.2)
    expect_close(got, [-0.2, 0.5, 2.0], what="leaky_relu([-1, 0.5, 2], 0.2)",
                 hint="leaky_negative",
                 fingerprints={"leaky_alpha_ignored": [-0.01, 0.5, 2.0],
                               "leaky_positive": [-0.2, 0.1, 0.4]})


def test_sigmoid_basic(student):
    for x, expected, sign_flipped in ((0.0, 0.5, 0.5),
                                      (2.0, 0.8807970779778823, 0.11920292202211755),
                                      (-1.0, 0.2689414213699951, 0.7310585786300049)):
        expect_close(student.sigmoid(x), expected, what=f"sigmoid({x:g})", hint="sigmoid_formula",
                     fingerprints={"sigmoid_sign": sign_flipped,
                                   "sigmoid_plus_one": float(np.exp(x))})


def test_sigmoid_extremes(student):
    for x, expected in ((-1000.0, 0.0), (1000.0, 1.0), (-40.0, 4.248354255291589e-18)):
        with hint_on_error("sigmoid_overflow", "OverflowError"):
            got = student.sigmoid(x)
        value = expect_number(got, what=f"sigmoid({x:g})", hint="relu_number_out")
        if not np.isfinite(value):
            fail(f"sigmoid({x:g})", f"{value}", hint="sigmoid_nan")
        # Relative error for σ(-40): a sigmoid clipped to exactly 0 beyond |x| ≈ 28 is wrong.
        if 0.0 < expected < 1e-12:
            expect_close(value, expected, what=f"sigmoid({x:g})", atol=TINY_ATOL,
                         hint="sigmoid_tiny")
        expect_close(value, expected, what=f"sigmoid({x:g})", hint="sigmoid_formula")
    x = np.array([-1000.0, 0.0, 1000.0])
    got = student.sigmoid(x)
    expect_close(got, [0.0, 0.5, 1.0], what="sigmoid([-1000, 0, 1000])", hint="sigmoid_nan")

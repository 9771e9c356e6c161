"""Public checks for ex02_neuron: the lecture's own neurons (演習2, 自習2), shipped to students."""

import math

from nnex.grading.checks import expect_close, expect_number, hint_on_error

PATTERN = [1, 1, 1, 0, 1, 1, 0, 0, 1]
"""The 3×3 black-and-white image of the pattern slide (white = 1), also used as its weights."""


def _call(student, name, inputs, weights, bias):
    """One call, which must give one number; returns (value, the expression as shown)."""
    what = f"{name}({inputs}, {weights}, {bias})"
    # A solution written for exactly 2 or 3 inputs fails with IndexError on the other examples.
    with hint_on_error("all_inputs", "IndexError"):
        got = getattr(student, name)(inputs, weights, bias)
    return expect_number(got, what=what, hint="number_out"), what


def test_weighted_sum_lecture(student):
    # 演習2: 1×1 + 0×1 = 1, plus the bias -0.5.
    got, what = _call(student, "weighted_sum", [1, 0], [1, 1], -0.5)
    expect_close(got, 0.5, what=what, hint="weighted_sum_formula",
                 fingerprints={"bias_missing": 1.0, "bias_once": 0.0, "sum_reset": -0.5})
    # The slide's 0.3×0.1 + (-0.5)×0.8 + 0.2×(-0.5) = -0.47, plus 0.2.
    got, what = _call(student, "weighted_sum", [0.3, -0.5, 0.2], [0.1, 0.8, -0.5], 0.2)
    expect_close(got, -0.27, what=what, hint="weighted_sum_formula",
                 fingerprints={"bias_missing": -0.47, "bias_once": 0.13, "all_inputs": -0.17,
                               "sum_reset": 0.1, "bias_sign": -0.67, "weights_missing": 0.2,
                               "multiply_not_add": 0.6})
    # The 3×3 pattern: sum 6, bias -5.
    got, what = _call(student, "weighted_sum", PATTERN, PATTERN, -5)
    expect_close(got, 1, what=what, hint="weighted_sum_formula",
                 fingerprints={"bias_missing": 6, "bias_once": -39, "all_inputs": -3,
                               "sum_reset": -4})


def test_neuron_lecture(student):
    # (inputs, weights, bias, activation, the weighted inputs' sum without the bias)
    for inputs, weights, bias, expected, without_bias in (
            ([1, 0], [1, 1], -0.5, 0.5, 1),     # 演習2: 活性度 0.5
            ([1, 0], [1, 1], 0, 1, 1),          # the bias slide: bias 0 gives 1 ...
            ([1, 0], [1, 1], -1, 0, 1),         # ... and bias -1 gives 0
            (PATTERN, PATTERN, -5, 1, 6)):      # the 3×3 pattern: 6 - 5 = 1
        got, what = _call(student, "neuron", inputs, weights, bias)
        expect_close(got, expected, what=what, hint="neuron_formula",
                     fingerprints={"bias_missing": without_bias})
    # The sum is -0.27: ReLU makes it 0. ReLU before the bias would give 0 + 0.2.
    got, what = _call(student, "neuron", [0.3, -0.5, 0.2], [0.1, 0.8, -0.5], 0.2)
    expect_close(got, 0, what=what, hint="neuron_formula",
                 fingerprints={"relu_missing": -0.27, "relu_before_bias": 0.2})
    # 自習2's inputs, with 演習2's weights (0.1, 0.8, -0.5) and bias 0.2.
    # The step function (演習4) gives 1, the sigmoid σ(sum + bias).
    for first, expected in ((0.1, 1.1), (5.1, 1.6), (10.1, 2.1), (15.1, 2.6)):
        got, what = _call(student, "neuron", [first, 0.8, -0.5], [0.1, 0.8, -0.5], 0.2)
        expect_close(got, expected, what=what, hint="neuron_formula",
                     fingerprints={"step_not_relu": 1, "sigmoid_not_relu": _sigmoid(expected)})


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))

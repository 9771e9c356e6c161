"""Hidden checks for ex02_neuron: random inputs, weights and biases against the reference."""

import math

from nnex.grading.checks import expect_close, expect_number, hint_on_error
from nnex.solutions import ex02_neuron as ref

NO_MATCH = float("nan")
"""A fingerprint that matches nothing, for a mistake that cannot show on a given input."""

LENGTHS = (3, 1, 2, 5, 9, 12)
"""Numbers of inputs. 3 comes first so that a sum written for exactly 2 inputs shows as such;
1 then breaks one written for exactly 3."""


def _case(rng, n):
    """Random inputs and weights of both signs, and a bias well away from 0, as the contract's
    types: lists of Python floats and a Python float."""
    inputs = rng.uniform(-2, 2, size=n).tolist()
    weights = rng.uniform(-2, 2, size=n).tolist()
    bias = float(rng.choice([-1, 1]) * rng.uniform(0.3, 2))
    return inputs, weights, bias


def _case_with_dot(rng, n, sign):
    """Inputs and weights whose weighted sum (without bias) has ``sign`` and is not tiny."""
    while True:
        inputs, weights, _ = _case(rng, n)
        dot = ref.weighted_sum(inputs, weights, 0.0)
        if abs(dot) > 0.1:
            if dot * sign < 0:
                weights, dot = [-w for w in weights], -dot
            return inputs, weights, dot


def _call(student, name, inputs, weights, bias):
    """One call, which must give one number; returns (value, what)."""
    what = f"{name}(inputs, weights, bias) with {len(inputs)} random inputs"
    with hint_on_error("all_inputs", "IndexError"):
        got = getattr(student, name)(inputs, weights, bias)
    return expect_number(got, what=what, hint="number_out"), what


def _calls(student, name, cases):
    """``_call`` on each of ``cases`` (inputs, weights, bias), sent at once: yields each
    ((inputs, weights, bias), value, what) in order."""
    values = student.call_many(name, cases)
    for inputs, weights, bias in cases:
        what = f"{name}(inputs, weights, bias) with {len(inputs)} random inputs"
        with hint_on_error("all_inputs", "IndexError"):
            got = next(values)
        yield (inputs, weights, bias), expect_number(got, what=what, hint="number_out"), what


def test_weighted_sum_random(student, rng):
    cases = [_case(rng, n) for n in LENGTHS]
    for (inputs, weights, bias), got, what in _calls(student, "weighted_sum", cases):
        n = len(inputs)
        dot = ref.weighted_sum(inputs, weights, 0.0)
        expect_close(got, ref.weighted_sum(inputs, weights, bias), what=what,
                     hint="weighted_sum_formula",
                     fingerprints={"bias_missing": dot, "bias_once": dot + n * bias,
                                   "all_inputs": ref.weighted_sum(inputs[:2], weights[:2], bias),
                                   "sum_reset": ref.weighted_sum(inputs[-1:], weights[-1:], bias),
                                   "bias_sign": dot - bias,
                                   "weights_missing": sum(inputs) + bias,
                                   "multiply_not_add": sum(inputs) + sum(weights) + bias})


def test_neuron_bias_and_relu(student, rng):
    # Ablation: two sign patterns in which ReLU-before-bias, a missing ReLU and a missing bias
    # each give a value of their own.
    for n in (2, 4, 7):
        # Weighted inputs negative, a larger positive bias: the activation is dot + bias > 0.
        inputs, weights, dot = _case_with_dot(rng, n, -1)
        bias = -dot + float(rng.uniform(0.2, 1.0))
        got, what = _call(student, "neuron", inputs, weights, bias)
        expect_close(got, dot + bias, what=what, hint="neuron_formula",
                     fingerprints={"relu_before_bias": bias, "bias_missing": 0.0,
                                   "bias_sign": max(dot - bias, 0.0),
                                   "step_not_relu": 1.0})
        # Weighted inputs positive, a larger negative bias: the activation is 0.
        inputs, weights, dot = _case_with_dot(rng, n, +1)
        bias = -dot - float(rng.uniform(0.2, 1.0))
        got, what = _call(student, "neuron", inputs, weights, bias)
        expect_close(got, 0.0, what=what, hint="neuron_formula",
                     fingerprints={"relu_missing": dot + bias, "bias_missing": dot})


def test_neuron_random(student, rng):
    cases = [_case(rng, n) for n in LENGTHS]
    for (inputs, weights, bias), got, what in _calls(student, "neuron", cases):
        dot = ref.weighted_sum(inputs, weights, 0.0)
        # ReLU before the bias differs from no ReLU at all only where the weighted inputs are
        # negative; elsewhere both give dot + bias, which names the missing ReLU.
        before_bias = bias if dot < 0 else NO_MATCH
        total = dot + bias
        expect_close(got, ref.neuron(inputs, weights, bias), what=what, hint="neuron_formula",
                     fingerprints={"relu_missing": total, "relu_before_bias": before_bias,
                                   "bias_missing": max(dot, 0.0),
                                   "step_not_relu": 1.0 if total >= 0 else 0.0,
                                   "sigmoid_not_relu": 1 / (1 + math.exp(-total))})

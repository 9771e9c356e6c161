"""The checks toolkit on its own: which hint a wrong value gets, and the tolerances' edges."""

from __future__ import annotations

import numpy as np
import pytest

from nnex.grading.checks import (FLOAT32_HINT, SCALAR_ONLY_ERROR, SHAPE_ERROR, TINY_ATOL,
                                 CheckFailed, diagnose, expect_close, float32_agrees,
                                 hint_on_error)
from nnex.grading.problems import COMMON_HINTS, StudentProblem


def test_a_fingerprint_another_one_shares_names_neither():
    fingerprints = {"bias_missing": 1.0, "step_not_relu": 1.0, "relu_missing": 2.0}
    assert diagnose(1.0, fingerprints, "neuron_formula") == "neuron_formula"
    assert diagnose(2.0, fingerprints, "neuron_formula") == "relu_missing"


def test_float32_results_are_told_so_and_formula_mistakes_are_not():
    expected = np.array([0.123456789, -4.5e-7, 3.0])
    in_float32 = expected.astype(np.float32)
    assert float32_agrees(in_float32, expected)
    with pytest.raises(CheckFailed) as failed:
        expect_close(in_float32 * np.float32(1.00001), expected, what="x", hint="formula")
    assert failed.value.hint == FLOAT32_HINT and FLOAT32_HINT in COMMON_HINTS
    # Off by more than float32 rounds, or 0 in place of a tiny value: not a precision matter.
    assert not float32_agrees(expected * 1.01, expected)
    assert not float32_agrees([0.123456789, 0.0, 3.0], expected)


def test_tiny_values_are_compared_by_relative_error():
    with pytest.raises(CheckFailed):
        expect_close(0.0, 4.248354255291589e-18, what="sigmoid(-40)", atol=TINY_ATOL)
    expect_close(4.2483542552915e-18, 4.248354255291589e-18, what="sigmoid(-40)",
                 atol=TINY_ATOL)


@pytest.mark.parametrize(("detail", "named"), [
    ("ValueError: The truth value of an array with more than one element is ambiguous.", True),
    ("TypeError: only 0-dimensional arrays can be converted to Python scalars", True),
    ("TypeError: 'int' object is not callable", False),
])
def test_the_arrays_hint_only_for_numpy_scalar_errors(detail, named):
    with pytest.raises(StudentProblem) as raised:
        with hint_on_error("relu_array_support", "ValueError", "TypeError",
                           matching=SCALAR_ONLY_ERROR):
            raise StudentProblem("raised", name="relu", detail=detail)
    assert (raised.value.hint == "relu_array_support") is named


@pytest.mark.parametrize(("detail", "named"), [
    ("ValueError: matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
     "signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 2)", True),
    ("ValueError: operands could not be broadcast together with shapes (4,3) (2,) ", True),
    ("ValueError: math domain error", False),
])
def test_the_transposed_hint_only_for_numpy_shape_errors(detail, named):
    with pytest.raises(StudentProblem) as raised:
        with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
            raise StudentProblem("raised", name="forward", detail=detail)
    assert (raised.value.hint == "weights_transposed") is named

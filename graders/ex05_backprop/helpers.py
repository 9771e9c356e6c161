"""Shared helpers of the ex05_backprop graders: read a parameter dict ({"w1", "b1", "w2",
"b2"}), compare it and name the mistake. Public-safe: shipped to students with the public
grader."""

import re
from contextlib import contextmanager

import numpy as np

from nnex.grading.checks import (FLOAT32_HINT, SHAPE_ERROR, WRONG_VALUE, CheckFailed,
                                 expect_number, expect_shape, fail, float32_agrees, is_close)
from nnex.grading.problems import StudentProblem
from nnex.text import Text

KEYS = ("b2", "w2", "b1", "w1")
"""Compared in backpropagation's order, the output layer first, so the first wrong key named is
the one nearest to the error."""
BIASES = {"b1", "b2"}
WHOLE_RESULT_HINTS = {"params_unchanged", "train_result_ignored"}
"""Hints that say something of every parameter: given only when every parameter matches."""
RETURNED_NONE = Text("パラメータではなく None が返されました",
                     "returned None instead of the parameters")


@contextmanager
def hint_on_shape_error():
    """Name the likely mistake when the student's network code raises: an ``if`` on an array
    (a leaky ReLU written for numbers only), or an index or shape error (w1 read as (2, n), or
    n fixed at 8 instead of read from the shapes)."""
    try:
        yield
    except StudentProblem as problem:
        detail = str(problem.values.get("detail", ""))
        if problem.kind == "raised" and "truth value of an array" in detail:
            problem.hint = "array_support"
        elif problem.kind == "raised" and (
                detail.startswith("IndexError")
                or (detail.startswith("ValueError") and re.search(SHAPE_ERROR + "|unpack",
                                                                  detail))):
            problem.hint = "w1_layout"
        raise


def read_params(got, n, *, what):
    """``got`` as {"w1": (n, 2), "b1": (n,), "w2": (n,), "b2": 0-d} float arrays.

    Lists, tuples and arrays are all accepted; "b2" must be one number (Python or NumPy scalar,
    or a 0-d array); keys beyond the four are ignored.
    """
    if not isinstance(got, dict) or any(key not in got for key in KEYS):
        shown = sorted(got) if isinstance(got, dict) else type(got).__name__
        fail(what, Text(f"キー w1, b1, w2, b2 の dict を返すはずが {shown} でした",
                        f"expected a dict with keys w1, b1, w2, b2, got {shown}"),
             hint="dict_layout")
    values = {"b2": np.asarray(expect_number(got["b2"], what=f'{what}["b2"]', hint="b2_number"))}
    values["w1"] = expect_shape(got["w1"], (n, 2), what=f'{what}["w1"]', hint="w1_layout")
    for key in ("b1", "w2"):
        values[key] = expect_shape(got[key], (n,), what=f'{what}["{key}"]', hint="dict_layout")
    return values


def _find_mistake(got, expected, *, what, fingerprints):
    """None when ``got`` matches ``expected``; else (values, wrong keys, known mistake or None).

    A known mistake is a fingerprint that matches every key, or failing that the first wrong
    key; fingerprint values are a parameter dict or a list of them. Matching uses the same
    tolerance as the comparison itself, so tiny values (the gradients below the output's kink
    are ~1e-7) are not matched by an absolute slack.
    """
    values = read_params(got, len(expected["b1"]), what=what)
    wrong = [key for key in KEYS if not is_close(values[key], expected[key])]
    if not wrong:
        return None
    for keys in (KEYS, wrong[:1]):
        for hint, candidates in fingerprints.items():
            if keys != KEYS and hint in WHOLE_RESULT_HINTS:
                continue
            for candidate in candidates if isinstance(candidates, list) else [candidates]:
                if (all(is_close(values[k], candidate[k]) for k in keys)
                        and not all(is_close(candidate[k], expected[k]) for k in keys)):
                    return values, wrong, hint
    if all(is_close(values[k], expected[k]) or float32_agrees(values[k], expected[k])
           for k in KEYS):
        return values, wrong, FLOAT32_HINT
    return values, wrong, None


def _fail_value(values, expected, key, *, what, hint):
    raise CheckFailed(f'{what}["{key}"]', WRONG_VALUE, hint=hint, expected=expected[key],
                      actual=values[key])


def expect_gradients(got, expected, *, what, fingerprints):
    """``got`` must be ``expected``'s gradient dict (same keys, shapes; values within the
    contract's relative 1e-6); a mismatch names a known mistake, else the biases or the formula."""
    found = _find_mistake(got, expected, what=what, fingerprints=fingerprints)
    if found is None:
        return
    values, wrong, known = found
    if known is not None:
        _fail_value(values, expected, wrong[0], what=what, hint=known)
    if _one_factor(values, expected) is not None:
        _fail_value(values, expected, wrong[0], what=what, hint="constant_factor")
    if set(wrong) <= BIASES:
        _fail_value(values, expected, wrong[0], what=what, hint="bias_gradient")
    _fail_value(values, expected, wrong[0], what=what, hint="gradient_formula")


def _one_factor(values, expected):
    """The one constant c (not 1, not 0) with values = c × expected for every parameter, if
    there is one: a whole gradient scaled (an error of 2 (prediction − target), say)."""
    got = np.concatenate([np.ravel(values[k]) for k in KEYS])
    right = np.concatenate([np.ravel(expected[k]) for k in KEYS]).astype(float)
    scale = float(right @ right)
    if scale == 0.0:
        return None
    factor = float(got @ right) / scale
    if abs(factor - 1.0) < 1e-3 or abs(factor) < 1e-3 or not is_close(got, factor * right):
        return None
    return factor


def expect_params(got, expected, *, what, hint, fingerprints):
    """``got`` must be the parameter dict ``expected`` (train_step's or train's result)."""
    if got is None:
        fail(what, RETURNED_NONE, hint="return_params")
    found = _find_mistake(got, expected, what=what, fingerprints=fingerprints)
    if found is None:
        return
    values, wrong, known = found
    given = fingerprints.get("params_unchanged", fingerprints.get("train_result_ignored"))
    if known is None and given is not None and all(is_close(values[k], given[k]) for k in wrong):
        _fail_value(values, expected, wrong[0], what=what, hint="some_params_unchanged")
    if known is None and given is not None and _one_factor(
            {k: values[k] - np.asarray(given[k], dtype=float) for k in KEYS},
            {k: np.asarray(expected[k], dtype=float) - np.asarray(given[k], dtype=float)
             for k in KEYS}) is not None:
        _fail_value(values, expected, wrong[0], what=what, hint="constant_factor")
    _fail_value(values, expected, wrong[0], what=what, hint=hint if known is None else known)

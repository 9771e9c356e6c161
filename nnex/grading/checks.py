"""The grader's toolbox: compare a student's values with expected ones and name the mistake.

Graders raise ``CheckFailed`` (through these helpers) with the key of a hint from the
exercise's ``exercise.yaml``. Values arrive from the worker as plain numbers, lists, tuples,
dicts and NumPy arrays; the helpers accept lists, tuples and arrays alike, check shapes before
values (``np.allclose`` would broadcast ``(n, 1)`` against ``(n,)``) and use a relative
tolerance (an absolute one would hide errors in tiny gradients).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from nnex.grading.problems import ProblemKind, StudentProblem
from nnex.text import Text

RTOL = 1e-6
"""Default relative tolerance: the contract's 'relative 1e-6 or tighter'."""
ATOL = 1e-12
"""Absolute slack for values that should be exactly 0 (e.g. relu(-3))."""
FLOAT32_RTOL = 1e-4
"""How closely float32 arithmetic (about 7 significant digits, rounding building up over a few
hundred operations) still follows the float64 reference."""
FLOAT32_HINT = "float32_precision"
"""The shared hint (``nnex.grading.problems.COMMON_HINTS``) for values computed in float32."""
SCALAR_ONLY_ERROR = (r"truth value of an array|arrays can be converted to Python scalars"
                     r"|unhashable type: 'numpy.ndarray'")
"""What NumPy raises when code written for one number gets an array (``if x > 0``,
``max(0, x)``, ``math.exp(x)``): matched by ``hint_on_error`` so that another TypeError
("'int' object is not callable") is not blamed on arrays."""
SHAPE_ERROR = r"mismatch in its core dimension|could not be broadcast|not aligned|shapes? \("
"""What NumPy raises when arrays' shapes do not fit (``@``, ``np.dot``, broadcasting): matched
by ``hint_on_error`` so that only such a ValueError is blamed on a transposed matrix."""
TINY_ATOL = 1e-300
"""Absolute slack for values that may be tiny but are not 0 (σ(-40) = 4.2e-18: ATOL would
accept 0 for it); only below float64's normal range (2.2e-308) does a value lose its relative
precision."""
WRONG_VALUE = Text("値が違います", "wrong value")


class CheckFailed(AssertionError):
    """A student's value is wrong. Carries what was checked and the hint that names the mistake.

    Attributes:
        what: the expression checked, e.g. ``relu(-3)``.
        expected / actual: short renderings of the values (None when not shown).
        hint: key of a hint in the exercise's metadata, or None.
        problem: what is wrong, e.g. "shape (3,) instead of (2,)".
    """

    def __init__(self, what: str, problem: str | Text, *, hint: str | None = None,
                 expected: object = None, actual: object = None):
        self.what, self.problem, self.hint = what, str(problem), hint
        self.expected = None if expected is None else render(expected)
        self.actual = None if actual is None else render(actual)
        super().__init__(f"{what}: {problem}")


def render(value: object, limit: int = 160) -> str:
    """A short, readable rendering of a value for feedback."""
    if isinstance(value, np.ndarray) or (isinstance(value, (list, tuple)) and _numeric(value)):
        try:
            text = np.array2string(np.asarray(value, dtype=float), precision=6,
                                   suppress_small=True, threshold=20, separator=", ")
        except (TypeError, ValueError):
            text = repr(value)
    elif isinstance(value, (float, np.floating)):
        text = f"{float(value):.8g}"
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _numeric(value: object) -> bool:
    try:
        np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def as_array(actual: object, *, what: str, hint: str | None = None) -> np.ndarray:
    """``actual`` as a float array, or CheckFailed when it is not numbers in a regular shape."""
    if isinstance(actual, (str, bytes, dict)) or actual is None:
        raise CheckFailed(what, Text(f"数値ではなく {type(actual).__name__} が返されました",
                                     f"expected numbers, got {type(actual).__name__}"), hint=hint,
                          actual=actual)
    try:
        array = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(what, Text("数値が長方形の形（各行の長さが同じ）に並んでいません",
                                     "expected numbers in a regular (rectangular) shape"),
                          hint=hint,
                          actual=actual) from None
    return array


def expect_number(actual: object, *, what: str, hint: str | None = None) -> float:
    """``actual`` must be one number (Python or NumPy scalar, not a list or array)."""
    if isinstance(actual, (bool, int, float, np.number, np.bool_)):
        return float(actual)
    if isinstance(actual, np.ndarray) and actual.ndim == 0:
        return float(actual)
    raise CheckFailed(what, Text(f"数 1 つを返すはずが {_kind(actual)} でした",
                                 f"expected one number, got {_kind(actual)}"), hint=hint,
                      actual=actual)


def expect_shape(actual: object, shape: tuple[int, ...], *, what: str,
                 hint: str | None = None) -> np.ndarray:
    """``actual`` must be numbers of exactly ``shape``; returns it as a float array."""
    array = as_array(actual, what=what, hint=hint)
    if array.shape != tuple(shape):
        raise CheckFailed(what, Text(f"形が {tuple(shape)} ではなく {array.shape} です",
                                     f"shape {array.shape} instead of {tuple(shape)}"),
                          hint=hint,
                          expected=f"shape {tuple(shape)}", actual=actual)
    return array


def is_close(actual: object, expected: object, *, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """True when ``actual`` has ``expected``'s shape and every value is within tolerance."""
    try:
        a = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return False
    e = np.asarray(expected, dtype=float)
    return a.shape == e.shape and bool(np.all(np.abs(a - e) <= atol + rtol * np.abs(e)))


def expect_close(actual: object, expected: object, *, what: str, hint: str | None = None,
                 fingerprints: Mapping[str, object] | None = None, rtol: float = RTOL,
                 atol: float = ATOL, show: bool = True) -> None:
    """``actual`` must match ``expected`` in shape and, within tolerance, in value.

    Args:
        what: the expression checked, shown to the student.
        hint: the hint key used when no fingerprint matches.
        fingerprints: {hint key: what a known wrong implementation returns}; when ``actual``
            matches one, that hint is given instead (the first match wins; None: skipped,
            for a mistake these inputs cannot show).
        rtol, atol: tolerance, ``|a - e| <= atol + rtol * |e|`` element-wise.
        show: include expected and actual values in the message (False for hidden inputs).
    """
    expected_array = np.asarray(expected, dtype=float)
    if expected_array.ndim == 0:
        value = expect_number(actual, what=what, hint=hint)
        actual_array = np.asarray(value)
    else:
        actual_array = expect_shape(actual, expected_array.shape, what=what, hint=hint)
    if is_close(actual_array, expected_array, rtol=rtol, atol=atol):
        return
    raise CheckFailed(what, WRONG_VALUE,
                      hint=diagnose(actual_array, fingerprints, hint, expected=expected_array),
                      expected=expected if show else None, actual=actual if show else None)


def expect_equal(actual: object, expected: object, *, what: str, hint: str | None = None,
                 fingerprints: Mapping[str, object] | None = None, show: bool = True) -> None:
    """``actual`` must equal ``expected`` exactly (whole numbers such as step outputs)."""
    expect_close(actual, expected, what=what, hint=hint, fingerprints=fingerprints,
                 rtol=0.0, atol=0.0, show=show)


def diagnose(actual: object, fingerprints: Mapping[str, object] | None,
             default: str | None, *, expected: object = None) -> str | None:
    """The key of the first fingerprint ``actual`` matches; else ``FLOAT32_HINT`` when
    ``actual`` agrees with ``expected`` to float32 precision (``float32_agrees``); else
    ``default``.

    A fingerprint that another one (of another key) shares is never matched: on this input
    the two mistakes look alike, and naming either could be false.
    """
    known = [(key, wrong) for key, wrong in (fingerprints or {}).items() if wrong is not None]
    for key, wrong in known:
        if is_close(actual, wrong, rtol=1e-6, atol=1e-9) and not any(
                other != key and is_close(wrong, alike, rtol=1e-6, atol=1e-9)
                for other, alike in known):
            return key
    if expected is not None and float32_agrees(actual, expected):
        return FLOAT32_HINT
    return default


def float32_agrees(actual: object, expected: object) -> bool:
    """True when ``actual`` agrees with ``expected`` to float32's precision (what a correct
    computation in float32, or partly in float32, gives), element by element.

    Callers ask this only after the contract's tolerance failed: such a submission is right
    but for its precision, and is told so instead of being sent to look for a formula mistake.
    """
    try:
        a = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return False
    e = np.asarray(expected, dtype=float)
    if a.shape != e.shape or a.size == 0 or not np.all(np.isfinite(a)):
        return False
    # Relative to each value only: an absolute slack would call 0 in place of σ(-40) or of a
    # tiny gradient "float32 precision" too.
    return bool(np.all(np.abs(a - e) <= FLOAT32_RTOL * np.abs(e)))


def expect_unchanged(before: object, after: object, *, what: str, hint: str | None = None) -> None:
    """An argument the contract says must not be modified came back modified."""
    if not is_close(after, before, rtol=0.0, atol=0.0):
        raise CheckFailed(what, Text("関数が入力を書き換えました",
                                     "the function modified its input"), hint=hint)


@contextmanager
def hint_on_error(hint: str, *error_types: str, matching: str | None = None) -> Iterator[None]:
    """Attach ``hint`` to a StudentProblem raised inside, when the student's code raised one of
    ``error_types`` (exception class names such as ``"OverflowError"``; none given: any) and,
    with ``matching``, its message matches that regular expression (e.g. to tell NumPy's
    "truth value of an array is ambiguous" from "shapes not aligned", both ValueErrors)."""
    try:
        yield
    except StudentProblem as problem:
        raised, _, message = str(problem.values.get("detail", "")).partition(":")
        if (problem.kind == ProblemKind.RAISED and (not error_types or raised in error_types)
                and (matching is None or re.search(matching, message))):
            problem.hint = hint
        raise


def fail(what: str, problem: str | Text, *, hint: str | None = None) -> None:
    """Fail a check outright."""
    raise CheckFailed(what, problem, hint=hint)


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"

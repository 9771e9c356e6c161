"""An exercise's ``variants.yaml``: its per-student parameters, its answer and its checks."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nnex.course.yaml_file import check_keys

VARIANTS_FILE = "variants.yaml"
"""Beside ``exercise.yaml``; read only when the course turns per-student numbers on."""
_TOP_KEYS = {"course_id", "parameters", "lecture", "answer", "checks"}
_ANSWER_KEYS = {"constant", "function", "decimals"}
_RANGE_KEYS = {"min", "max", "step"}

Numbers = dict[str, float]
"""One variant: parameter name → value."""


@dataclass(frozen=True)
class VariantSpec:
    """How an exercise gives each student their own numbers.

    Attributes:
        course_id: mixed into every student's numbers (change it each term for new numbers).
        parameters: name → its allowed values, in the order declared.
        lecture: the lecture's own numbers (a value of each parameter).
        constant: the student's module-level name holding the answer for their numbers (added
            to the exercise's ``provides``).
        function: the reference solution's function that derives the answer, called with the
            parameters by name (it lives in the solution, never in the kit).
        decimals: the answer is compared rounded to this many decimal places.
    """

    course_id: str
    parameters: dict[str, tuple[float, ...]]
    lecture: Numbers
    constant: str
    function: str
    decimals: int

    def all_numbers(self) -> list[Numbers]:
        """Every variant, in a fixed order (the order ``pick`` indexes)."""
        names = list(self.parameters)
        return [dict(zip(names, values))
                for values in itertools.product(*self.parameters.values())]


def parse_variants(path: Path, raw: object, provides: tuple[str, ...],
                   error: Callable[[Path, str], Exception]) -> VariantSpec:
    """Validate ``variants.yaml`` (``raw``, read from ``path``) of an exercise that ``provides``
    these names; ``error(path, message)`` on any problem. Its ``checks`` are the caller's."""
    check_keys(path, raw, _TOP_KEYS, _TOP_KEYS, where="", error=error)
    course_id = raw["course_id"]
    if not (isinstance(course_id, str) and course_id.strip()):
        raise error(path, "'course_id' must be a non-empty string such as nnex-2026")

    params = raw["parameters"]
    if not (isinstance(params, dict) and params):
        raise error(path, "'parameters' must map parameter names to their values")
    parameters = {}
    for name, allowed in params.items():
        if not (isinstance(name, str) and name.isidentifier()):
            raise error(path, f"parameters: {name!r} is not a Python name")
        parameters[name] = _allowed(path, name, allowed, error)

    lecture = raw["lecture"]
    if not isinstance(lecture, dict):
        raise error(path, "'lecture' must map each parameter to the lecture's value")
    check_keys(path, lecture, set(parameters), set(parameters), where="lecture.",
               error=error)
    for name, value in lecture.items():
        if not _is_number(value):
            raise error(path, f"'lecture.{name}' must be a number, not {value!r}")

    answer = raw["answer"]
    if not isinstance(answer, dict):
        raise error(path, "'answer' must be a mapping with constant, function and "
                    "decimals")
    check_keys(path, answer, _ANSWER_KEYS, _ANSWER_KEYS, where="answer.", error=error)
    constant, function = answer["constant"], answer["function"]
    if not (isinstance(constant, str) and constant.isidentifier()) or constant in provides:
        raise error(path, f"'answer.constant' {constant!r} must be a Python name that "
                    "exercise.yaml's 'provides' does not have (it is added to them)")
    if not (isinstance(function, str) and function.isidentifier()):
        raise error(path, f"'answer.function' must name a function of the reference "
                    f"solution, not {function!r}")
    decimals = answer["decimals"]
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 8:
        raise error(path, f"'answer.decimals' must be a whole number from 0 to 8, "
                    f"not {decimals!r}")
    return VariantSpec(course_id=course_id.strip(), parameters=parameters, lecture=dict(lecture),
                       constant=constant, function=function, decimals=decimals)


def _allowed(path: Path, name: str, allowed: object,
             error: Callable[[Path, str], Exception]) -> tuple[float, ...]:
    where = f"parameters.{name}"
    if isinstance(allowed, list):
        if not allowed or not all(_is_number(v) for v in allowed):
            raise error(path, f"'{where}' must be a non-empty list of numbers")
        if len(set(allowed)) != len(allowed):
            raise error(path, f"'{where}' lists a value twice")
        return tuple(allowed)
    if isinstance(allowed, dict):
        check_keys(path, allowed, _RANGE_KEYS, _RANGE_KEYS, where=f"{where}.", error=error)
        low, high, step = allowed["min"], allowed["max"], allowed["step"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high, step)) \
                or step <= 0 or high < low:
            raise error(path, f"'{where}' must have whole numbers min <= max and step > 0")
        return tuple(range(low, high + 1, step))
    raise error(path, f"'{where}' must be a list of values or a mapping {{min, max, step}}")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

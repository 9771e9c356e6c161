"""Results for GitHub Classroom's reporter (classroom-resources/autograding-grading-reporter).

Each grading step of the workflow sets an output ``result`` to base64-encoded JSON:
``{"version": 1, "status": "pass"|"fail"|"error", "max_score": N, "tests": [{"name",
"status", "score", "message", ...}]}``; the reporter reads it from ``<STEP_ID>_RESULTS``.

What the reporter (v1) does with it decides the shape. Classroom records the sum of the tests'
``score`` (src/notify-classroom.js), but the table in the student's log gives every test an
equal share: ``passed tests / tests × max_score`` (src/helpers/test-helpers.js,
``getTestScore``). So each check becomes one test per point unit (the largest unit dividing
every check's points; 1 for whole points), all passed or all failed with the check: then the
equal shares add up to nnex's points. The log prints a passed or failed test's ``name`` and an
errored test's ``message`` only (src/console-results.js), so a failed check's details and hint
follow its name on indented lines, and a grader error's message names the check. A line
starting with ``::`` would be run as a workflow command, so student-influenced text is defused.
"""

from __future__ import annotations

import base64
import json
from fractions import Fraction
from math import gcd

from nnex.render.details import detail_lines, points
from nnex.grading.results import GRADER_ERROR, CheckResult, ExerciseResult, SubmissionResult

RESULT_VERSION = 1


def classroom_result(result: SubmissionResult) -> dict:
    """The reporter's JSON for one run of checks (one runner)."""
    checks = [(exercise, check) for exercise in result.exercises for check in exercise.checks]
    unit = point_unit([c.max_points for _, c in checks] + [c.points for _, c in checks])
    tests = [test for exercise, check in checks for test in _unit_tests(exercise, check, unit)]
    if any(t["status"] == "error" for t in tests):
        status = "error"
    else:
        status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": RESULT_VERSION, "status": status, "max_score": result.max_score,
            "tests": tests}


def point_unit(values: list[float]) -> Fraction:
    """The largest fraction that divides every one of ``values`` (1 for whole points)."""
    fractions = [Fraction(v).limit_denominator(1000) for v in values if v]
    if not fractions:
        return Fraction(1)
    denominator = 1
    for f in fractions:
        denominator = denominator * f.denominator // gcd(denominator, f.denominator)
    numerator = 0
    for f in fractions:
        numerator = gcd(numerator, int(f * denominator))
    return Fraction(numerator, denominator)


def _unit_tests(exercise: ExerciseResult, check: CheckResult, unit: Fraction) -> list[dict]:
    """``check`` as one test per ``unit`` of its points; its first earned units pass."""
    count = int(Fraction(check.max_points).limit_denominator(1000) / unit)
    earned = int(Fraction(check.points).limit_denominator(1000) / unit)
    title = f"{exercise.exercise}: {check.title.ja} / {check.title.en}"
    details = [] if check.passed else detail_lines(check)
    if exercise.reason is not None and not check.passed:
        details = exercise.reason.lines()
    failed = "error" if check.outcome == GRADER_ERROR else "fail"
    tests = []
    for index in range(count):
        name = title if count == 1 else f"{title} [{index + 1}/{count}]"
        status = "pass" if index < earned else failed
        explained = index == earned and details  # the first unit not earned says what went wrong
        tests.append({
            "name": defuse("\n".join([name, *(f"    {line}" for line in details)])
                           if explained else name),
            "status": status,
            "score": float(unit) if status == "pass" else 0.0,
            "message": defuse("\n".join([name, *details]) if explained else ""),
            "line_no": 0,
            "execution_time": f"{check.seconds:.3f}s",
        })
    return tests


def encode(payload: dict) -> str:
    """The base64 text a workflow step writes to ``$GITHUB_OUTPUT`` as ``result=...``."""
    return base64.b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode("ascii")


def defuse(text: str) -> str:
    """Make sure no line of ``text`` can be read as a workflow command (``::name::``)."""
    return text.replace("::", ":\u200b:").replace("\r", "")


def summary(result: SubmissionResult) -> str:
    """A one-line summary for humans."""
    return f"{points(result.score)}/{points(result.max_score)}"

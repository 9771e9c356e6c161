"""How a check's ending becomes a ``CheckResult``, and its random inputs: the one translation the
pytest plugin (``nnex grade``), the direct runner (``nnex check``, the notebook's check cell;
both through ``nnex.grading.collect``) and the nbgrader test cell share.
"""

from __future__ import annotations

import zlib

import numpy as np

from nnex.course.metadata import ExerciseMeta
from nnex.errors import GraderError, MetadataError
from nnex.grading.checks import CheckFailed
from nnex.grading.problems import StudentProblem
from nnex.grading.results import CheckResult, Outcome
from nnex.text import Text

GRADER_FAULT = Text("採点プログラム側の問題でこのチェックを実行できませんでした"
                    "（あなたのせいではありません）。"
                    "先生に知らせてください。",
                    "The grader itself failed on this check (not your fault); please tell "
                    "your instructor.")
STUDENT_FAILURES = (CheckFailed, StudentProblem)
"""What a check raises when the student's code is wrong; anything else is the grader's fault."""
TRACE_LIMIT = 2000
"""Characters kept of the grader's own failure report (its end, where the error is)."""


def check_result(exercise: ExerciseMeta, check: str, error: BaseException | None, *,
                 visibility: str, seconds: float = 0.0, trace: str | None = None) -> CheckResult:
    """The result of check ``check`` of ``exercise`` that ended by raising ``error`` (or None).

    Args:
        error: None when the check passed; a ``CheckFailed`` (wrong value) or
            ``StudentProblem`` (the student's code raised, timed out, …) for a failure;
            anything else is a grader error.
        visibility: ``"public"`` or ``"hidden"``.
        seconds: how long the check ran.
        trace: the grader's own report of a grader error (pytest's); by default the
            exception's type and message.

    Raises:
        GraderError: the check named a hint its exercise does not define.
    """
    meta = exercise.checks[check]
    result = CheckResult(name=meta.name, title=meta.title, points=0.0, max_points=meta.points,
                         outcome=Outcome.PASSED, visibility=visibility, seconds=seconds)
    if error is None:
        result.points = meta.points
    elif isinstance(error, CheckFailed):
        result.outcome = Outcome.FAILED
        result.what, result.problem = error.what, error.problem
        result.expected, result.actual = error.expected, error.actual
        result.hint, result.hint_key = _hint(exercise, error.hint), error.hint
    elif isinstance(error, StudentProblem):
        result.outcome, result.kind, result.message = Outcome.ERROR, error.kind, error.text
        result.hint, result.hint_key = _hint(exercise, error.hint), error.hint
    else:
        result.outcome, result.message = Outcome.GRADER_ERROR, GRADER_FAULT
        report = trace if trace is not None else f"{type(error).__name__}: {error}"
        result.problem = " ".join(report.split())[-TRACE_LIMIT:]
    return result


def check_rng(student: str, exercise_id: str, check: str) -> np.random.Generator:
    """The random inputs of one check for one student: the same on every regrade.

    The seed is the CRC-32 of ``student``, ``exercise_id`` and the grader's function name
    ``test_<check>``, NUL-separated (stored results and graders' expectations depend on it).
    """
    seed = zlib.crc32(f"{student}\0{exercise_id}\0test_{check}".encode())
    return np.random.default_rng(seed)


def _hint(exercise: ExerciseMeta, key: str | None) -> Text | None:
    if key is None:
        return None
    try:
        return exercise.hint(key)
    except MetadataError as exc:
        raise GraderError(str(exc)) from None

"""A student's result as Gradescope's ``results.json`` (one test per check, bilingual plain text).

Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (tests with score,
max_score, status, name, output, visibility; top-level score, execution_time, output).

Visibility: public checks are ``visible``. Hidden checks are ``after_published``: students may
resubmit on Gradescope as often as they like, so showing hidden checks at once would let them
probe the hidden inputs by trial; the instructor releases them with the grades. ``hidden`` is
wrong for them because Gradescope means it for tests that carry no points. Even when
published, a hidden check's output names neither its inputs nor its values (instructors see
them in the nnex report). The top-level output is always visible, so it counts only the public
checks' points and says that more is graded. Every output is ``text`` so nothing the student
controls is HTML.
"""

from __future__ import annotations

from nnex.render.details import NOT_ATTEMPTED_TEXT, failure_lines, grader_trace, points
from nnex.grading.results import (GRADER_ERROR, NOT_ATTEMPTED, PASSED, CheckResult, ExerciseResult,
                                  SubmissionResult)
from nnex.text import Text

PUBLIC_VISIBILITY = "visible"
HIDDEN_VISIBILITY = "after_published"
OUTPUT_FORMAT = "text"

PASSED_TEXT = Text("合格", "Passed")
HIDDEN_NOTE = Text("非公開のチェックです（入力と値は表示しません）。",
                   "A hidden check (its inputs and values are not shown).")
GRADER_FAULT_SUMMARY = Text(
    "採点プログラム側の問題で実行できなかったチェックがあります（あなたのせいではありません）。"
    "先生が確認して採点し直します。",
    "Some checks could not run because the grader itself failed (not your fault); your "
    "instructor will look into it and regrade.")
PUBLIC_TOTAL = Text("公開チェックの合計", "Public checks")
HIDDEN_LATER = Text(
    "非公開のチェックも採点されています。その得点は成績の公開後に表示されます。",
    "Hidden checks are graded too; their points appear when grades are published.")
TRACE_TEST_NAME = Text("採点エラーの詳細（教員のみ）", "Grader error details (instructors only)")


def gradescope_results(result: SubmissionResult, *, show_hidden_values: bool = False) -> dict:
    """``result`` in Gradescope's results.json schema, ready for ``json.dump``.

    Args:
        result: the student's graded submission.
        show_hidden_values: also write hidden checks' inputs and values into their output
            (for an instructor-only copy; never upload that one for students).

    Returns:
        A dict with ``score``, ``execution_time``, ``output``, ``output_format`` and ``tests``
        (one per check, numbered ``exercise.check``); when a grader failed, one more
        zero-point ``hidden`` test carrying the grader's report for the instructor.
    """
    tests = []
    for number, exercise in enumerate(result.exercises, start=1):
        for index, check in enumerate(exercise.checks, start=1):
            tests.append(_test(exercise, check, f"{number}.{index}", show_hidden_values))
    traces = [(exercise, check, trace) for exercise in result.exercises
              for check in exercise.checks if (trace := grader_trace(check))]
    if traces:
        tests.append(_trace_test(traces))
    return {
        "score": result.score,
        "execution_time": round(result.seconds, 2),
        "output": _summary(result),
        "output_format": OUTPUT_FORMAT,
        "test_output_format": OUTPUT_FORMAT,
        "test_name_format": OUTPUT_FORMAT,
        "tests": tests,
    }


def _test(exercise: ExerciseResult, check: CheckResult, number: str,
          show_hidden_values: bool) -> dict:
    hidden = check.visibility == "hidden"
    return {
        "name": f"{exercise.exercise}: {check.title.ja} / {check.title.en}",
        "number": number,
        "score": check.points,
        "max_score": check.max_points,
        "status": "passed" if check.outcome == PASSED else "failed",
        "output": "\n".join(_output_lines(exercise, check, show_hidden_values)),
        "output_format": OUTPUT_FORMAT,
        "visibility": HIDDEN_VISIBILITY if hidden else PUBLIC_VISIBILITY,
        "tags": [exercise.exercise],
        "extra_data": {"exercise": exercise.exercise, "check": check.name,
                       "outcome": check.outcome, "kind": check.kind,
                       "hint_key": check.hint_key},
    }


def _output_lines(exercise: ExerciseResult, check: CheckResult,
                  show_hidden_values: bool) -> list[str]:
    lines = []
    if check.visibility == "hidden" and not show_hidden_values:
        lines += HIDDEN_NOTE.lines()
    if check.outcome == PASSED:
        return lines + [str(PASSED_TEXT)]
    if exercise.status == NOT_ATTEMPTED:
        return lines + NOT_ATTEMPTED_TEXT.format(exercise=exercise.exercise).lines()
    lines += failure_lines(check, show_hidden_values=show_hidden_values)
    if check.hint is not None:
        lines += [f"ヒント: {check.hint.ja}", f"Hint: {check.hint.en}"]
    return lines


def _summary(result: SubmissionResult) -> str:
    """The always-visible text: only what public checks earned, so hidden ones stay hidden."""
    public = [(e, [c for c in e.checks if c.visibility != "hidden"]) for e in result.exercises]
    earned = sum(c.points for _, checks in public for c in checks)
    possible = sum(c.max_points for _, checks in public for c in checks)
    lines = [f"{PUBLIC_TOTAL.ja} / {PUBLIC_TOTAL.en}: {points(earned)} / {points(possible)}"]
    for exercise, checks in public:
        lines.append(f"{exercise.exercise}: {points(sum(c.points for c in checks))} / "
                     f"{points(sum(c.max_points for c in checks))}")
        if exercise.reason is not None:
            lines += [f"  {line}" for line in exercise.reason.lines()]
    if any(c.visibility == "hidden" for e in result.exercises for c in e.checks):
        lines += ["", *HIDDEN_LATER.lines()]
    if any(c.outcome == GRADER_ERROR for e in result.exercises for c in e.checks):
        lines += ["", *GRADER_FAULT_SUMMARY.lines()]
    return "\n".join(lines)


def _trace_test(traces: list[tuple[ExerciseResult, CheckResult, str]]) -> dict:
    output = "\n\n".join(f"{exercise.exercise}::{check.name}\n{trace}"
                         for exercise, check, trace in traces)
    return {"name": f"{TRACE_TEST_NAME.ja} / {TRACE_TEST_NAME.en}", "score": 0.0,
            "max_score": 0.0, "status": "failed", "output": output,
            "output_format": OUTPUT_FORMAT, "visibility": "hidden"}

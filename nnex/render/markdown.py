"""A student's feedback as bilingual Markdown."""

from __future__ import annotations

from nnex.render import names
from nnex.render.details import NOT_ATTEMPTED_TEXT, failure_lines, points, said_before
from nnex.grading.results import NOT_ATTEMPTED, PASSED, SubmissionResult


def feedback_markdown(result: SubmissionResult, *, show_hidden_values: bool = False) -> str:
    """Per exercise: checks, points and hints. Hidden checks show pass/fail without their values
    unless ``show_hidden_values``."""
    lines = [f"# フィードバック / Feedback: {names.markdown_name(result.student)}", "",
             f"**合計 / Total: {points(result.score)} / {points(result.max_score)}**", ""]
    for exercise in result.exercises:
        lines += [f"## {exercise.exercise} — {exercise.title.ja} / {exercise.title.en}", "",
                  f"{points(exercise.score)} / {points(exercise.max_score)}", ""]
        if exercise.reason is not None:
            lines += [f"> {names.markdown_line(line)}" for line in exercise.reason.lines()] + [""]
            continue
        if exercise.status == NOT_ATTEMPTED:
            text = NOT_ATTEMPTED_TEXT.format(exercise=exercise.exercise)
            lines += [f"> {line}" for line in text.lines()] + [""]
            continue
        for index, check in enumerate(exercise.checks):
            mark = "✓" if check.outcome == PASSED else "✗"
            hidden = " *(hidden)*" if check.visibility == "hidden" else ""
            lines.append(f"- {mark} {check.title.ja} / {check.title.en} — "
                         f"{points(check.points)}/{points(check.max_points)}{hidden}")
            if check.outcome != PASSED and not said_before(check, exercise.checks[:index]):
                texts = failure_lines(check, show_hidden_values=show_hidden_values)
                if check.hint is not None:
                    texts += [f"ヒント: {check.hint.ja}", f"Hint: {check.hint.en}"]
                lines += [f"    - {names.markdown_line(text)}" for text in texts]
        lines.append("")
    return "\n".join(lines)


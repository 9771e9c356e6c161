"""A student's feedback as one self-contained bilingual HTML page (inline CSS, text escaped)."""

from __future__ import annotations

from html import escape
from importlib.resources import files

from nnex.render import names
from nnex.render.details import (NOT_ATTEMPTED_TEXT, STATUS_LABELS, failure_lines, grader_trace,
                                 points, said_before)
from nnex.grading.results import (GRADER_ERROR, INFRASTRUCTURE, MISSING, NOT_ATTEMPTED,
                                  NOT_LOADABLE, PASSED, CheckResult, ExerciseResult,
                                  SubmissionResult)
from nnex.text import Text

_MARKS = {PASSED: "✓", GRADER_ERROR: "!"}
_STATUS_CSS = {NOT_LOADABLE: "problem", INFRASTRUCTURE: "grader"}
HIDDEN = Text("非公開", "hidden")
OUTPUT = Text("プログラムの出力", "What the code printed")
GRADER_TRACE = Text("採点プログラムのエラー（教員向け）", "The grader's failure (for instructors)")


def feedback_html(result: SubmissionResult, *, show_hidden_values: bool = False) -> str:
    """One student's feedback: per exercise, ✓/✗ per check with points, failures and hints.

    Everything the student controls (their name, messages quoting their code, what it printed)
    is escaped. Hidden checks show pass/fail, points and the hint, not their inputs or values.

    Args:
        result: the student's graded submission.
        show_hidden_values: the instructor's view: hidden checks' inputs and values, the
            grader's own failures and what the student's code printed (which may quote hidden
            inputs, so students never see it here).

    Returns:
        A complete HTML document (UTF-8 text, no external resources).
    """
    title = f"フィードバック / Feedback: {names.label(result.student)}"
    share = result.score / result.max_score if result.max_score else 0.0
    parts = [
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{feedback_css()}</style>\n</head>\n<body>\n"
        "<main>\n<header>\n"
        f'<h1>フィードバック <span class="en" lang="en">/ Feedback</span></h1>\n'
        f'<p class="student">{escape(names.label(result.student))}</p>\n'
        f'<p class="total"><span>合計 <span class="en" lang="en">/ Total</span></span> '
        f'<strong class="points{_full(result.score, result.max_score)}">'
        f"{points(result.score)} / {points(result.max_score)}</strong> "
        f'<span class="bar"><span style="width: {100 * share:.0f}%"></span></span></p>\n'
        "</header>\n"
    ]
    for exercise in result.exercises:
        parts.append(_exercise(exercise, show_hidden_values))
    parts.append("</main>\n</body>\n</html>\n")
    return "".join(parts)


def feedback_css() -> str:
    """The stylesheet every feedback page inlines."""
    return (files("nnex") / "templates" / "feedback.css").read_text(encoding="utf-8")


def bilingual(text: Text) -> str:
    """``text`` as escaped HTML: Japanese, then English in a muted span."""
    return (f'<span lang="ja">{escape(text.ja)}</span> '
            f'<span class="en" lang="en">/ {escape(text.en)}</span>')


def _exercise(exercise: ExerciseResult, show_hidden_values: bool) -> str:
    badge = ""
    if exercise.status in STATUS_LABELS:
        css, label = _STATUS_CSS.get(exercise.status, ""), STATUS_LABELS[exercise.status]
        badge = f' <span class="badge {css}">{bilingual(label)}</span>'
    parts = [
        f'<section class="exercise" id="{escape(exercise.exercise)}">\n<header>\n'
        f'<h2><span class="id">{escape(exercise.exercise)}</span><br>'
        f"{bilingual(exercise.title)}{badge}</h2>\n"
        f'<span class="points{_full(exercise.score, exercise.max_score)}">'
        f"{points(exercise.score)} / {points(exercise.max_score)}</span>\n</header>\n"
    ]
    if exercise.reason is not None:
        parts.append(_note(exercise.reason, "" if exercise.status == MISSING else "problem"))
    elif exercise.status == NOT_ATTEMPTED:
        parts.append(_note(NOT_ATTEMPTED_TEXT.format(exercise=exercise.exercise), ""))
    else:
        parts.append('<ul class="checks">\n')
        parts += [_check(check, show_hidden_values, said_before(check, exercise.checks[:index]))
                  for index, check in enumerate(exercise.checks)]
        parts.append("</ul>\n")
    if show_hidden_values and exercise.output:
        parts.append(f"<details><summary>{bilingual(OUTPUT)}</summary>"
                     f"<pre>{escape(exercise.output)}</pre></details>\n")
    parts.append("</section>\n")
    return "".join(parts)


def _check(check: CheckResult, show_hidden_values: bool, quiet: bool = False) -> str:
    mark = _MARKS.get(check.outcome, "✗")
    hidden = (f' <span class="badge">{bilingual(HIDDEN)}</span>'
              if check.visibility == "hidden" else "")
    parts = [
        f'<li class="{check.outcome}">\n<div class="check-line">'
        f'<span class="mark" aria-label="{check.outcome}">{mark}</span>'
        f'<span class="title">{bilingual(check.title)}{hidden}</span>'
        f'<span class="check-points">{points(check.points)} / {points(check.max_points)}</span>'
        "</div>\n"
    ]
    if check.outcome != PASSED and not quiet:
        parts.append('<div class="details">\n')
        lines = failure_lines(check, show_hidden_values=show_hidden_values)
        if lines:
            css = ' class="grader"' if check.outcome == GRADER_ERROR else ""
            parts.append(f"<pre{css}>{escape(chr(10).join(lines))}</pre>\n")
        if check.hint is not None:
            parts.append(f'<div class="hint"><p lang="ja">ヒント: {escape(check.hint.ja)}</p>'
                         f'<p class="en" lang="en">Hint: {escape(check.hint.en)}</p></div>\n')
        trace = grader_trace(check) if show_hidden_values else None
        if trace:
            parts.append(f"<details><summary>{bilingual(GRADER_TRACE)}</summary>"
                         f"<pre>{escape(trace)}</pre></details>\n")
        parts.append("</div>\n")
    parts.append("</li>\n")
    return "".join(parts)


def _note(text: Text, css: str) -> str:
    return (f'<div class="note {css}"><p lang="ja">{escape(text.ja)}</p>'
            f'<p class="en" lang="en">{escape(text.en)}</p></div>\n')


def _full(score: float, max_score: float) -> str:
    return " full" if max_score and score == max_score else ""

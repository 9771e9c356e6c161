"""Results in the terminal (rich): a student's check report and an instructor's class table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from nnex.text import Text
from nnex.render import names
from nnex.grading.results import (ERROR, GRADER_ERROR, MISSING, NOT_ATTEMPTED, NOT_LOADABLE,
                                  PASSED, CheckResult, ExerciseResult, SubmissionResult)

_STATUS = {
    NOT_ATTEMPTED: ("未着手", "not attempted"),
    MISSING: ("未提出", "not submitted"),
    NOT_LOADABLE: ("読み込めません", "could not be loaded"),
    GRADER_ERROR: ("採点エラー", "grader error"),
}

NOT_ATTEMPTED_TEXT = Text(
    "まだスタブのままです。statements/{exercise}.md を読んで、{exercise}.py の関数を書きましょう。",
    "Still the stub as released: read statements/{exercise}.md and write the functions in "
    "{exercise}.py.")


UNFINISHED_KINDS = ("not_implemented", "not_set")
"""Check error kinds that mean a function or value of the stub is not written yet."""


def said_before(check: CheckResult, earlier: list[CheckResult]) -> bool:
    """True when ``check`` only repeats what an earlier check of its exercise already said
    ("relu is not implemented yet"): renderers then show its ✗ line without the message."""
    return (check.kind in UNFINISHED_KINDS and check.message is not None
            and any(e.kind == check.kind and e.message == check.message for e in earlier))


def points(value: float) -> str:
    """Points without a needless ``.0``."""
    return f"{value:g}"


def print_check_report(console: Console, result: SubmissionResult, *,
                       show_hidden_values: bool = True) -> None:
    """Per exercise, a ✓/✗ line per check with points and the hint for each failure; the total."""
    for exercise in result.exercises:
        _print_exercise(console, exercise, show_hidden_values)
    console.print()
    total = f"合計 / Total: {points(result.score)} / {points(result.max_score)}"
    style = "bold green" if result.score == result.max_score else "bold"
    console.print(total, style=style, highlight=False)


def _print_exercise(console: Console, exercise: ExerciseResult, show_hidden_values: bool):
    header = RichText()
    header.append(f"\n{exercise.exercise}", style="bold")
    header.append(f"  {exercise.title.ja} / {exercise.title.en}  ")
    header.append(f"{points(exercise.score)}/{points(exercise.max_score)}",
                  style="green" if exercise.score == exercise.max_score else "yellow")
    if exercise.status in _STATUS:
        ja, en = _STATUS[exercise.status]
        header.append(f"  ({ja} / {en})", style="dim")
    console.print(header, highlight=False)
    if exercise.reason is not None:
        mark, style = ("·", "dim") if exercise.status == MISSING else ("!", "red")
        for line in exercise.reason.lines():
            console.print(f"  {mark} {names.terminal_line(line)}", style=style,
                          highlight=False, markup=False)
        return
    if exercise.status == NOT_ATTEMPTED:
        for line in NOT_ATTEMPTED_TEXT.format(exercise=exercise.exercise).lines():
            console.print(f"  · {line}", style="dim", highlight=False, markup=False)
        return
    for index, check in enumerate(exercise.checks):
        _print_check(console, check, show_hidden_values,
                     quiet=said_before(check, exercise.checks[:index]))


def _print_check(console: Console, check: CheckResult, show_values: bool, *,
                 quiet: bool = False) -> None:
    mark, style = ("✓", "green") if check.outcome == PASSED else ("✗", "red")
    line = RichText()
    line.append(f"  {mark} ", style=style)
    line.append(f"{check.title.ja} / {check.title.en}")
    line.append(f"  {points(check.points)}/{points(check.max_points)}", style="dim")
    if check.visibility == "hidden":
        line.append("  [hidden]", style="dim")
    console.print(line, highlight=False)
    if check.outcome == PASSED or quiet:
        return
    for text in detail_lines(check, show_values):
        console.print(f"      {text}", highlight=False, markup=False,
                      style="yellow" if check.outcome != GRADER_ERROR else "magenta")


def detail_lines(check: CheckResult, show_values: bool = True) -> list[str]:
    """What to tell the student about a failed check: what failed, the values, the hint."""
    lines = []
    if check.outcome in (ERROR, GRADER_ERROR) and check.message is not None:
        lines += [names.terminal_line(line) for line in check.message.lines()]
    elif check.what:
        lines.append(f"{check.what}: {check.problem}")
        if show_values and (check.expected is not None or check.actual is not None):
            lines.append(f"  期待 / expected: {check.expected}")
            lines.append(f"  結果 / got:      {check.actual}")
    if check.hint is not None:
        lines += [f"ヒント: {check.hint.ja}", f"Hint: {check.hint.en}"]
    return lines


def print_class_table(console: Console, results: list[SubmissionResult],
                      exercise_ids: list[str]) -> None:
    """One row per student, one column per exercise, and the total."""
    table = Table(title="nnex grades", show_lines=False)
    table.add_column("student")
    for exercise_id in exercise_ids:
        table.add_column(exercise_id.split("_")[0], justify="right")
    table.add_column("total", justify="right", style="bold")
    for result in results:
        cells = []
        for exercise_id in exercise_ids:
            try:
                exercise = result.exercise(exercise_id)
            except KeyError:
                cells.append("–")
                continue
            mark = {NOT_LOADABLE: "!", GRADER_ERROR: "?", NOT_ATTEMPTED: "·", MISSING: "-"}.get(
                exercise.status, "")
            cells.append(f"{points(exercise.score)}/{points(exercise.max_score)}{mark}")
        table.add_row(RichText(names.terminal(result.student)), *cells,
                      f"{points(result.score)}/{points(result.max_score)}")
    console.print(table)
    console.print("· not attempted (stub)   - not submitted   ! could not be loaded   "
                  "? grader error", style="dim")

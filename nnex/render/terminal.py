"""Results in the terminal (rich): a student's check report and an instructor's class table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from nnex.render import names
from nnex.render.details import (NOT_ATTEMPTED_TEXT, STATUS_LABELS, detail_lines, points,
                                 said_before)
from nnex.grading.results import (GRADER_ERROR, INFRASTRUCTURE, MISSING, NOT_ATTEMPTED,
                                  NOT_LOADABLE, PASSED, CheckResult, ExerciseResult,
                                  SubmissionResult)


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
    if exercise.status in STATUS_LABELS:
        label = STATUS_LABELS[exercise.status]
        header.append(f"  ({label.ja} / {label.en})", style="dim")
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
            mark = {NOT_LOADABLE: "!", INFRASTRUCTURE: "?", NOT_ATTEMPTED: "·", MISSING: "-"}.get(
                exercise.status, "")
            cells.append(f"{points(exercise.score)}/{points(exercise.max_score)}{mark}")
        table.add_row(RichText(names.terminal(result.student)), *cells,
                      f"{points(result.score)}/{points(result.max_score)}")
    console.print(table)
    console.print("· not attempted (stub)   - not submitted   ! could not be loaded   "
                  "? grader error", style="dim")

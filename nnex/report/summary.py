"""The class report's terminal summary (rich): class figures and one row per exercise."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from nnex.render.details import points
from nnex.report.stats import RESOURCE_KINDS, ClassStats, ExerciseStats
from nnex.grading.results import GRADED, GRADER_ERROR, MISSING, NOT_ATTEMPTED, NOT_LOADABLE

_STATUS_COLUMNS = ((GRADED, "graded"), (NOT_ATTEMPTED, "· stub"), (MISSING, "- missing"),
                   (NOT_LOADABLE, "! load"), (GRADER_ERROR, "? grader"))


def print_report_summary(console: Console, stats: ClassStats) -> None:
    """Print the class's size, mean and median, a row per exercise, each exercise's hardest
    check, and the failures to run; readable in an 80-column terminal (the table's width does
    not depend on check names, which get lines of their own)."""
    console.print(f"人数 students {stats.size}   "
                  f"平均 mean {stats.mean:.1f}/{points(stats.max_score)}   "
                  f"中央値 median {points(stats.median)}   "
                  f"満点 full marks {stats.full_marks}", highlight=False)
    # No vertical rules, no outer edge: the longest exercise id (22 characters), the mean and
    # the five status counts then fit in 80 columns.
    table = Table(title="nnex class report", box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, collapse_padding=True)
    table.add_column("exercise", no_wrap=True)
    table.add_column("mean", justify="right", no_wrap=True)
    for _, header in _STATUS_COLUMNS:
        table.add_column(header, justify="right", no_wrap=True)
    for exercise in stats.exercises:
        table.add_row(exercise.exercise, f"{exercise.mean:.1f}/{points(exercise.max_score)}",
                      *(str(exercise.statuses.get(status, 0)) for status, _ in _STATUS_COLUMNS))
    console.print(table)
    console.print("最も難しいチェック hardest check (合格率 pass rate):", highlight=False)
    for exercise in stats.exercises:
        console.print(f"  {exercise.exercise}: {_hardest(exercise)}", highlight=False,
                      markup=False)
    grader_errors = stats.problem_count(GRADER_ERROR)
    console.print(f"未提出 not submitted {stats.missing_count}", highlight=False)
    console.print(f"実行できず failed to run: not loadable {stats.problem_count(NOT_LOADABLE)}"
                  f" · timeouts etc. {stats.problem_count(*RESOURCE_KINDS)}"
                  f" · grader errors {grader_errors}",
                  style="bold magenta" if grader_errors else None, highlight=False)


def _hardest(exercise: ExerciseStats) -> str:
    rated = [check for check in exercise.checks if check.pass_rate is not None]
    if not rated:
        return "–"
    hardest = min(rated, key=lambda check: check.pass_rate)
    return f"{hardest.name} {100 * hardest.pass_rate:.0f}%"

"""``nnex grade``: grade a whole class."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from nnex.commands import nbgrader
from nnex.errors import UsageError
from nnex.sandbox import ISOLATION_LEVELS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "grade", help="grade a folder of submissions (public and hidden checks)",
        description="Grade SUBMISSIONS (one folder per student holding ex01_relu.py, …) with "
                    "the public and hidden checks. Writes OUT/scores.csv (student, exercise, "
                    "score, max_score, status, seconds) and OUT/feedback/<student>.md. A missing "
                    "file, an import error or a stub scores 0 on that exercise only.")
    parser.add_argument("submissions", type=Path, metavar="SUBMISSIONS",
                        help="folder with one sub-folder per student")
    parser.add_argument("--out", type=Path, metavar="OUT",
                        help="output folder (created; must not be inside SUBMISSIONS)")
    add_grading_options(parser)
    nbgrader.add_grade_option(parser)
    parser.set_defaults(run=run)


def add_grading_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that grades."""
    parser.add_argument("--exercise", "-e", action="append", dest="exercises", metavar="ID",
                        help="grade only this exercise (repeatable; default: all)")
    parser.add_argument("--isolation", choices=ISOLATION_LEVELS, default="auto",
                        help="confinement of student code: bwrap (bubblewrap sandbox + rlimits), "
                             "rlimits (resource limits only), auto (bwrap when it works; "
                             "default)")


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.render.terminal import print_class_table

    if args.nbgrader is not None:
        return nbgrader.run_grade(args, out, err)
    if args.out is None:
        raise UsageError("--out OUT is required: the folder for scores.csv and feedback/")

    result = grade_with_progress(args.submissions, args.out, args, err)
    print_class_table(out, result.submissions, result.exercise_ids)
    out.print(f"scores: {result.out / 'scores.csv'}   feedback: {result.out / 'feedback'}")
    return 0


def grade_with_progress(submissions: Path, out_dir: Path, args, err):
    """Grade with a progress bar on stderr (students done / total, ETA); the ClassResult."""
    from nnex.grade import grade_class

    columns = [TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("grading", total=None)

        def done(_result) -> None:
            progress.advance(task)

        def warn(message: str) -> None:
            err.print(f"nnex: warning: {message}", style="bold yellow")

        def start(total: int) -> None:
            progress.update(task, total=total)

        return grade_class(submissions, out_dir, exercise_ids=args.exercises,
                           isolation=args.isolation, on_start=start, on_result=done, warn=warn)

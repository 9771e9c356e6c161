"""``nnex grade``: grade a whole class (in parallel, resumable, optionally one shard of it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

from nnex.commands import nbgrader
from nnex.errors import UsageError
from nnex.sandbox.bubblewrap import ISOLATION_LEVELS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "grade", help="grade a folder of submissions (public and hidden checks)",
        usage="%(prog)s SUBMISSIONS --out OUT [options]\n"
              "       %(prog)s --nbgrader COURSE ASSIGNMENT [--out OUT] [options]",
        description="Grade SUBMISSIONS (one folder per student holding ex01_relu.py, …) with "
                    "the public and hidden checks, in parallel. Writes OUT/scores.csv (student, "
                    "exercise, score, max_score, status, seconds), OUT/grades.csv (a row per "
                    "student, a column per exercise, total), OUT/gradebook.sqlite (every run, "
                    "kept) and OUT/feedback/<student>.md. A missing file, an import error or a "
                    "stub scores 0 on that exercise only. Rerunning resumes: only new or "
                    "changed submissions are graded again.")
    parser.add_argument("submissions", type=Path, metavar="SUBMISSIONS",
                        help="folder with one sub-folder per student")
    parser.add_argument("--out", type=Path, metavar="OUT",
                        help="output folder (created; must not be inside SUBMISSIONS)")
    add_grading_options(parser)
    nbgrader.add_grade_option(parser)
    parser.add_argument("--shard", metavar="K/N",
                        help="grade only shard K of N (students split by a stable hash of "
                             "their name); combine the shards' folders with nnex merge")
    parser.add_argument("--junit", type=Path, metavar="FILE",
                        help="also write JUnit XML (a test case per check per student) for "
                             "GitLab, Jenkins and other CI")
    parser.add_argument("--force", action="store_true",
                        help="regrade every student, even unchanged ones")
    parser.add_argument("--roster", type=Path, metavar="ROSTER",
                        help="roster.csv: roster students without a folder are listed as "
                             "no_submission, folders not on it are reported; kept as "
                             "OUT/roster.csv for later gradings and nnex export")
    parser.add_argument("--late-policy", type=Path, metavar="YAML",
                        help="due dates, grace, penalty and extensions (late.yaml), applied "
                             "to SUBMISSIONS/submitted.csv's times (written by nnex import); "
                             "kept as OUT/late.yaml for later gradings of OUT")
    parser.set_defaults(run=run)


def add_grading_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that grades a class."""
    parser.add_argument("--exercise", "-e", action="append", dest="exercises", metavar="ID",
                        help="grade only this exercise (repeatable; default: all)")
    parser.add_argument("--isolation", choices=ISOLATION_LEVELS, default="auto",
                        help="confinement of student code: bwrap (bubblewrap sandbox + rlimits), "
                             "rlimits (resource limits only, no sandbox: an explicit choice, "
                             "recorded on every output), auto (= bwrap, an error when it cannot "
                             "work; default)")
    parser.add_argument("--workers", "-j", metavar="N",
                        help="grading processes in parallel (default: the number of cores)")


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.render.terminal import print_class_table

    if args.nbgrader is not None:
        if args.roster is not None or args.late_policy is not None:
            raise UsageError("--roster and --late-policy work with SUBMISSIONS --out OUT, not "
                             "with --nbgrader (nbgrader keeps its own due dates)")
        return nbgrader.run_grade(args, out, err)
    if args.out is None:
        raise UsageError("--out OUT is required: the folder for scores.csv and feedback/")

    from nnex.term.gradesheet import apply_term, check_term_inputs

    term = {"roster_path": args.roster, "policy_path": args.late_policy}
    check_term_inputs(args.out, args.submissions, **term)
    result = grade_with_progress(args.submissions, args.out, args, err)
    grades = apply_term(args.out, args.submissions, **term)  # also the kept roster, overrides
    for warning in grades.warnings if grades else []:
        err.print(f"nnex: warning: {warning}", style="bold yellow", markup=False,
                  highlight=False, soft_wrap=True)
    if args.junit is not None:
        from nnex.files import write_atomic
        from nnex.render.junit import junit_xml

        args.junit.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(args.junit, junit_xml(result.submissions))
    print_class_table(out, result.submissions, result.exercise_ids)
    print_summary(out, result)
    return 0


def print_summary(console, result) -> None:
    """Who was graded or reused, the confinement used, and where the outputs are."""
    isolation = f"   isolation: {result.isolation}" if result.isolation else ""
    console.print(f"graded {len(result.graded)}, unchanged and kept {len(result.reused)}"
                  f"{isolation}")
    output_paths(console, result.out)
    if result.report_stale:
        console.print(f"{result.out / 'report.html'} shows an earlier grading (marked so in the "
                      f"page): run `nnex report {result.out}` to update it", style="yellow",
                      markup=False, highlight=False, soft_wrap=True)


def output_paths(console, out: Path) -> None:
    """Where the outputs of a graded class are."""
    console.print(f"scores: {out / 'scores.csv'}   grades: {out / 'grades.csv'}   "
                  f"gradebook: {out / 'gradebook.sqlite'}   feedback: {out / 'feedback'}",
                  soft_wrap=True)


def parse_workers(text: str | None) -> int | None:
    """The value of ``--workers`` (None: the default).

    Raises:
        UsageError: not a whole number of at least 1.
    """
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise UsageError(f"--workers '{text}': give a whole number of grading processes, "
                         "1 or more")
    return value


def grade_with_progress(submissions: Path, out_dir: Path, args, err):
    """Grade with a progress bar on stderr (students done / total, ETA, failures so far)."""
    from nnex.classgrade.grade import grade_class
    from nnex.grading.results import INFRASTRUCTURE
    from nnex.classgrade.shards import parse_shard

    workers = parse_workers(args.workers)
    shard = parse_shard(args.shard) if getattr(args, "shard", None) else None
    columns = [TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn(),
               TextColumn("[yellow]{task.fields[below]} below full marks"),
               TextColumn("[red]{task.fields[errors]} grader errors")]
    with Progress(*columns, console=err, transient=True,
                  disable=not err.is_terminal) as progress:
        task = progress.add_task("grading", total=None, below=0, errors=0)
        counts = {"below": 0, "errors": 0}

        def start(total: int, already: int) -> None:
            progress.reset(task, total=total, completed=already)

        def done(result) -> None:
            counts["below"] += result.score < result.max_score
            counts["errors"] += any(e.status == INFRASTRUCTURE for e in result.exercises)
            progress.update(task, advance=1, **counts)

        def warn(message: str) -> None:
            progress.console.print(f"nnex: warning: {message}", style="bold yellow",
                                   markup=False, highlight=False, soft_wrap=True)

        return grade_class(submissions, out_dir, exercise_ids=args.exercises,
                           isolation=args.isolation, workers=workers, shard=shard,
                           force=getattr(args, "force", False), on_start=start,
                           on_result=done, warn=warn)

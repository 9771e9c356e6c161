"""``nnex grade``: grade a whole class (in parallel, resumable, optionally one shard of it)."""

from __future__ import annotations

import argparse
from pathlib import Path

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
                        default=library_defaults()["force"],
                        help="regrade every student, even unchanged ones")
    parser.add_argument("--similarity", action="store_true",
                        help="then write similarity leads into OUT as nnex similarity does "
                             "(alike code, identical wrong answers; needs nnex[similarity])")
    parser.add_argument("--roster", type=Path, metavar="ROSTER",
                        help="roster.csv: roster students without a folder are listed as "
                             "no_submission, folders not on it are reported; kept as "
                             "OUT/roster.csv for later gradings and nnex export")
    parser.add_argument("--late-policy", type=Path, metavar="YAML",
                        help="due dates, grace, penalty and extensions (late.yaml), applied "
                             "to SUBMISSIONS/submitted.csv's times (written by nnex import); "
                             "kept as OUT/late.yaml for later gradings of OUT")
    parser.set_defaults(run=run)


def library_defaults() -> dict:
    """The keyword defaults of ``grade_class``: the options' defaults are read from there."""
    from nnex.classgrade.grade import grade_class

    return dict(grade_class.__kwdefaults__)


def add_grading_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that grades a class (``grading_options`` reads them)."""
    defaults = library_defaults()
    parser.add_argument("--exercise", "-e", action="append", dest="exercises", metavar="ID",
                        default=defaults["exercise_ids"],
                        help="grade only this exercise (repeatable; default: all)")
    parser.add_argument("--isolation", choices=ISOLATION_LEVELS, default=defaults["isolation"],
                        help="confinement of student code: bwrap (bubblewrap sandbox + rlimits), "
                             "rlimits (resource limits only, no sandbox: an explicit choice, "
                             "recorded on every output), auto (= bwrap, an error when it cannot "
                             f"work); default: {defaults['isolation']}")
    parser.add_argument("--workers", "-j", metavar="N", default=defaults["workers"],
                        help="grading processes in parallel (default: the number of cores)")


def grading_options(args: argparse.Namespace) -> dict:
    """The keyword arguments of ``grade_class`` that ``add_grading_options`` parsed."""
    return {"exercise_ids": args.exercises, "isolation": args.isolation, "workers": args.workers}


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.render.terminal import print_class_table

    if args.similarity and (args.nbgrader is not None or args.shard):
        raise UsageError("--similarity compares a whole class in one folder of submissions; "
                         "without --nbgrader and --shard, or run nnex similarity on the "
                         "submissions with --out set to the merged folder")
    if args.nbgrader is not None:
        if args.roster is not None or args.late_policy is not None:
            raise UsageError("--roster and --late-policy work with SUBMISSIONS --out OUT, not "
                             "with --nbgrader (nbgrader keeps its own due dates)")
        return nbgrader.run_grade(args, out, err)
    if args.out is None:
        raise UsageError("--out OUT is required: the folder for scores.csv and feedback/")
    if args.similarity:
        from nnex.commands.similarity import require_library

        require_library()
    from nnex.classgrade.shards import parse_shard
    from nnex.term.gradesheet import apply_term, check_term_inputs

    term = {"roster_path": args.roster, "policy_path": args.late_policy}
    check_term_inputs(args.out, args.submissions, **term)
    shard = parse_shard(args.shard) if args.shard else None
    result = grade_with_progress(err, args.submissions, args.out, shard=shard, force=args.force,
                                 **grading_options(args))
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
    print_summary(out, result, leads_follow=args.similarity)
    if args.similarity:
        from nnex.commands.similarity import write_leads

        write_leads(args.submissions, args.out, out, exercise_ids=args.exercises)
    return 0


def grade_with_progress(err, submissions: Path, out: Path, **options):
    """``grade_class(submissions, out, **options)`` with a progress bar on ``err``."""
    from nnex.classgrade.grade import grade_class
    from nnex.render.progress import class_progress

    with class_progress(err) as progress:
        return grade_class(submissions, out, on_start=progress.start, on_result=progress.done,
                           warn=progress.warn, **options)


def print_summary(console, result, *, leads_follow: bool = False) -> None:
    """Who was graded or reused, the confinement used, and where the outputs are.

    Args:
        leads_follow: similarity leads are written next (``--similarity``), so an outdated
            similarity page is about to be replaced: not worth a line.
    """
    from nnex.classgrade.layout import OutputLayout

    isolation = f"   isolation: {result.isolation}" if result.isolation else ""
    if result.total_limit:
        isolation += f"   total limit per sandbox: {result.total_limit}"
    console.print(f"graded {len(result.graded)}, unchanged and kept {len(result.reused)}"
                  f"{isolation}")
    output_paths(console, result.out)
    if result.stale.report:
        console.print(f"{OutputLayout(result.out).report} shows an earlier grading (marked so in "
                      f"the page): run `nnex report {result.out}` to update it", style="yellow",
                      markup=False, highlight=False, soft_wrap=True)
    if result.stale.similarity and not leads_follow:
        console.print(f"{OutputLayout(result.out).similarity_page} compared an earlier grading "
                      f"(marked so in the page): run `nnex similarity SUBMISSIONS --out "
                      f"{result.out}` (or grade with --similarity) to update it", style="yellow",
                      markup=False, highlight=False, soft_wrap=True)


def output_paths(console, out: Path) -> None:
    """Where the outputs of a graded class are."""
    from nnex.classgrade.layout import OutputLayout

    layout = OutputLayout(out)
    console.print(f"scores: {layout.scores_csv}   grades: {layout.grades_csv}   "
                  f"gradebook: {layout.gradebook}   feedback: {layout.feedback}", soft_wrap=True)

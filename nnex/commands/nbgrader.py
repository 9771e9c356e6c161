"""``nnex nbgrader export`` and ``nnex grade --nbgrader``: nnex inside an nbgrader course."""

from __future__ import annotations

import argparse
from pathlib import Path

from nnex.errors import UsageError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "nbgrader", help="use nnex's exercises in an nbgrader course",
        description="Work with nbgrader. 'nnex nbgrader export' writes an nbgrader course; "
                    "'nnex grade --nbgrader COURSE ASSIGNMENT' grades its submissions with "
                    "nnex's sandboxed grader and writes the scores into nbgrader's gradebook.")
    commands = parser.add_subparsers(dest="nbgrader_command", metavar="COMMAND", required=True)
    export = commands.add_parser(
        "export", help="write an nbgrader course (config and source notebooks)",
        description="Write COURSE/nbgrader_config.py and COURSE/source/<assignment>/"
                    "<exercise>.ipynb: statement, solution cell (stub + reference in BEGIN/END "
                    "SOLUTION regions) and one autograded test cell per check, hidden checks in "
                    "BEGIN/END HIDDEN TESTS regions. Then run 'nbgrader generate_assignment' "
                    "in COURSE. Needs the nbgrader extra: pip install 'nnex[nbgrader]'.")
    export.add_argument("--course", type=Path, required=True, metavar="COURSE",
                        help="the nbgrader course folder (created)")
    export.add_argument("--course-file", type=Path, metavar="YAML",
                        help="which exercises make up which assignment (default: one "
                             "assignment per exercise; format in "
                             "nnex/integrations/nbgrader/course_file.py)")
    export.add_argument("--force", action="store_true",
                        help="replace existing source notebooks and nbgrader_config.py")
    export.set_defaults(run=run_export)


def add_grade_option(parser: argparse.ArgumentParser) -> None:
    """The ``--nbgrader COURSE`` option of ``nnex grade``."""
    parser.add_argument("--nbgrader", type=Path, metavar="COURSE",
                        help="grade an nbgrader course instead: 'nnex grade --nbgrader COURSE "
                             "ASSIGNMENT' grades submitted/<student>/ASSIGNMENT/*.ipynb and "
                             "writes the scores into the course's gradebook; nnex's own "
                             "outputs go to --out (default: COURSE/nnex-grading/ASSIGNMENT), "
                             "and a rerun regrades only changed submissions")


def run_export(args: argparse.Namespace, out, err) -> int:
    from nnex.integrations.nbgrader.export import export_course

    result = export_course(args.course, course_file=args.course_file, force=args.force)
    count = sum(len(paths) for paths in result.notebooks.values())
    out.print(f"wrote the nbgrader course {result.root}: {len(result.notebooks)} assignments, "
              f"{count} notebooks", markup=False)
    if not result.config_written:
        out.print(f"kept the existing {result.config} (--force replaces it)", markup=False)
    first = next(iter(result.notebooks))
    out.print(f"next:  cd {result.root} && nbgrader generate_assignment {first}", markup=False)
    return 0


def run_grade(args: argparse.Namespace, out, err) -> int:
    """``nnex grade --nbgrader COURSE ASSIGNMENT`` (ASSIGNMENT arrives as ``submissions``)."""
    from nnex.classgrade.grade import check_workers
    from nnex.commands.grade import print_summary
    from nnex.integrations.nbgrader.grade import grade_nbgrader_assignment
    from nnex.render.progress import class_progress
    from nnex.render.terminal import print_class_table

    assignment = str(args.submissions)
    if not assignment or "/" in assignment:
        raise UsageError(f"'{assignment}' is not an assignment name; use "
                         "nnex grade --nbgrader COURSE ASSIGNMENT")
    if args.exercises:
        raise UsageError("--exercise does not apply with --nbgrader: the assignment's notebooks "
                         "say which exercises to grade")
    if args.shard:
        raise UsageError("--shard does not apply with --nbgrader: grade the whole assignment")
    workers = check_workers(args.workers)  # before the course is read
    with class_progress(err) as progress:
        result = grade_nbgrader_assignment(
            args.nbgrader, assignment, isolation=args.isolation, out=args.out,
            workers=workers, force=args.force,
            on_start=progress.start, on_result=progress.done, warn=progress.warn)
    print_class_table(out, result.submissions, result.exercise_ids)
    print_summary(out, result.graded)
    out.print(f"wrote {len(result.submissions)} submissions of {assignment} into the nbgrader "
              f"gradebook {result.gradebook}", markup=False)
    return 0

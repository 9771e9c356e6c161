"""``nnex override``: a manual adjustment of one student's exercise, kept with who/when/why."""

from __future__ import annotations

import argparse
from pathlib import Path

from nnex.errors import UsageError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "override", help="set a student's points on an exercise by hand (kept across regrades)",
        usage="%(prog)s STUDENT EXERCISE POINTS --reason TEXT --out OUT\n"
              "       %(prog)s --csv FILE --out OUT",
        description="Record a manual adjustment in OUT/gradebook.sqlite with who, when and "
                    "why. It applies over the raw score and the late policy in grades.csv, "
                    "scores.csv, the feedback and every export, and no regrade replaces it. "
                    "--csv reads many (columns student, exercise, points, reason).")
    parser.add_argument("student", nargs="?", metavar="STUDENT")
    parser.add_argument("exercise", nargs="?", metavar="EXERCISE")
    parser.add_argument("points", nargs="?", metavar="POINTS")
    parser.add_argument("--reason", metavar="TEXT", help="why (kept with the override)")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="a CSV of overrides")
    parser.add_argument("--by", metavar="NAME", help="who (default: your login name)")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT",
                        help="the graded output folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.term.gradesheet import refresh_term_files
    from nnex.term.overrides import (Override, add_overrides, parse_points,
                                     read_overrides_csv)

    single = (args.student, args.exercise, args.points)
    if args.csv is not None:
        if any(single):
            raise UsageError("give STUDENT EXERCISE POINTS or --csv FILE, not both")
        wanted = read_overrides_csv(args.csv)
    elif all(single):
        if not args.reason:
            raise UsageError("--reason TEXT is required: it is kept with the override")
        wanted = [Override(args.student, args.exercise, parse_points(args.points, "POINTS"),
                           args.reason)]
    else:
        raise UsageError("give STUDENT EXERCISE POINTS --reason TEXT, or --csv FILE")
    stored = add_overrides(args.out, wanted, who=args.by)
    refresh_term_files(args.out)
    for override in stored:
        out.print(f"{override.student} {override.exercise}: {override.points:g} points "
                  f"({override.reason}; {override.who}, {override.at})",
                  markup=False, highlight=False, soft_wrap=True)
    return 0

"""``nnex export``: final grades as the CSV an LMS gradebook imports (Canvas, Moodle)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nnex.errors import UsageError
from nnex.term.lms_export import EXPORT_FORMATS


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="write the final grades for an LMS gradebook (canvas, moodle, csv)",
        description="Write OUT's final grades (after the late policy and overrides), one row "
                    "per roster student, as Canvas's gradebook import CSV, Moodle's grade "
                    "import CSV (keyed by ID number) or a plain CSV. Needs a grading with "
                    "--roster.")
    parser.add_argument("out_dir", type=Path, metavar="OUT", help="the graded output folder")
    parser.add_argument("--to", required=True, choices=EXPORT_FORMATS)
    parser.add_argument("--column", action="append", default=[], metavar="EXERCISE=HEADER",
                        help="head EXERCISE's column so (repeatable); for Canvas use the "
                             "gradebook's 'Name (assignment id)' to update that assignment")
    parser.add_argument("--file", type=Path, metavar="FILE",
                        help="where to write (default: OUT/export-<format>.csv)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.classgrade.layout import OutputLayout
    from nnex.files import write_atomic
    from nnex.term.lms_export import export_grades

    text = export_grades(args.out_dir, to=args.to, columns=_columns(args.column))
    target = args.file or OutputLayout(args.out_dir).lms_export(args.to)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    out.print(f"wrote {target}", markup=False, highlight=False, soft_wrap=True)
    return 0


def _columns(pairs: list[str]) -> dict[str, str]:
    columns = {}
    for pair in pairs:
        exercise, _, header = pair.partition("=")
        if not exercise.strip() or not header.strip():
            raise UsageError(f"--column '{pair}': write EXERCISE=HEADER, e.g. "
                             "ex01_relu='Lab 1 (1234)'")
        columns[exercise.strip()] = header.strip()
    return columns

"""``nnex demo``: grade the bundled demo class, to see what instructors get."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from nnex.commands.grade import (add_grading_options, grade_with_progress, grading_options,
                                 print_summary)
from nnex.errors import CourseError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="grade the bundled demo class (correct, partial and broken submissions)",
        description="Grade the demo class that ships with nnex and print the result table.")
    parser.add_argument("--out", type=Path, default=Path("nnex-demo-out"), metavar="OUT",
                        help="output folder (default: ./nnex-demo-out)")
    add_grading_options(parser)
    parser.set_defaults(run=run)


def demo_class_dir() -> Path:
    """Where the bundled demo class is installed."""
    spec = importlib.util.find_spec("nnex.examples")
    if spec is None or not spec.submodule_search_locations:
        raise CourseError("the demo class is not installed; reinstall nnex")
    return Path(list(spec.submodule_search_locations)[0]) / "demo_class"


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.render.terminal import print_class_table

    result = grade_with_progress(err, demo_class_dir(), args.out, **grading_options(args))
    print_class_table(out, result.submissions, result.exercise_ids)
    print_summary(out, result)
    out.print(f"class report: nnex report {args.out}")
    out.print(f"the demo class's submissions: {demo_class_dir()}  (similarity leads: nnex "
              f"similarity {demo_class_dir()} --out {args.out})", markup=False, highlight=False,
              soft_wrap=True)
    return 0

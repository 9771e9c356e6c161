"""``nnex new-exercise``: scaffold every file of a new exercise in a clone of the repository."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "new-exercise", help="scaffold every file of a new exercise (course authors)",
        description="Write the files of exercise ID into a clone of the nnex repository: "
                    "exercises/ID/ (exercise.yaml, statement.md, stub.py, notebook.yaml), "
                    "solutions/ID.py, graders/ID/ (test_public.py, test_hidden.py, helpers.py) "
                    "and tests/catalogue/ID.py, each saying what goes where. The test suite "
                    "fails with an instruction per file until each part is written; see "
                    "docs/authoring.md.")
    parser.add_argument("exercise_id", metavar="ID",
                        help="the new exercise's id, e.g. ex07_softmax (two digits: its place)")
    parser.add_argument("--root", type=Path, default=None, metavar="DIR",
                        help="the clone to write into (default: the one this nnex is installed "
                             "from with pip install -e)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.course.content import Course
    from nnex.course.scaffold import new_exercise, unfinished_parts

    root = args.root or Course.installed().exercises_dir.parent
    written = new_exercise(root, args.exercise_id)
    out.print(f"wrote {len(written)} files of {args.exercise_id} under {root}:")
    for part in unfinished_parts(root, args.exercise_id):
        out.print(f"  {part}")
    out.print("then: python -m pytest -q tests/test_content.py -k " + args.exercise_id)
    return 0

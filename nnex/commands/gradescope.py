"""``nnex gradescope``: build a Gradescope autograder bundle."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "gradescope", help="build a Gradescope autograder bundle (autograder.zip)",
        description="Write a Gradescope autograder zip: setup.sh installs Python (3.10 or "
                    "newer), the dependencies and bubblewrap; run_autograder grades "
                    "/autograder/submission (.py files or notebooks) with the public and hidden "
                    "checks, confined, and writes /autograder/results/results.json. Upload the "
                    "zip as the assignment's autograder (Ubuntu 22.04 or newer base image).")
    parser.add_argument("--out", type=Path, default=Path("autograder.zip"), metavar="ZIP",
                        help="where to write the bundle (default: ./autograder.zip)")
    parser.add_argument("--exercise", "-e", action="append", dest="exercises", metavar="ID",
                        help="include only this exercise (repeatable; default: all)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.integrations.gradescope import build_bundle

    path = build_bundle(args.out, exercise_ids=args.exercises)
    out.print(f"wrote {path}: upload it as the Gradescope autograder")
    return 0

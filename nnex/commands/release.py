"""``nnex release``: write the student kit."""

from __future__ import annotations

import argparse
from pathlib import Path



def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "release", help="write the student kit (stubs, statements, public checks)",
        description="Write the student kit to OUT: <exercise>.py stubs, statements/, a README "
                    "with the two commands to set up and check, and nnex-kit/ (the checker with "
                    "the public checks). It contains no solutions and no hidden checks.")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="folder to write (created; must be empty unless --force)")
    parser.add_argument("--exercise", "-e", action="append", dest="exercises", metavar="ID",
                        help="release only this exercise (repeatable; default: all)")
    parser.add_argument("--github-classroom", action="store_true",
                        help="also write .github/workflows/classroom.yml: checks on every push "
                             "and reports points to GitHub Classroom")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty folder, replacing the kit's files")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.kit.release import release_kit

    stubs = release_kit(args.out, exercise_ids=args.exercises, force=args.force,
                        github_classroom=args.github_classroom)
    out.print(f"wrote the student kit to {args.out} ({len(stubs)} exercises)")
    out.print("students run:  pip install ./nnex-kit   then   nnex check")
    return 0

"""The ``nnex`` command: parse arguments, call one library function, render, return an exit code."""

from __future__ import annotations

import argparse
import sys
import traceback

from rich.console import Console

from nnex import __version__
from nnex.commands import check, demo, grade, gradescope, merge, nbgrader, release, report
from nnex.errors import NnexError
from nnex.interrupts import stop_on_ctrl_c

COMMANDS = (check, grade, merge, release, demo, gradescope, report, nbgrader)

DESCRIPTION = """\
nnex — auto-graded exercises for a neural-network basics course.

Students:     nnex check [EXERCISE ...]        check your files with the public checks
Instructors:  nnex release --out DIR           write the student kit
              nnex grade SUBMISSIONS --out OUT grade a class (hidden checks too)
              nnex merge OUT1 OUT2 … --out OUT combine the folders of grade --shard K/N
              nnex report OUT                  class report of a graded folder (OUT/report.html)
              nnex demo                        grade the bundled demo class
              nnex gradescope --out autograder.zip   a Gradescope autograder
              nnex nbgrader export --course DIR      an nbgrader course (see nnex grade --nbgrader)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nnex", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nnex {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show full tracebacks for errors (for bug reports)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``nnex`` with ``argv`` (default: the process's arguments); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console(highlight=False, soft_wrap=True)
    errors = Console(stderr=True, highlight=False)
    try:
        with stop_on_ctrl_c():
            return int(args.run(args, console, errors) or 0)
    except NnexError as error:
        if args.debug:
            traceback.print_exc()
        errors.print(f"nnex: error: {error}", markup=False, highlight=False, soft_wrap=True)
        return error.exit_code
    except KeyboardInterrupt:
        errors.print("nnex: interrupted; results written so far are kept")
        return 130


if __name__ == "__main__":
    sys.exit(main())

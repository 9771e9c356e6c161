"""The nnex command: parse arguments, call one library function, render, return an exit code."""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from types import ModuleType

from rich.console import Console

from nnex import __version__
from nnex.errors import CourseError, NnexError
from nnex.interrupts import stop_on_ctrl_c

COMMANDS = ("check", "grade", "merge", "release", "demo", "gradescope", "report", "nbgrader",
            "similarity", "import", "override", "export", "new-exercise")
"""The subcommands, in the order ``nnex --help`` lists them; each is a module of
``nnex.commands`` (see ``command_module``)."""
STUDENT_COMMANDS = ("check",)
"""What the student kit's ``nnex`` offers (it has no hidden checks, solutions or demo class)."""

DESCRIPTION = """\
nnex — auto-graded exercises for a neural-network basics course.

Students:     nnex check [EXERCISE ...]        check your files with the public checks
Instructors:  nnex release --out DIR           write the student kit
              nnex grade SUBMISSIONS --out OUT grade a class (hidden checks too)
              nnex merge OUT1 OUT2 … --out OUT combine the folders of grade --shard K/N
              nnex report OUT                  class report of a graded folder (OUT/report.html)
              nnex similarity SUBMISSIONS --out OUT  leads: alike code, identical wrong answers
              nnex demo                        grade the bundled demo class
              nnex gradescope --out autograder.zip   a Gradescope autograder
              nnex nbgrader export --course DIR      an nbgrader course (see nnex grade --nbgrader)
Term:         nnex import ZIP --lms canvas --roster R --out SUBMISSIONS   an LMS download in
              nnex override STUDENT EXERCISE POINTS --reason TEXT --out OUT
              nnex export OUT --to canvas|moodle|csv   grades for the LMS gradebook
Authors:      nnex new-exercise ex07_name      scaffold a new exercise (docs/authoring.md)
"""


STUDENT_DESCRIPTION = """\
nnex — ニューラルネットワーク演習の確認 / checks for the neural-network exercises.

  nnex check                 すべての演習を確かめる / check all exercises
  nnex check ex01_relu       1 つだけ / just one
"""


def build_parser(*, student_kit: bool = False,
                 argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The ``nnex`` parser; in the student kit, with the student's commands only.

    Args:
        argv: the arguments it will parse. When they name a subcommand, only that one's parser
            is built, so that ``nnex check`` imports nothing of ``grade`` or ``report`` (a
            command's module may import heavy libraries to build its parser); otherwise (None,
            ``--help``, an unknown command) every parser is built.
    """
    names = STUDENT_COMMANDS if student_kit else COMMANDS
    chosen = _chosen_command(argv, names)
    parser = argparse.ArgumentParser(
        prog="nnex", description=STUDENT_DESCRIPTION if student_kit else DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nnex {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show full tracebacks for errors (for bug reports)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in names:
        if chosen is None or name == chosen:
            command_module(name).register(subparsers)
    return parser


def command_module(name: str) -> ModuleType:
    """The module of subcommand ``name``: ``nnex.commands.<name>`` with ``_`` for ``-``
    (new-exercise: new_exercise), and ``term_import`` for ``import`` (a Python keyword)."""
    module = "term_import" if name == "import" else name.replace("-", "_")
    return importlib.import_module(f"nnex.commands.{module}")


def _chosen_command(argv: list[str] | None, names: tuple[str, ...]) -> str | None:
    """The subcommand ``argv`` runs, when it names a known one (nnex's own options come first
    and take no value)."""
    first = next((arg for arg in argv or [] if not arg.startswith("-")), None)
    return first if first in names else None


def in_student_kit() -> bool:
    """True when this nnex is a student kit's (no solutions, no hidden checks)."""
    from nnex.course.content import Course

    try:
        return Course.installed().is_student_kit
    except CourseError:
        return False


def main(argv: list[str] | None = None) -> int:
    """Run ``nnex`` with ``argv`` (default: the process's arguments); return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    # A student's command parses alike in the kit and outside it: finding the course (~30 ms,
    # its metadata reader) waits until the command needs it, so nnex check starts its worker
    # sooner.
    student_kit = _chosen_command(argv, COMMANDS) not in STUDENT_COMMANDS and in_student_kit()
    parser = build_parser(student_kit=student_kit, argv=argv)
    console = Console(highlight=False, soft_wrap=True)
    errors = Console(stderr=True, highlight=False)
    instructor = set(COMMANDS) - set(STUDENT_COMMANDS)
    if student_kit and argv and argv[0] in instructor:
        errors.print(f"nnex: error: {argv[0]} は先生用のコマンドで、このキットにはありません。"
                     f"nnex check を使います / '{argv[0]}' is an instructor's command, not part "
                     "of the student kit; use nnex check", markup=False, soft_wrap=True)
        return 2
    args = parser.parse_args(argv)
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

"""``nnex import``: an LMS's bulk download in, as one folder per roster student."""

from __future__ import annotations

import argparse
from pathlib import Path

from nnex.term.lms_import import LMS_NAMES, TIMES_FILE

COMMAND = "import"
"""The subcommand's name (``import`` cannot name a Python module)."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="turn an LMS's bulk download (Canvas, Moodle) into a submissions folder",
        description="Unpack ARCHIVE (Canvas 'Download Submissions' zip, Moodle 'Download all "
                    "submissions' zip or its unpacked folder) into OUT/<student_id>/, mapping "
                    "files to students by the roster's lms_id (Moodle: else by full name). "
                    f"Records the archive's submission times in OUT/{TIMES_FILE} for nnex "
                    "grade --late-policy. Files it cannot map are listed, one line each, and "
                    "the exit code is 1.")
    parser.add_argument("archive", type=Path, metavar="ARCHIVE")
    parser.add_argument("--lms", required=True, choices=LMS_NAMES)
    parser.add_argument("--roster", type=Path, required=True, metavar="ROSTER",
                        help="roster.csv (student_id, name, email, section, lms_id)")
    parser.add_argument("--out", type=Path, required=True, metavar="SUBMISSIONS",
                        help="the submissions folder to write (new or empty)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.term.lms_import import import_archive
    from nnex.term.roster import read_roster

    result = import_archive(args.archive, read_roster(args.roster), args.out, lms=args.lms)
    for line in result.refused:
        err.print(f"nnex: refused: {line}", markup=False, highlight=False, soft_wrap=True)
    late = len(result.late_marked)
    out.print(f"imported {len(result.files)} students into {args.out}"
              + (f" ({late} marked late by {args.lms})" if late else "")
              + (f"; refused {len(result.refused)} files" if result.refused else ""),
              markup=False, highlight=False, soft_wrap=True)
    return 1 if result.refused else 0

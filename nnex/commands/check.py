"""``nnex check``: the student's command."""

from __future__ import annotations

import argparse
from pathlib import Path

from nnex.sandbox.host import WorkerHost


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check", help="check your exercise files with the public checks",
        description="Run the public checks on your exercise files (ex01_relu.py, …) and show, "
                    "per check, ✓ or ✗ with points and a hint naming the mistake. Exit code 0 "
                    "when every check passes. 自分の演習ファイルを公開チェックで確かめます。")
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE",
                        help="exercise ids such as ex01_relu (default: all)")
    parser.add_argument("--dir", type=Path, default=Path("."),
                        help="the folder holding your files (default: the current folder)")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="text: ✓/✗ per check (default); github: the base64 JSON result "
                             "GitHub Classroom's autograding reporter reads (exit code 0 "
                             "unless the checks could not run)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    # Start the worker (Python + NumPy, ~0.2 s) before importing pytest, so the two overlap.
    with WorkerHost() as host:
        from nnex.grading.folder_check import check_folder
        from nnex.render.terminal import print_check_report

        result = check_folder(args.dir, args.exercises or None, host=host)
    if args.format == "github":
        from nnex.render import github

        out.print(github.encode(github.classroom_result(result)), markup=False)
        return 0
    print_check_report(out, result)
    return 0 if result.score == result.max_score else 1

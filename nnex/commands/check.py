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
    parser.add_argument("--student", metavar="ID",
                        help="your ID (your submission folder's name, or your GitHub username "
                             "in GitHub Classroom): it gives you your own numbers in the "
                             "questions that have them (when your instructor turned "
                             "per-student numbers on), and is remembered in the folder "
                             "(.nnex-student) for later checks. 自分の ID（1 度だけ）")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    # Start the worker (Python + NumPy, ~0.2 s) before importing pytest, so the two overlap.
    with WorkerHost() as host:
        from nnex.grading.folder_check import check_folder
        from nnex.render.terminal import print_check_report

        if args.student is not None:
            _remember(args.dir, args.student)
        result = check_folder(args.dir, args.exercises or None, host=host)
    if args.format == "github":
        from nnex.render import github

        out.print(github.encode(github.classroom_result(result)), markup=False)
        return 0
    _print_numbers(out, args.dir, args.exercises or None)
    print_check_report(out, result)
    return 0 if result.score == result.max_score else 1


def _remember(folder: Path, student: str) -> None:
    from nnex.errors import UsageError
    from nnex.variants.identity import remember

    if not student.strip() or "\n" in student:
        raise UsageError("--student: give your ID on one line, such as your submission folder's "
                         "name or your GitHub username")
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder; run nnex check in the folder that holds "
                         "your exercise files, or pass --dir")
    remember(folder, student)


def _print_numbers(out, folder: Path, exercise_ids: list[str] | None) -> None:
    """「あなたの数値 / Your numbers」 for each checked exercise that has per-student numbers."""
    from nnex.course.content import Course
    from nnex.variants.identity import describe, kit_identity, pick

    identity = kit_identity(folder)
    for meta in Course.installed().exercises(exercise_ids):
        if meta.variants is not None and identity is not None:
            out.print(f"あなたの数値 / Your numbers ({meta.id}, {identity}): "
                      f"{describe(pick(meta.variants, meta.id, identity))}", markup=False)

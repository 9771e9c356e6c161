"""``nnex similarity``: leads for a human to read, alike code and identical wrong answers."""

from __future__ import annotations

import argparse
from pathlib import Path

from nnex.classgrade.layout import OutputLayout
from nnex.errors import UsageError
from nnex.similarity import PAIRS_SHOWN

HELP = ("per exercise, the most alike pairs of students' code (copydetect; stub and statement "
        "code left out) and the students sharing rare wrong values, as leads for a human to "
        "read: OUT/similarity.html, OUT/similarity.csv, OUT/identical-wrong-answers.csv and, "
        "when OUT holds a graded class, OUT/gradebook.sqlite's similarity tables (replaced on "
        "each run)")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "similarity", help="leads on copying: alike code pairs, identical wrong answers",
        description=HELP[0].upper() + HELP[1:] + ". Identical wrong answers and the "
                    "gradebook tables need the class graded into OUT first (nnex grade "
                    "SUBMISSIONS --out OUT, or --similarity there); in a folder without a "
                    "gradebook the files alone hold the leads. Everything stays on this "
                    "machine. Needs the similarity extra: pip install 'nnex[similarity]'.")
    parser.add_argument("submissions", type=Path, metavar="SUBMISSIONS",
                        help="folder with one sub-folder per student")
    parser.add_argument("--out", type=Path, metavar="OUT", required=True,
                        help="output folder (may be the one nnex grade wrote; its gradebook "
                             "then gets the leads too)")
    parser.add_argument("--exercise", "-e", action="append", dest="exercises", metavar="ID",
                        help="compare only this exercise (repeatable; default: all)")
    parser.add_argument("--pairs", type=int, default=PAIRS_SHOWN, metavar="N",
                        help=f"most alike pairs shown per exercise (default: {PAIRS_SHOWN})")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    if args.pairs < 1:
        raise UsageError(f"--pairs {args.pairs}: give a whole number of pairs, 1 or more")
    write_leads(args.submissions, args.out, out, exercise_ids=args.exercises, shown=args.pairs)
    return 0


def require_library() -> None:
    """Stop before anything is written when the similarity extra is not installed.

    Raises:
        UsageError: copydetect cannot be imported.
    """
    try:
        import nnex.similarity.outputs  # noqa: F401  (imports copydetect)
    except ImportError as error:
        raise UsageError(f"similarity needs copydetect ({error}); install it with: "
                         "pip install 'nnex[similarity]'") from None


def write_leads(submissions: Path, out_dir: Path, console, *, exercise_ids: list[str] | None,
                shown: int = PAIRS_SHOWN) -> None:
    """Find and write the leads, then say where they are (shared with ``nnex grade``)."""
    require_library()
    from nnex.similarity.outputs import similarity_leads

    findings, files = similarity_leads(submissions, out_dir, exercise_ids=exercise_ids,
                                       shown=shown)
    clusters = sum(len(s.clusters) for s in findings.wrong_answers.values())
    wrong = (f", {clusters} identical-wrong-answer clusters: {files.wrong_answers}"
             if files.wrong_answers else "")
    if files.gradebook is not None:
        kept = f", gradebook tables similar_pairs, same_wrong_answers: {files.gradebook}"
    else:
        kept = (f"; no gradebook in {out_dir}, so the leads are in these files only"
                + ("" if files.wrong_answers else
                   " (identical wrong answers and gradebook tables: grade into this folder "
                   "first)"))
    console.print(f"similarity leads for a human to read ({findings.seconds:.1f} s): "
                  f"{files.page}, pairs: {files.pairs}{wrong}{kept}", markup=False,
                  highlight=False, soft_wrap=True)
    report = OutputLayout(out_dir).report
    if report.is_file():
        console.print(f"{report} was written before these leads and does not link them: run "
                      f"`nnex report {out_dir}` again", markup=False, highlight=False,
                      soft_wrap=True)

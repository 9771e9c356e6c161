"""``nnex report``: the class report of a graded output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from nnex.report import write_report


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="write OUT/report.html: score distribution, pass rates, frequent mistakes",
        description="Read the results that `nnex grade --out OUT` wrote and write OUT/report.html "
                    "(one self-contained page: score distribution, mean score per exercise, "
                    "pass rate per check, the most frequent mistakes by hint, submissions that "
                    "failed to run, the slowest ones), then print a summary. "
                    "Needs the report extra: pip install 'nnex[report]'.")
    parser.add_argument("out", type=Path, metavar="OUT", help="a folder graded by nnex grade")
    slowest = write_report.__kwdefaults__["slowest"]
    parser.add_argument("--slowest", type=_positive, default=slowest, metavar="N",
                        help=f"how many of the slowest students to list (default: {slowest})")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.report.summary import print_report_summary

    report = write_report(args.out, slowest=args.slowest)
    print_report_summary(out, report.stats)
    if not report.japanese_plots:
        err.print("nnex: note: no font with Japanese glyphs found; chart labels are in English "
                  "(the page itself is bilingual)", style="dim", highlight=False)
    out.print(f"report: {report.path}", highlight=False)
    if report.similarity_page is not None:
        out.print(f"similarity leads, linked from the report: {report.similarity_page}",
                  highlight=False)
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value

"""The class report of a graded output folder: ``OUT/report.html`` and a terminal summary.

Needs the ``report`` extra (matplotlib, jinja2); they are imported only when a report is made,
so the rest of nnex never imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nnex.classgrade.layout import OutputLayout
from nnex.errors import ReportError
from nnex.report.loader import load_class
from nnex.report.stats import ClassStats, class_stats
from nnex.report.stamp import results_stamp

SLOWEST = 10
"""How many of the slowest students the report lists by default."""

__all__ = ["ClassReport", "load_class", "write_report"]


@dataclass
class ClassReport:
    """What ``write_report`` made."""

    path: Path
    stats: ClassStats
    japanese_plots: bool
    """True when the charts' labels are bilingual (always, with the report extra's font)."""
    similarity_page: Path | None = None
    """``nnex similarity``'s page beside the report, which the report links (None: none)."""


def write_report(out: Path, *, slowest: int = SLOWEST) -> ClassReport:
    """Write ``out/report.html`` for the class graded into ``out``.

    Args:
        out: a folder written by ``nnex grade --out OUT``.
        slowest: how many of the slowest students to list.

    Returns:
        Where the report is and the class's figures (for a terminal summary).

    Raises:
        ReportError: ``out`` holds no readable results (see ``load_class``), or matplotlib or
            jinja2 is not installed.
    """
    results = load_class(out)
    try:
        from nnex.report.page import report_html
        from nnex.report.plots import class_plots, japanese_font
        font = japanese_font()
    except ImportError as error:
        raise ReportError(f"the class report needs matplotlib, matplotlib-fontja and jinja2 "
                          f"({error}); install them with: pip install 'nnex[report]'") from None
    from nnex.classgrade.outputs import write_atomic

    from nnex.term.gradesheet import term_summary

    stats = class_stats(results, slowest=slowest)
    plots = class_plots(stats, font=font)
    layout = OutputLayout(out)
    path = layout.report
    similarity = layout.similarity_page.name if layout.similarity_page.is_file() else None
    write_atomic(path, report_html(stats, plots, title=str(out), stamp=results_stamp(results),
                                   similarity_page=similarity, term=term_summary(out)))
    return ClassReport(path=path, stats=stats, japanese_plots=plots.japanese,
                       similarity_page=layout.similarity_page if similarity else None)

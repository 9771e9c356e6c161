"""The class report as one self-contained HTML page, rendered from a Jinja2 template."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from nnex.render import names
from nnex.render.details import points
from nnex.report.plots import Plots
from nnex.report.stats import RESOURCE_KINDS, ClassStats
from nnex.grading.problems import ProblemKind
from nnex.grading.results import (GRADED, GRADER_ERROR, INFRASTRUCTURE, MISSING,
                                  NOT_ATTEMPTED, NOT_LOADABLE)
from nnex.term.gradesheet import TermSummary
from nnex.text import Text

TEMPLATE = "report.html.j2"

PROBLEM_LABELS = {
    NOT_LOADABLE: Text("読み込めません", "could not be loaded"),
    GRADER_ERROR: Text("採点エラー（学生の責任ではない）", "grader error (not the student's)"),
    ProblemKind.TIMEOUT: Text("時間切れ（1 回の呼び出し）", "timeout (one call)"),
    ProblemKind.BUDGET: Text("時間切れ（演習全体）", "time budget of the exercise used up"),
    ProblemKind.MEMORY: Text("メモリ超過", "out of memory"),
    ProblemKind.MEMORY_TOTAL: Text("メモリ超過（合計）", "out of memory (total)"),
    ProblemKind.CRASH: Text("プロセスが終了", "the process died"),
}
STATUS_LABELS = {
    GRADED: Text("採点済み", "graded"),
    NOT_ATTEMPTED: Text("未着手", "not attempted"),
    MISSING: Text("未提出", "not submitted"),
    NOT_LOADABLE: Text("読み込めません", "not loadable"),
    INFRASTRUCTURE: Text("採点エラー", "grader error"),
}
NO_HINT = Text("（ヒントなしの失敗：採点がまだ名前を付けていない間違い）",
               "(failures without a hint: mistakes the grader does not name yet)")


def report_html(stats: ClassStats, plots: Plots, *, title: str, stamp: str,
                similarity_page: str | None = None, term: TermSummary | None = None) -> str:
    """Render the class report.

    Args:
        stats: the class's data.
        plots: the charts, as data URIs (embedded, so the page needs no other file).
        title: what the report is about (the output folder's name); escaped like all text.
        stamp: ``results_stamp`` of the results shown, recorded in the page so that a later
            grading can mark it stale (``nnex.report.stamp``).
        similarity_page: the file name of ``nnex similarity``'s page beside the report, to link
            to; None when there is none.
        term: the manual overrides and the roster students without a submission
            (``nnex.term``), listed when there are any.

    Returns:
        A complete HTML document.
    """
    environment = Environment(loader=PackageLoader("nnex", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)
    environment.filters["points"] = points
    environment.filters["student"] = names.label
    environment.filters["percent"] = _percent
    template = environment.get_template(TEMPLATE)
    return template.render(stats=stats, plots=plots, title=title, stamp=stamp,
                           similarity_page=similarity_page, term=term,
                           problem_labels=PROBLEM_LABELS,
                           status_labels=STATUS_LABELS, no_hint=NO_HINT,
                           statuses=list(STATUS_LABELS), grader_error=GRADER_ERROR,
                           resource_kinds=RESOURCE_KINDS)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"

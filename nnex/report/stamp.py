"""Which grading a page shows, and marking ``report.html`` and ``similarity.html`` stale when
the class changes.

``nnex report`` records a stamp of the results it read in the page, and so does ``nnex
similarity`` when it compared the graded results (identical wrong answers); whenever ``nnex
grade`` (or ``nnex merge``) rewrites the results, an existing page whose stamp differs gets a
visible banner saying it shows an earlier grading, so an outdated page can never pass for the
current one. Core module: no matplotlib, no jinja2.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from nnex.classgrade.layout import OutputLayout
from nnex.files import write_atomic
from nnex.grading.results import SubmissionResult

STAMP_META = "nnex-results"
BANNER_SLOT = "<!-- nnex:banner -->"
"""Where a page leaves room for the stale banner."""
STALE_BANNER = (
    '<div class="stale" role="alert"><p lang="ja">このレポートは以前の採点の結果です。'
    "クラスはその後、採点し直されました。<code>nnex report</code> を実行し直してください。</p>"
    '<p class="en" lang="en">This report shows an earlier grading; the class has been graded '
    "again since. Run <code>nnex report</code> again.</p></div>")
SIMILARITY_STALE_BANNER = (
    '<div class="stale" role="alert"><p lang="ja">この手がかりは以前の採点の結果と比べたものです。'
    "クラスはその後、採点し直されました。<code>nnex similarity</code> を実行し直してください。</p>"
    '<p class="en" lang="en">These leads were compared with an earlier grading; the class has '
    "been graded again since. Run <code>nnex similarity</code> again.</p></div>")
_STAMP = re.compile(r'<meta name="' + STAMP_META + r'" content="([0-9a-f]+)">')


def results_stamp(results: list[SubmissionResult]) -> str:
    """A hash of every student's full result, independent of their order."""
    digest = hashlib.sha256()
    for data in sorted((r.to_dict() for r in results), key=lambda d: d["student"]):
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8",
                                                                                 "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def stamp_meta(stamp: str) -> str:
    """The ``<meta>`` element that records ``stamp`` in the report page."""
    return f'<meta name="{STAMP_META}" content="{stamp}">'


def mark_stale_report(out: Path, results: list[SubmissionResult]) -> bool:
    """Put the stale banner into ``out/report.html`` when it shows other results than
    ``results``; True when the report exists and is stale (banner added now or before)."""
    return _mark_stale(OutputLayout(out).report, results, STALE_BANNER, unstamped=True)


def mark_stale_similarity(out: Path, results: list[SubmissionResult]) -> bool:
    """Put the stale banner into ``out/similarity.html`` when its identical wrong answers come
    from other results than ``results``; True when it is stale. A page that compared code only
    (no stamp: the class was not graded into ``out`` then) is never stale."""
    return _mark_stale(OutputLayout(out).similarity_page, results, SIMILARITY_STALE_BANNER,
                       unstamped=False)


def _mark_stale(path: Path, results: list[SubmissionResult], banner: str, *,
                unstamped: bool) -> bool:
    """``unstamped``: whether a page without a stamp (written before stamps) counts as stale."""
    try:
        page = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    found = _STAMP.search(page)
    if found is None and not unstamped:
        return False
    if found is not None and found.group(1) == results_stamp(results):
        return False
    if banner not in page and BANNER_SLOT in page:
        write_atomic(path, page.replace(BANNER_SLOT, BANNER_SLOT + banner, 1))
    return True

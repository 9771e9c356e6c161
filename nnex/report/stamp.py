"""Which grading a class report shows, and marking ``report.html`` stale when the class changes.

``nnex report`` records a stamp of the results it read in the page; whenever ``nnex grade``
(or ``nnex merge``) rewrites the results, an existing report whose stamp differs gets a visible
banner saying it shows an earlier grading, so an outdated page can never pass for the current
one. Core module: no matplotlib, no jinja2.
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
"""Where the report template leaves room for the stale banner."""
STALE_BANNER = (
    '<div class="stale" role="alert"><p lang="ja">このレポートは以前の採点の結果です。'
    "クラスはその後、採点し直されました。<code>nnex report</code> を実行し直してください。</p>"
    '<p class="en" lang="en">This report shows an earlier grading; the class has been graded '
    "again since. Run <code>nnex report</code> again.</p></div>")
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
    path = OutputLayout(out).report
    try:
        page = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    found = _STAMP.search(page)
    if found is not None and found.group(1) == results_stamp(results):
        return False
    if STALE_BANNER not in page and BANNER_SLOT in page:
        write_atomic(path, page.replace(BANNER_SLOT, BANNER_SLOT + STALE_BANNER, 1))
    return True

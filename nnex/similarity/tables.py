"""The similarity leads as CSV: a row per code pair, a row per identical-wrong-answer cluster."""

from __future__ import annotations

import csv
import io

from nnex.render import names
from nnex.similarity.find import SimilarityFindings

PAIR_COLUMNS = ("exercise", "rank", "student_a", "student_b", "score", "share_a", "share_b")
CLUSTER_COLUMNS = ("exercise", "rank", "students", "shared_wrong_values", "reached_by")


def pairs_csv(findings: SimilarityFindings, *, shown: int) -> str:
    """The ``shown`` most alike pairs of each exercise (scores as shares of own code, 0–1)."""
    rows = []
    for exercise in findings.exercises:
        for rank, pair in enumerate(findings.pairs[exercise][:shown], start=1):
            rows.append((exercise, rank, names.csv_cell(pair.student_a),
                         names.csv_cell(pair.student_b), f"{pair.score:.3f}",
                         f"{pair.overlap.share_a:.3f}", f"{pair.overlap.share_b:.3f}"))
    return _csv(PAIR_COLUMNS, rows)


def wrong_answers_csv(findings: SimilarityFindings) -> str:
    """Every cluster; students joined by `` | ``, values as ``check: what → got``."""
    rows = []
    for exercise, summary in findings.wrong_answers.items():
        for rank, cluster in enumerate(summary.clusters, start=1):
            rows.append((exercise, rank,
                         " | ".join(names.csv_cell(s) for s in cluster.students),
                         " | ".join(f"{v.check}: {v.what} → {v.actual}" for v in cluster.values),
                         " | ".join(str(count) for count in cluster.reached_by)))
    return _csv(CLUSTER_COLUMNS, rows)


def _csv(columns: tuple[str, ...], rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()

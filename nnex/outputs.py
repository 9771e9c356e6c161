"""Writing a graded class to its output folder: scores.csv and per-student feedback."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from nnex.render.markdown import feedback_markdown
from nnex.results import SubmissionResult

SCORES_COLUMNS = ["student", "exercise", "score", "max_score", "status", "seconds"]


def write_outputs(results: list[SubmissionResult], exercise_ids: list[str], out: Path) -> None:
    """Write ``scores.csv`` and ``feedback/<student>.md`` under ``out`` (files replaced atomically)."""
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "scores.csv", scores_csv(results))
    feedback = out / "feedback"
    feedback.mkdir(exist_ok=True)
    for result in results:
        write_atomic(feedback / f"{result.student}.md", feedback_markdown(result))


def scores_csv(results: list[SubmissionResult]) -> str:
    """One row per student × exercise (long format), UTF-8 text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SCORES_COLUMNS)
    for result in results:
        for exercise in result.exercises:
            writer.writerow([result.student, exercise.exercise, f"{exercise.score:g}",
                             f"{exercise.max_score:g}", exercise.status,
                             f"{exercise.seconds:.3f}"])
    return buffer.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

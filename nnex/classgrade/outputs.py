"""Writing a graded class to its output folder: CSVs, per-student feedback and the manifest.

Every file is replaced atomically (readers see the old file or the new one, never half), and
files of students no longer in the class are removed, so OUT always describes one class.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nnex import __version__
from nnex.classgrade.layout import OutputLayout
from nnex.render import names
from nnex.errors import UsageError
from nnex.files import write_atomic
from nnex.render.gradescope import gradescope_results
from nnex.render.html import feedback_html
from nnex.render.markdown import feedback_markdown
from nnex.report.stamp import mark_stale_report, mark_stale_similarity
from nnex.grading.results import SubmissionResult

SCORES_COLUMNS = ["student", "exercise", "score", "max_score", "status", "seconds"]
MANIFEST_SCHEMA = 1


@dataclass
class Manifest:
    """What an output folder holds (``OUT/nnex-run.json``); ``nnex merge`` checks it."""

    grader_version: str
    exercises: list[str]
    shard: str | None
    """``K/N`` for a shard's output, None for a whole class."""
    class_size: int
    """Students in the whole class, before sharding."""
    roster: str
    """A hash of every student name in the whole class: shards of one class agree on it."""
    students: list[str]
    """The students in this folder."""
    nnex_version: str = __version__
    merged_from: list[str] = field(default_factory=list)
    """The shards this folder was merged from (``nnex merge``)."""
    isolation: str | None = None
    """How student code was confined: "bwrap", "rlimits", or several joined by "+" after a
    merge of shards graded differently (None: written by an nnex that did not record it)."""
    total_limit: str | None = None
    """Each sandbox's total memory and process limit in this run: "cgroup v1", "cgroup v2", or
    "none (why)" — then only the per-child limits held (None: nothing graded, or merged)."""

    def to_dict(self) -> dict:
        return {"schema_version": MANIFEST_SCHEMA, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict) -> "Manifest":
        if data.get("schema_version") != MANIFEST_SCHEMA:
            raise ValueError(f"schema_version {data.get('schema_version')!r}")
        return cls(**{k: v for k, v in data.items() if k != "schema_version"})


def read_manifest(out: Path) -> Manifest | None:
    """The manifest of ``out``, or None when there is none.

    Raises:
        UsageError: it exists but cannot be read.
    """
    path = OutputLayout(out).manifest
    if not path.exists():
        return None
    try:
        return Manifest.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise UsageError(f"{path} cannot be read ({exc}); delete it (or the whole output "
                         "folder) and grade again") from None


@dataclass(frozen=True)
class StalePages:
    """Pages in the output folder that show an earlier grading (now marked so in the page)."""

    report: bool = False
    """``report.html``: run ``nnex report`` again."""
    similarity: bool = False
    """``similarity.html``'s identical wrong answers: run ``nnex similarity`` again."""


def write_outputs(results: list[SubmissionResult], exercise_ids: list[str], out: Path,
                  manifest: Manifest) -> StalePages:
    """Write the CSVs, each student's feedback and the manifest under ``out``; mark an
    existing ``out/report.html`` or ``out/similarity.html`` that shows other results stale.

    Returns:
        Which of those pages exist and show other results.

    ``results`` must be sorted by student: the CSVs keep that order, so the same class gives
    the same files however it was graded (in parallel, in shards, resumed).
    """
    out.mkdir(parents=True, exist_ok=True)
    layout = OutputLayout(out)
    stems = names.file_stems([result.student for result in results])
    feedback = layout.feedback
    feedback.mkdir(exist_ok=True)
    renderers = feedback_renderers()
    for result in results:
        for suffix, render in renderers.items():
            write_atomic(feedback / f"{stems[result.student]}{suffix}", render(result))
    _remove_stale_files(feedback, set(stems.values()), tuple(renderers))
    _write_gradescope(results, layout, stems)
    write_atomic(layout.scores_csv, scores_csv(results))
    write_atomic(layout.grades_csv, grades_csv(results, exercise_ids))
    write_atomic(layout.manifest, json.dumps(manifest.to_dict(), ensure_ascii=False,
                                             indent=1) + "\n")
    return StalePages(report=mark_stale_report(out, results),
                      similarity=mark_stale_similarity(out, results))


def feedback_renderers() -> dict[str, Callable[[SubmissionResult], str]]:
    """The student's feedback formats, by file suffix (what students see: no hidden values)."""
    return {".md": feedback_markdown, ".html": feedback_html}


def _write_gradescope(results: list[SubmissionResult], layout: OutputLayout,
                      stems: dict[str, str]):
    """``gradescope/<student>/results.json``: each student's result in Gradescope's format."""
    folder = layout.gradescope
    folder.mkdir(exist_ok=True)
    for result in results:
        path = layout.gradescope_results(stems[result.student])
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(gradescope_results(result), ensure_ascii=False, indent=1))
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False) and entry.name not in stems.values():
            shutil.rmtree(entry.path)


def _remove_stale_files(folder: Path, students: set[str], suffixes: tuple[str, ...]) -> None:
    for entry in os.scandir(folder):
        for suffix in suffixes:
            if entry.name.endswith(suffix) and entry.name[:-len(suffix)] not in students:
                Path(entry.path).unlink(missing_ok=True)


def scores_csv(results: list[SubmissionResult]) -> str:
    """One row per student × exercise (long format), UTF-8 text; names as ``names.csv_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SCORES_COLUMNS)
    for result in results:
        for exercise in result.exercises:
            writer.writerow([names.csv_cell(result.student), exercise.exercise,
                             f"{exercise.score:g}", f"{exercise.max_score:g}", exercise.status,
                             f"{exercise.seconds:.3f}"])
    return buffer.getvalue()


def grades_csv(results: list[SubmissionResult], exercise_ids: list[str]) -> str:
    """One row per student (wide format): a column per exercise's score, then the total."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *exercise_ids, "total"])
    for result in results:
        scores = {exercise.exercise: f"{exercise.score:g}" for exercise in result.exercises}
        writer.writerow([names.csv_cell(result.student),
                         *(scores.get(e, "") for e in exercise_ids), f"{result.score:g}"])
    return buffer.getvalue()

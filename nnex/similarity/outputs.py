"""Writing the similarity leads into an output folder: the page, its two CSV files and, in a
graded folder, the gradebook's similarity tables."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from nnex.classgrade.gradebook import check_gradebook
from nnex.classgrade.layout import OutputLayout, check_out_folder
from nnex.files import folder_lock, write_atomic
from nnex.similarity import PAIRS_SHOWN
from nnex.similarity.find import SimilarityFindings, find_similarities
from nnex.similarity.gradebook_tables import record_leads
from nnex.similarity.page import similarity_html
from nnex.similarity.tables import pairs_csv, wrong_answers_csv
from nnex.similarity.wrong_answers import COMMON_SHARE


@dataclass(frozen=True)
class SimilarityFiles:
    """Where ``write_similarity`` wrote."""

    page: Path
    pairs: Path
    wrong_answers: Path | None
    """None when the class was not graded into the folder (no wrong answers to compare)."""
    gradebook: Path | None = None
    """The gradebook whose similarity tables were replaced; None when the folder has none."""


def write_similarity(findings: SimilarityFindings, out: Path, *,
                     shown: int = PAIRS_SHOWN) -> SimilarityFiles:
    """Write ``similarity.html``, ``similarity.csv`` and, when results were compared,
    ``identical-wrong-answers.csv`` into ``out`` (created), each replaced atomically."""
    out.mkdir(parents=True, exist_ok=True)
    layout = OutputLayout(out)
    files = SimilarityFiles(layout.similarity_page, layout.similarity_pairs,
                            layout.identical_wrong_answers if findings.wrong_answers else None)
    write_atomic(files.pairs, pairs_csv(findings, shown=shown))
    if files.wrong_answers is not None:
        write_atomic(files.wrong_answers, wrong_answers_csv(findings))
    write_atomic(files.page, similarity_html(findings, shown=shown))
    return files


def similarity_leads(submissions_dir: Path, out: Path, *, exercise_ids: list[str] | None = None,
                     common_share: float = COMMON_SHARE,
                     shown: int = PAIRS_SHOWN) -> tuple[SimilarityFindings, SimilarityFiles]:
    """Find the leads of the class in ``submissions_dir`` and write them into ``out``; when
    ``out`` was graded by ``nnex grade``, its results give the identical wrong answers and its
    gradebook gets the leads too. A folder without a gradebook gets none: the gradebook records
    gradings, and the files hold every lead.

    Raises:
        UsageError: ``out`` is inside ``submissions_dir`` or is not a folder; an unknown
            exercise; another nnex is writing ``out``.
        GradebookError: ``out``'s gradebook is unusable (checked before anything is written).
        SubmissionError, ReportError: see ``find_similarities``.
    """
    check_out_folder(submissions_dir, out)
    gradebook = OutputLayout(out).gradebook
    check_gradebook(gradebook)
    findings = find_similarities(submissions_dir, graded=out, exercise_ids=exercise_ids,
                                 common_share=common_share)
    with folder_lock(out):  # reading needs none: every file of the folder is replaced whole
        files = write_similarity(findings, out, shown=shown)
        if gradebook.exists():
            record_leads(gradebook, findings, shown=shown)
            files = replace(files, gradebook=gradebook)
    return findings, files

"""The output folder of a graded class: the one place that names every file and folder in it.

``nnex grade --out OUT`` (and ``nnex merge``, ``nnex grade --nbgrader … --out OUT``) write

    OUT/results/<student>.json             one record per student (resume, report, merge)
    OUT/scores.csv                         student × exercise (long format)
    OUT/grades.csv                         a row per student, a column per exercise
    OUT/gradebook.sqlite                   every run, kept
    OUT/feedback/<student>.md, .html       what the student sees
    OUT/gradescope/<student>/results.json  each result in Gradescope's format
    OUT/nnex-run.json                      the manifest: which grading this folder holds
    OUT/.nnex-lock                         held while a run writes the folder

``nnex grade --roster/--late-policy`` keeps ``OUT/roster.csv`` and ``OUT/late.yaml``
(``nnex.term``), ``nnex report OUT`` adds ``OUT/report.html``, and ``nnex similarity``/
``nnex grade --similarity`` add ``OUT/similarity.html``, ``OUT/similarity.csv`` and
``OUT/identical-wrong-answers.csv``. Everything else takes these paths from an
``OutputLayout``; nothing else spells them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nnex.errors import UsageError
from nnex.files import LOCK_FILE


@dataclass(frozen=True)
class OutputLayout:
    """Where each part of the output folder ``root`` is."""

    root: Path

    @property
    def results(self) -> Path:
        """The folder of per-student records (``nnex.classgrade.records``)."""
        return self.root / "results"

    @property
    def scores_csv(self) -> Path:
        return self.root / "scores.csv"

    @property
    def grades_csv(self) -> Path:
        return self.root / "grades.csv"

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.sqlite"

    @property
    def feedback(self) -> Path:
        """The folder of per-student feedback files (``<stem>.md``, ``<stem>.html``)."""
        return self.root / "feedback"

    @property
    def gradescope(self) -> Path:
        """The folder of per-student ``<stem>/results.json`` in Gradescope's format."""
        return self.root / "gradescope"

    @property
    def manifest(self) -> Path:
        return self.root / "nnex-run.json"

    @property
    def report(self) -> Path:
        """The class report (written by ``nnex report``, not by grading)."""
        return self.root / "report.html"

    @property
    def roster(self) -> Path:
        """The class list kept by ``nnex grade --roster`` for later gradings and exports."""
        return self.root / "roster.csv"

    @property
    def late_policy(self) -> Path:
        """The late policy kept by ``nnex grade --late-policy``."""
        return self.root / "late.yaml"

    @property
    def similarity_page(self) -> Path:
        """The similarity leads' page (``nnex.similarity``; the report links it when present)."""
        return self.root / "similarity.html"

    @property
    def similarity_pairs(self) -> Path:
        return self.root / "similarity.csv"

    @property
    def identical_wrong_answers(self) -> Path:
        return self.root / "identical-wrong-answers.csv"

    @property
    def lock(self) -> Path:
        """Held while one nnex process writes the folder (``nnex.files.folder_lock``)."""
        return self.root / LOCK_FILE

    def lms_export(self, to: str) -> Path:
        """Where ``nnex export --to TO`` writes by default."""
        return self.root / f"export-{to}.csv"

    def gradescope_results(self, stem: str) -> Path:
        """Where the Gradescope JSON of the student whose file stem is ``stem`` goes."""
        return self.gradescope / stem / "results.json"

    def entries(self) -> list[Path]:
        """Every path above, in the order listed (what may appear directly under ``root``)."""
        return [self.results, self.scores_csv, self.grades_csv, self.gradebook, self.feedback,
                self.gradescope, self.manifest, self.roster, self.late_policy, self.report,
                self.similarity_page,
                self.similarity_pairs, self.identical_wrong_answers, self.lock]


def check_out_folder(submissions_dir: Path, out: Path) -> None:
    """Refuse an output folder inside the submissions (it would be read as a student) or one
    that is a file.

    Raises:
        UsageError: says which, and what to choose instead.
    """
    submissions, target = submissions_dir.resolve(), out.resolve()
    if target == submissions or submissions in target.parents:
        raise UsageError(f"--out {out} is inside the submissions folder {submissions_dir}; "
                         "choose an output folder outside it")
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")

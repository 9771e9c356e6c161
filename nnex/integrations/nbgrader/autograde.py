"""``nbgrader autograde`` with no student code in its kernel: nnex grades the test cells.

nbgrader's own autograde runs the whole notebook in a kernel, test cells included; nnex's test
cells compare there with the reference, so student code in the same kernel could import the
reference or the hidden checks (``from nnex.solutions.ex01_relu import relu`` scored 12/12).
The exported ``nbgrader_config.py`` therefore puts ``ConfinedChecks`` in
``Autograde.autograde_preprocessors`` where nbgrader's ``Execute`` was. When it runs, nbgrader
has already cleared the outputs and restored the locked and test cells from its gradebook;
``ConfinedChecks`` grades the notebook's solution cells in nnex's confined worker
(``nnex.integrations.nbgrader.grade.grade_notebook``: the notebook reader and checks of
``nnex grade --nbgrader``, one notebook at a time as nbgrader hands them over) and writes each
test cell's verdict as its output: a ✓ line for a passed check, an error with the hint for one
that did not pass. nbgrader's ``SaveAutoGrades`` then scores the cells as usual (full points,
or 0 for an error) and writes "No response." and the rest exactly as it always does.

Failures of the grading itself stop that student's autograde with one line saying what to do
(nbgrader lists the student as failed and exits non-zero); they never cost a point: the student
kit's nnex (no hidden checks), a test cell that is not nnex's, a grader error.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Enum

from nnex.errors import NnexError
from nnex.integrations.nbgrader.adapter import run_check_call, verdict_output
from nnex.integrations.nbgrader.grade import NotebookData, grade_notebook
from nnex.grading.results import GRADER_ERROR
from nnex.sandbox.bubblewrap import SandboxUnavailable


class AutogradeError(NnexError):
    """nnex cannot grade this notebook under ``nbgrader autograde``; never the student's fault."""


class ConfinedChecks(Preprocessor):
    """Replaces nbgrader's ``Execute``: the verdicts of nnex's confined checks as test outputs."""

    enabled = Bool(True)
    isolation = Enum(["bwrap", "auto", "rlimits"], "bwrap", help=(
        "How student code is confined, as for `nnex grade --isolation`: 'bwrap' (refuse to "
        "grade without bubblewrap), 'auto' (bubblewrap when it works here, else resource "
        "limits only, with a warning) or 'rlimits'. Only bubblewrap hides the reference "
        "solutions and hidden checks from student code.")).tag(config=True)

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict
                   ) -> tuple[nbformat.NotebookNode, dict]:
        """Grade ``nb`` and set the outputs of its test cells.

        Raises:
            AutogradeError: a test cell is not nnex's, nnex here is the student kit, or a
                grader failed.
        """
        info = resources.get("nbgrader", {})
        name = f"{info.get('notebook', 'notebook')}.ipynb"
        tests = [(cell, run_check_call(cell.source)) for cell in nb.cells
                 if cell.cell_type == "code" and _is_test_cell(cell)]
        foreign = [cell.metadata.nbgrader["grade_id"] for cell, call in tests if call is None]
        if foreign:
            raise AutogradeError(
                f"{name}: test cell '{foreign[0]}' is not an nnex test cell (run_check(...)); "
                "this course's autograde runs only nnex's checks, outside the kernel: make that "
                "cell a manually graded answer or remove it")
        exercise_ids = tuple(sorted({call[0] for _, call in tests}))
        if not exercise_ids:
            return nb, resources
        submission = NotebookData(student=str(info.get("student", "")), folder=Path(name),
                                  name=name, data=nbformat.writes(nb).encode("utf-8"),
                                  exercise_ids=exercise_ids)
        try:
            result = grade_notebook(submission, isolation=self.isolation, warn=self.log.warning)
        except SandboxUnavailable as error:
            raise AutogradeError(
                f"{name}: {error}. In nbgrader_config.py that is c.ConfinedChecks.isolation; "
                "without bubblewrap student code can read the reference solutions") from None
        except NnexError as error:
            raise AutogradeError(f"{name}: {error}") from None
        checks = {(e.exercise, c.name): c for e in result.exercises for c in e.checks}
        for cell, call in tests:
            check = checks.get(call)
            if check is None:
                raise AutogradeError(f"{name}: test cell '{cell.metadata.nbgrader['grade_id']}' "
                                     f"names {call[0]}.{call[1]}, which this nnex does not have; "
                                     "export the course again with this nnex")
            if check.outcome == GRADER_ERROR:
                raise AutogradeError(
                    f"{name}: the grader of {call[0]}.{call[1]} failed ({check.message}); not "
                    "the student's fault: fix nnex, then autograde again with --force")
            cell.outputs = [verdict_output(check)]
        return nb, resources


def _is_test_cell(cell: nbformat.NotebookNode) -> bool:
    """An autograded test cell of the gradebook: graded, not a solution (answer) cell, and with
    the grade_id that nbgrader's sanitizing keeps only for cells it knows."""
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and "grade_id" in meta

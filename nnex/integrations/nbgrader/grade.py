"""Grading an nbgrader course's submitted notebooks with nnex's confined, parallel grader.

Each student's ``submitted/<student>/<assignment>/<notebook>.ipynb`` is read as data (JSON,
never executed here) by nnex's one notebook reader (``nnex.grading.notebook_source``, the
same rules as for nnex's own notebooks): the code of its answer cells (nbgrader metadata
``solution: true``), in order, is the student's module for the exercise whose test cells the
notebook holds. The class goes through ``nnex grade``'s pipeline
(``nnex.classgrade.grade.grade_submissions``: a pool of grading processes, one result record
per student, a rerun reusing the records of unchanged submissions), then
``nnex.integrations.nbgrader.adapter`` writes the scores into the course's nbgrader gradebook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nnex.course.content import Course
from nnex.errors import CourseError
from nnex.sandbox.host import Limits
from nnex.classgrade.grade import ClassResult, grade_submissions
from nnex.grading.problems import StudentProblem
from nnex.grading.results import SubmissionResult
from nnex.grading.direct import run_plain_checks
from nnex.sandbox.bubblewrap import DEFAULT_ISOLATION, make_host
from nnex.grading.notebook_source import nbgrader_solution_source
from nnex.grading.submissions import NotebookSubmission, Submission, decode_source

STUDENT_KIT_CANNOT_GRADE = (
    "the nnex installed here is the student kit: it has no hidden checks and no reference "
    "solutions, so it cannot grade; install the instructor's nnex into the Python that runs "
    "nbgrader (pip install /path/to/nnex, the instructor's checkout, or the wheel built from it "
    "with pip wheel)")

OUT_FOLDER = "nnex-grading"


@dataclass(frozen=True)
class NotebookData(Submission):
    """One notebook given as its bytes: the copy ``nbgrader autograde`` sanitized (its locked
    and test cells already restored from the gradebook). ``folder`` is not read."""

    name: str = ""
    """The notebook's file name, for messages."""
    data: bytes = b""
    exercise_ids: tuple[str, ...] = ()
    """The exercises whose test cells the notebook holds."""

    def source(self, exercise_id: str) -> str:
        """The code answer cells (``notebook_source.nbgrader_solution_source``).

        Raises:
            StudentProblem: ``exercise_id`` is not in this notebook, or it is not a notebook.
        """
        if exercise_id not in self.exercise_ids:
            raise StudentProblem("missing_file", file=f"{exercise_id}.ipynb")
        return nbgrader_solution_source(decode_source(self.data, self.name), file=self.name)


def grade_notebook(notebook: NotebookData, *, isolation: str = DEFAULT_ISOLATION,
                   limits: Limits | None = None, course: Course | None = None,
                   warn: Callable[[str], None] | None = None) -> SubmissionResult:
    """Grade one notebook's solution cells on its exercises' public and hidden checks, with
    nnex's confined worker (the student's code never runs in this process).

    Raises:
        CourseError: hidden checks are not installed (the student kit) or an exercise is unknown.
    """
    course = course or Course.installed()
    if course.is_student_kit:
        raise CourseError(STUDENT_KIT_CANNOT_GRADE)
    exercises = course.exercises(list(notebook.exercise_ids))
    host = make_host(isolation, limits, warn=warn)
    try:
        [result] = run_plain_checks([notebook], exercises, course=course, hidden=True,
                                    host=host)
    finally:
        host.close()
    return result


@dataclass
class NbgraderGrading:
    """The results of ``grade_nbgrader_assignment``."""

    assignment: str
    exercise_ids: list[str]
    submissions: list[SubmissionResult]
    gradebook: str
    """Where the scores were written (nbgrader's db_url)."""
    graded: ClassResult
    """nnex's side: the output folder, who was graded and who reused."""


def grade_nbgrader_assignment(root: Path, assignment: str, *,
                              isolation: str = DEFAULT_ISOLATION,
                              limits: Limits | None = None, course: Course | None = None,
                              out: Path | None = None, workers: int | str | None = None,
                              force: bool = False,
                              on_start: Callable[[int, int], None] | None = None,
                              on_result: Callable[[SubmissionResult], None] | None = None,
                              warn: Callable[[str], None] | None = None,
                              grader_command: list[str] | None = None) -> NbgraderGrading:
    """Grade every submission of ``assignment`` in the nbgrader course ``root``.

    Args:
        out: where nnex's result records, ``scores.csv`` and bilingual ``feedback/`` go
            (default: ``default_out(root, assignment)``); a rerun reuses the results of
            students whose notebooks and graders are unchanged.
        isolation, limits, workers, force, on_start, on_result, warn, grader_command: as for
            ``nnex.classgrade.grade.grade_class``.

    Raises:
        NbgraderCourseError: no such assignment in the gradebook, or no submissions.
        CourseError: hidden checks are not installed (the student kit).
        UsageError, GradebookError, GraderError, SandboxUnavailable: as for ``grade_class``.
    """
    from nnex.integrations.nbgrader import adapter as nbgrader_adapter

    course = course or Course.installed()
    if course.is_student_kit:
        raise CourseError(STUDENT_KIT_CANNOT_GRADE)
    layout = nbgrader_adapter.read_assignment(root, assignment)
    notebook_of = layout.notebook_of()
    known = [e for e in course.exercise_ids() if e in notebook_of]
    unknown = sorted(set(notebook_of) - set(known))
    if not known:
        raise nbgrader_adapter.NbgraderCourseError(
            f"the test cells of '{assignment}' name {', '.join(unknown)}, which this nnex does "
            "not have; upgrade nnex or export the course again")
    if unknown and warn is not None:
        warn(f"test cells of {', '.join(unknown)} are left alone: this nnex has no such "
             "exercise")
    if not layout.submitted:
        raise nbgrader_adapter.NbgraderCourseError(
            f"no submissions of '{assignment}' under {root}; nbgrader collect (or copy) them to "
            f"submitted/<student>/{assignment}/ first")
    submissions = [NotebookSubmission(student=student, folder=folder,
                                      notebooks=tuple(notebook_of.items()))
                   for student, folder in layout.submitted.items()]
    coursedir = nbgrader_adapter.course_directory(root)
    graded = grade_submissions(
        submissions, out or default_out(root, assignment),
        origin=Path(coursedir.root) / coursedir.submitted_directory,
        exercise_ids=known, isolation=isolation, limits=limits, course=course,
        workers=workers, force=force, on_start=on_start, on_result=on_result, warn=warn,
        grader_command=grader_command)
    nbgrader_adapter.record_grades(root, layout, graded.submissions)
    return NbgraderGrading(assignment=assignment, exercise_ids=graded.exercise_ids,
                           submissions=graded.submissions,
                           gradebook=coursedir.db_url, graded=graded)


def default_out(root: Path, assignment: str) -> Path:
    """Where ``grade_nbgrader_assignment`` keeps nnex's results when not told: beside
    nbgrader's own folders (``submitted/``, ``autograded/``, ...) in the course."""
    return root / OUT_FOLDER / assignment

"""Grading an nbgrader course's submitted notebooks with nnex's confined, parallel grader.

Each student's ``submitted/<student>/<assignment>/<notebook>.ipynb`` is read as data (JSON,
never executed here): the code of its solution cells (nbgrader metadata ``solution: true``), in
order, is the student's module for the exercise whose test cells the notebook holds. The
usual pipeline (``nnex.grading.runner.run_checks`` with a worker host) grades those modules, then
``nnex.integrations.nbgrader.adapter`` writes the scores into the course's nbgrader gradebook.

Notebook code becomes module code as a kernel would run it, with two differences: IPython
magics and shell escapes (``%…``, ``!…``) in a cell that is not valid Python are commented
out, and an answer cell left as released (only ``raise NotImplementedError()``) is skipped,
so that it costs its own check and not the whole exercise.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nnex.course.content import Course
from nnex.errors import CourseError
from nnex.sandbox.host import Limits
from nnex.classgrade.outputs import Manifest, write_outputs
from nnex.grading.problems import StudentProblem
from nnex.grading.results import SubmissionResult
from nnex.grading.runner import run_checks
from nnex.sandbox.bubblewrap import DEFAULT_ISOLATION, make_host
from nnex.grading.submissions import MAX_SOURCE_BYTES, Submission, decode_source, read_bytes

STUDENT_KIT_CANNOT_GRADE = (
    "the nnex installed here is the student kit: it has no hidden checks and no reference "
    "solutions, so it cannot grade; install the instructor's nnex into the Python that runs "
    "nbgrader (pip install /path/to/nnex, the instructor's checkout, or the wheel built from it "
    "with pip wheel)")

MAX_NOTEBOOK_BYTES = 64 << 20
"""Notebooks carry outputs (plots): far larger than the code graded."""


@dataclass(frozen=True)
class NotebookSubmission(Submission):
    """One student's submitted assignment folder; exercise modules come from its notebooks."""

    notebooks: tuple[tuple[str, str], ...] = ()
    """(exercise id, notebook name) pairs."""

    def source(self, exercise_id: str) -> str:
        """The solution cells' code of the notebook holding ``exercise_id``'s test cells.

        Raises:
            StudentProblem: the notebook is missing, a link, too large or not a notebook.
        """
        notebook = dict(self.notebooks).get(exercise_id)
        if notebook is None:
            raise StudentProblem("missing_file", file=f"{exercise_id}.ipynb")
        name = f"{notebook}.ipynb"
        data = read_bytes(self.folder / name, limit=MAX_NOTEBOOK_BYTES)
        return notebook_module_source(data, name)


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
        """The solution cells' code (see ``notebook_module_source``).

        Raises:
            StudentProblem: ``exercise_id`` is not in this notebook, or it is not a notebook.
        """
        if exercise_id not in self.exercise_ids:
            raise StudentProblem("missing_file", file=f"{exercise_id}.ipynb")
        return notebook_module_source(self.data, self.name)


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
        [result] = run_checks([notebook], exercises, course=course, hidden=True, host=host)
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


def grade_nbgrader_assignment(root: Path, assignment: str, *,
                              isolation: str = DEFAULT_ISOLATION,
                              limits: Limits | None = None, course: Course | None = None,
                              out: Path | None = None,
                              on_start: Callable[[int], None] | None = None,
                              on_result: Callable[[SubmissionResult], None] | None = None,
                              warn: Callable[[str], None] | None = None) -> NbgraderGrading:
    """Grade every submission of ``assignment`` in the nbgrader course ``root``.

    Args:
        isolation, limits: how student code is confined (as for ``nnex grade``).
        out: also write nnex's ``scores.csv`` and bilingual ``feedback/`` there.
        on_start, on_result, warn: progress callbacks (as for ``nnex.classgrade.grade.grade_class``).

    Raises:
        NbgraderCourseError: no such assignment in the gradebook, or no submissions.
        CourseError: hidden checks are not installed (the student kit).
    """
    from nnex.integrations.nbgrader import adapter as nbgrader_adapter

    course = course or Course.installed()
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
    exercises = course.exercises(known)
    if not layout.submitted:
        raise nbgrader_adapter.NbgraderCourseError(
            f"no submissions of '{assignment}' under {root}; nbgrader collect (or copy) them to "
            f"submitted/<student>/{assignment}/ first")
    submissions = [NotebookSubmission(student=student, folder=folder,
                                      notebooks=tuple(notebook_of.items()))
                   for student, folder in layout.submitted.items()]
    if on_start is not None:
        on_start(len(submissions))
    host = make_host(isolation, limits, warn=warn)
    try:
        results = run_checks(submissions, exercises, course=course, hidden=True, host=host,
                             on_result=on_result)
    finally:
        host.close()
    nbgrader_adapter.record_grades(root, layout, results)
    exercise_ids = [meta.id for meta in exercises]
    if out is not None:
        from nnex.classgrade.records import grader_version
        from nnex.classgrade.grade import roster_hash

        results = sorted(results, key=lambda result: result.student)
        manifest = Manifest(grader_version=grader_version(course, exercises),
                            exercises=exercise_ids, shard=None, class_size=len(submissions),
                            roster=roster_hash(submissions),
                            students=[result.student for result in results])
        write_outputs(results, exercise_ids, out, manifest)
    return NbgraderGrading(assignment=assignment, exercise_ids=exercise_ids,
                           submissions=results,
                           gradebook=nbgrader_adapter.course_directory(root).db_url)


def notebook_module_source(data: bytes, name: str) -> str:
    """The code of a notebook's solution cells as one module (see the module docstring).

    Raises:
        StudentProblem: not UTF-8, not a notebook, or the code is too large.
    """
    try:
        cells = json.loads(decode_source(data, name)).get("cells")
        if not isinstance(cells, list):
            raise ValueError("no list of cells")
    except (ValueError, AttributeError) as exc:
        raise StudentProblem("import_error", file=name,
                             detail=f"not a Jupyter notebook ({exc})"[:300]) from None
    parts = []
    for number, cell in enumerate(cells, start=1):
        if not (isinstance(cell, dict) and cell.get("cell_type") == "code" and _is_solution(cell)):
            continue
        code = _code(cell.get("source", ""))
        if _left_as_released(code):
            continue
        parts.append(f"# --- セル / cell {number} ---\n{_without_magics(code)}")
    module = "\n\n".join(parts) + "\n"
    try:
        size = len(module.encode("utf-8"))
    except UnicodeEncodeError:  # JSON may spell a lone surrogate: "\ud800"
        raise StudentProblem("import_error", file=name,
                             detail="an invalid \\ud800-style escape in a solution cell") from None
    if size > MAX_SOURCE_BYTES:
        raise StudentProblem("too_large", file=name,
                             detail=f"solution cells > {MAX_SOURCE_BYTES} bytes")
    return module


def _is_solution(cell: dict) -> bool:
    meta = cell.get("metadata")
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    return isinstance(nbgrader, dict) and nbgrader.get("solution") is True


def _code(source: object) -> str:
    if isinstance(source, list):
        source = "".join(str(line) for line in source)
    return str(source).replace("\r\n", "\n")


def _left_as_released(code: str) -> bool:
    """True for a cell whose only statement is ``raise NotImplementedError(...)``."""
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return False
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    error = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(error, ast.Name) and error.id == "NotImplementedError"


def _without_magics(code: str) -> str:
    """``code`` with IPython magics and shell escapes commented out, when it needs that."""
    try:
        ast.parse(code)
        return code
    except SyntaxError:
        pass
    if code.lstrip().startswith("%%"):
        return "\n".join(f"# {line}" for line in code.splitlines())
    return "\n".join(f"# {line}" if line.lstrip().startswith(("%", "!")) else line
                     for line in code.splitlines())

"""The one module of nnex that imports nbgrader: its course layout, gradebook and notebooks.

``nnex grade --nbgrader DIR ASSIGNMENT`` reads here what nbgrader knows about an assignment
(the notebooks and grade cells that ``nbgrader generate_assignment`` put in the gradebook, the
students under ``submitted/``) and writes nnex's results back the way ``nbgrader autograde``
would: for each student a submission in the gradebook (``Gradebook.update_or_create_submission``,
which mirrors the assignment's notebooks and cells), the ``auto_score`` of every nnex test cell
(``Gradebook.find_grade``), and ``autograded/<student>/<assignment>/<notebook>.ipynb`` with the
locked cells restored from the gradebook and each test cell's output set to nnex's verdict, so
the formgrader, ``nbgrader generate_feedback`` and ``nbgrader export`` work on nnex's grades.

Configuration is read from ``DIR/nbgrader_config.py`` only (not from ~/.jupyter).
"""

from __future__ import annotations

import ast
import glob
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from nnex.errors import NnexError
from nnex.integrations.nbgrader.cell import check_report
from nnex.grading.problems import StudentProblem
from nnex.grading.results import GRADER_ERROR, PASSED, CheckResult, SubmissionResult
from nnex.grading.submissions import read_bytes

CONFIG_FILE = "nbgrader_config.py"
TIMESTAMP_FILE = "timestamp.txt"
EXCHANGE_FILES = (TIMESTAMP_FILE, "submission_secret.txt")
"""What nbgrader's exchange writes into a submission besides the notebooks."""
_MARK = "\x00"  # stands for the student id in nbgrader's directory structure


class NbgraderCourseError(NnexError):
    """The nbgrader course cannot be graded as asked (no such assignment, not generated, …)."""


@dataclass(frozen=True)
class TestCell:
    """A grade cell of the gradebook; ``check`` is None for cells nnex does not grade."""

    grade_id: str
    max_score: float
    exercise_id: str | None = None
    check: str | None = None


@dataclass(frozen=True)
class AssignmentLayout:
    """What nbgrader knows about one assignment."""

    name: str
    notebooks: dict[str, list[TestCell]]
    """Notebook name (file name without .ipynb) → its grade cells."""
    submitted: dict[str, Path]
    """Student id → ``submitted/<student>/<assignment>/``."""

    def notebook_of(self) -> dict[str, str]:
        """Exercise id → the notebook holding its test cells."""
        return {cell.exercise_id: notebook for notebook, cells in self.notebooks.items()
                for cell in cells if cell.exercise_id is not None}


def course_directory(root: Path) -> CourseDirectory:
    """nbgrader's CourseDirectory for ``root``, configured by ``root/nbgrader_config.py``."""
    config = Config()
    if (root / CONFIG_FILE).is_file():
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    coursedir = CourseDirectory(config=config)
    if "root" not in config.CourseDirectory:
        coursedir.root = str(root.resolve())
    return coursedir


def read_assignment(root: Path, assignment: str) -> AssignmentLayout:
    """The notebooks, nnex test cells and submitted students of ``assignment``.

    Raises:
        NbgraderCourseError: ``root`` is not a folder, or the assignment is not in the gradebook.
    """
    if not root.is_dir():
        raise NbgraderCourseError(f"{root}: no such folder; pass the nbgrader course folder")
    coursedir = course_directory(root)
    not_generated = NbgraderCourseError(
        f"assignment '{assignment}' is not in the gradebook {coursedir.db_url}; run "
        f"'nbgrader generate_assignment {assignment}' in {root} first")
    if coursedir.db_url.startswith("sqlite:///") \
            and not Path(coursedir.db_url[len("sqlite:///"):]).is_file():
        raise not_generated  # and do not create an empty gradebook
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        try:
            record = gradebook.find_assignment(assignment)
        except MissingEntry:
            raise not_generated from None
        notebooks = {}
        for nb in record.notebooks:
            sources = {cell.name: cell.source or "" for cell in nb.source_cells}
            notebooks[nb.name] = sorted((_test_cell(cell, sources.get(cell.name, ""))
                                         for cell in nb.grade_cells), key=lambda c: c.grade_id)
    if not any(c.check for cells in notebooks.values() for c in cells):
        raise NbgraderCourseError(f"assignment '{assignment}' has no nnex test cells "
                                  "(run_check(...)); export it with 'nnex nbgrader export'")
    return AssignmentLayout(name=assignment, notebooks=notebooks,
                            submitted=_submitted(coursedir, assignment))


def record_grades(root: Path, layout: AssignmentLayout,
                  results: list[SubmissionResult]) -> None:
    """Write nnex's results into the gradebook and ``autograded/`` as nbgrader autograde would.

    A check that passed scores its points; one that failed scores 0; a grader error leaves the
    cell without an auto score and flags it for manual grading (never the student's fault).
    """
    coursedir = course_directory(root)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for result in results:
            folder = layout.submitted[result.student]
            checks = {(e.exercise, c.name): c for e in result.exercises for c in e.checks}
            gradebook.update_or_create_student(result.student)
            timestamp = coursedir.get_existing_timestamp(str(folder))
            with warnings.catch_warnings():
                # nbgrader 0.9's add_submission under SQLAlchemy 2 warns "not in session" while
                # it builds the records; nbgrader's own autograde prints the same. Harmless.
                warnings.filterwarnings("ignore", message=".*not in session.*")
                gradebook.update_or_create_submission(
                    layout.name, result.student,
                    **({"timestamp": timestamp} if timestamp else {}))
            target = Path(coursedir.format_path(coursedir.autograded_directory,
                                                result.student, layout.name))
            for notebook, cells in layout.notebooks.items():
                for cell in cells:
                    check = checks.get((cell.exercise_id, cell.check))
                    if cell.check is None or check is None:
                        continue
                    grade = gradebook.find_grade(cell.grade_id, notebook, layout.name,
                                                 result.student)
                    failed = check.outcome == GRADER_ERROR
                    grade.auto_score = None if failed else check.points
                    grade.needs_manual_grade = failed or grade.manual_score is not None
                gradebook.db.commit()
                written = _write_autograded(gradebook, layout.name, notebook, folder, target,
                                            checks)
                if written is not None:
                    _record_no_response(gradebook, layout.name, notebook, result.student,
                                        written)
            _copy_exchange_files(folder, target)


def _write_autograded(gradebook: Gradebook, assignment: str, notebook: str, folder: Path,
                      target: Path, checks: dict[tuple[str, str], CheckResult]
                      ) -> nbformat.NotebookNode | None:
    """The submitted notebook with locked cells restored and nnex's verdict as test outputs;
    written to ``target`` and returned (None when there is no readable notebook)."""
    source = folder / f"{notebook}.ipynb"
    if not source.is_file() or source.is_symlink():
        return None
    try:
        nb = nbformat.read(str(source), as_version=4)
    except Exception:  # noqa: BLE001 - not a notebook: nnex already scored it 0
        return None
    source_cells = gradebook.find_notebook(notebook, assignment).source_cells
    master = {cell.name: cell for cell in source_cells}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        original = master.get(meta.get("grade_id"))
        if original is not None:
            # As nbgrader's OverwriteCells: the gradebook's checksum, type and lock always win.
            meta["checksum"], meta["locked"] = original.checksum, original.locked
            if (original.locked or meta.get("grade")) and not meta.get("solution"):
                cell.source, cell.cell_type = original.source, original.cell_type
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            found = run_check_call(cell.source)
            if found and found in checks:
                cell.outputs = [verdict_output(checks[found])]
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{notebook}.ipynb").unlink(missing_ok=True)  # nbgrader leaves its own read-only
    nbformat.write(nb, str(target / f"{notebook}.ipynb"))
    return nb


def _record_no_response(gradebook: Gradebook, assignment: str, notebook: str, student: str,
                        nb: nbformat.NotebookNode) -> None:
    """Each solution cell's auto comment as nbgrader's SaveAutoGrades writes it: "No response."
    when the cell is as released (its checksum unchanged), else none."""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (utils.is_solution(cell) or utils.is_task(cell)) or "grade_id" not in meta:
            continue
        try:
            comment = gradebook.find_comment(meta["grade_id"], notebook, assignment, student)
        except MissingEntry:
            continue  # a cell the student added: nbgrader has no comment for it either
        untouched = meta.get("checksum") == utils.compute_checksum(cell)
        comment.auto_comment = "No response." if untouched and not utils.is_task(cell) else None
    gradebook.db.commit()


def _copy_exchange_files(folder: Path, target: Path) -> None:
    """``timestamp.txt`` and ``submission_secret.txt`` next to the autograded notebooks, as
    nbgrader autograde copies them: its autograde and formgrader compare the timestamp with the
    submitted one, and ``generate_feedback`` passes both on to ``release_feedback``."""
    for name in EXCHANGE_FILES:
        try:
            data = read_bytes(folder / name, limit=4096)
        except StudentProblem:
            continue  # missing, a link or not a file: nothing nbgrader could use
        target.mkdir(parents=True, exist_ok=True)
        (target / name).unlink(missing_ok=True)  # nbgrader leaves its copy read-only
        (target / name).write_bytes(data)


def verdict_output(check: CheckResult) -> nbformat.NotebookNode:
    """A test cell's output for nnex's verdict: a stream when the check passed (nbgrader gives
    full points), an error carrying the report and hint when it did not (0 points)."""
    text = check_report(check)
    if check.outcome == PASSED:
        return nbformat.v4.new_output("stream", name="stdout", text=text + "\n")
    return nbformat.v4.new_output("error", ename="CheckNotPassed", evalue=text,
                                  traceback=text.splitlines())


def _test_cell(cell, source: str) -> TestCell:
    found = run_check_call(source)
    exercise_id, check = found if found else (None, None)
    return TestCell(grade_id=cell.name, max_score=float(cell.max_score),
                    exercise_id=exercise_id, check=check)


def run_check_call(source: str) -> tuple[str, str] | None:
    """(exercise id, check) of the ``run_check("ex", "check", ...)`` call in a test cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) \
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "run_check" \
                and len(node.args) >= 2 \
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                        for a in node.args[:2]):
            return node.args[0].value, node.args[1].value
    return None


def _submitted(coursedir: CourseDirectory, assignment: str) -> dict[str, Path]:
    """Student id → submitted folder, by nbgrader's directory structure (hidden ids skipped)."""
    template = coursedir.format_path(coursedir.submitted_directory, _MARK, assignment)
    if template.count(_MARK) != 1:
        raise NbgraderCourseError("CourseDirectory.directory_structure must name {student_id} "
                                  "exactly once")
    before, after = template.split(_MARK)
    found = {}
    for path in sorted(glob.glob(glob.escape(template).replace(_MARK, "*"))):
        student = path[len(before):len(path) - len(after)]
        folder = Path(path)
        if not student.startswith(".") and folder.is_dir() and not folder.is_symlink():
            found[student] = folder
    return found

"""Writing an nbgrader course: ``nbgrader_config.py`` and one source notebook per exercise.

Each notebook (``source/<assignment>/<exercise>.ipynb``) holds, with nbgrader cell metadata:

1. the statement (markdown, locked);
2. the solution cell: the stub with the reference bodies in ``### BEGIN SOLUTION`` regions, so
   ``nbgrader generate_assignment`` releases the stub (``nnex.integrations.nbgrader.solutions``),
   then one answer cell per module-level answer, if any;
3. one autograded test cell per check of ``exercise.yaml``, worth its points, calling
   ``nnex.integrations.nbgrader.cell.run_check`` on the kernel's ``globals()``: public checks
   visible, hidden ones inside ``### BEGIN HIDDEN TESTS`` regions (which the release removes).

``nbgrader_config.py`` makes ``nbgrader autograde`` grade those test cells with nnex's confined
worker instead of running the notebook in a kernel (``nnex.integrations.nbgrader.autograde``).

Only nbformat is used here; nbgrader itself is touched in ``nnex.integrations.nbgrader.adapter``
alone.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import v4

from nnex.course.content import Course
from nnex.errors import UsageError
from nnex.course.metadata import ExerciseMeta
from nnex.integrations.nbgrader.course_file import CourseFile, load_course_file
from nnex.integrations.nbgrader.solutions import solution_cells
from nnex.render.details import points

CONFIG_FILE = "nbgrader_config.py"
CODE_STUB = "# ここにコードを書きましょう / YOUR CODE HERE\nraise NotImplementedError()"
NBGRADER_SCHEMA = 3
AUTOGRADE_PREPROCESSORS = (
    # ConfinedChecks in place of nbgrader.preprocessors.Execute
    "nnex.integrations.nbgrader.autograde.ConfinedChecks",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
)
"""nbgrader 0.9's ``Autograde.autograde_preprocessors`` with nnex's checks in place of Execute."""
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

_CONFIG = '''\
"""nbgrader configuration of the nnex course (written by `nnex nbgrader export`).

Run nbgrader in this folder: nbgrader generate_assignment ASSIGNMENT, autograde, ...
nnex is not on the package index. Install the instructor's nnex (the one with the reference
solutions and hidden checks, not the student kit) into the Python that runs nbgrader, from your
checkout of nnex or a wheel built from it:
    pip install "/path/to/nnex[nbgrader]"        # or: pip install nnex-<version>-py3-none-any.whl
"""

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.course_id = {course_id!r}
# What replaces each ### BEGIN SOLUTION ... ### END SOLUTION region in released notebooks.
c.ClearSolutions.code_stub = {{"python": {code_stub!r}}}
# Seconds per cell when a notebook runs in a kernel (nbgrader validate).
c.Execute.timeout = {timeout}

# nbgrader autograde: nnex grades the test cells in its confined worker instead of running the
# notebook in a kernel (nbgrader's Execute), so that student code cannot import the reference
# solutions or the hidden checks. The other steps are nbgrader's defaults, unchanged.
c.Autograde.autograde_preprocessors = {autograde_preprocessors}
# How student code is confined: "bwrap" (refuse to grade without bubblewrap: apt-get install
# bubblewrap) or "rlimits" (resource limits only, with a warning). Only bubblewrap keeps the
# reference solutions out of student code's reach.
c.ConfinedChecks.isolation = "bwrap"
'''


@dataclass(frozen=True)
class ExportedCourse:
    """What ``export_course`` wrote."""

    root: Path
    config: Path
    config_written: bool
    """False when an existing ``nbgrader_config.py`` was kept."""
    notebooks: dict[str, list[Path]]
    """Assignment name → its source notebooks, in course-file order."""


def export_course(root: Path, *, course_file: Path | None = None, course: Course | None = None,
                  force: bool = False) -> ExportedCourse:
    """Write the nbgrader course of ``course_file`` (default: one assignment per exercise).

    Args:
        root: the nbgrader course folder (created).
        force: replace existing source notebooks and ``nbgrader_config.py``.

    Raises:
        UsageError: a source notebook or the config exists already and ``force`` is not set.
        CourseFileError: the course file is invalid.
        CourseError: solutions are not installed (the student kit), or stub and solution of an
            exercise do not match.
    """
    course = course or Course.installed()
    spec = load_course_file(course_file, course=course)
    targets = {a.name: [root / "source" / a.name / f"{e}.ipynb" for e in a.exercises]
               for a in spec.assignments}
    existing = [p for paths in targets.values() for p in paths if p.exists()]
    if existing and not force:
        raise UsageError(f"{existing[0]} exists; pass --force to replace the source notebooks "
                         "(your edits to them are lost)")
    notebooks = {}
    for assignment in spec.assignments:
        for exercise_id, path in zip(assignment.exercises, targets[assignment.name]):
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(exercise_notebook(course, course.exercise(exercise_id)), str(path))
        notebooks[assignment.name] = targets[assignment.name]
    config = root / CONFIG_FILE
    written = force or not config.exists()
    if written:
        config.write_text(config_text(spec, course), encoding="utf-8")
    return ExportedCourse(root=root, config=config, config_written=written, notebooks=notebooks)


def config_text(spec: CourseFile, course: Course) -> str:
    """The text of ``nbgrader_config.py`` for the course file ``spec``."""
    exercises = {e for a in spec.assignments for e in a.exercises}
    budget = max(course.exercise(e).time_limit.exercise_seconds for e in exercises)
    steps = "".join(f"\n    {step!r}," for step in AUTOGRADE_PREPROCESSORS)
    return _CONFIG.format(course_id=spec.course_id, code_stub=CODE_STUB,
                          timeout=max(30, math.ceil(budget)),
                          autograde_preprocessors=f"[{steps}\n]")


def exercise_notebook(course: Course, meta: ExerciseMeta) -> nbformat.NotebookNode:
    """The nbgrader source notebook of one exercise (validated by nbformat)."""
    cells = solution_cells(course.stub_text(meta.id), course.solution_text(meta.id),
                           exercise_id=meta.id)
    notebook = v4.new_notebook(metadata={"kernelspec": dict(KERNELSPEC),
                                         "language_info": {"name": "python"}})
    notebook.cells.append(_cell(v4.new_markdown_cell(_statement(course, meta)),
                                f"{meta.id}_statement", locked=True))
    notebook.cells.append(_cell(v4.new_code_cell(cells.module), f"{meta.id}_solution",
                                solution=True))
    for n, answer in enumerate(cells.answers, start=1):
        notebook.cells.append(_cell(v4.new_code_cell(answer), f"{meta.id}_answer{n}",
                                    solution=True))
    public = _public_checks(course, meta.id)
    for check in meta.checks.values():
        notebook.cells.append(_cell(v4.new_code_cell(_test_source(meta.id, check, check.name in
                                                                  public)),
                                    f"test_{check.name}", locked=True, points=check.points))
    nbformat.validate(notebook)
    return notebook


def _cell(cell: nbformat.NotebookNode, grade_id: str, *, locked: bool = False,
          solution: bool = False, points: float | None = None) -> nbformat.NotebookNode:
    meta = {"schema_version": NBGRADER_SCHEMA, "grade_id": grade_id, "grade": points is not None,
            "locked": locked, "solution": solution}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def _statement(course: Course, meta: ExerciseMeta) -> str:
    """The statement (it has its own title), or the exercise's title and lecture when the
    exercise has none yet; then the points and how the notebook works."""
    statement = course.statement_text(meta.id)
    if statement is not None:
        top = [statement.strip()]
    else:
        top = [f"# {meta.title.ja}", f"# {meta.title.en}", "",
               f"講義 / Lecture: {meta.lecture.ja} / {meta.lecture.en}"]
    return "\n".join([
        *top, "", "---", "",
        f"配点 / Points: {points(meta.max_score)}. "
        "下のコードセルの関数を完成させ、その下のテストセルを実行して確かめましょう。"
        "隠しテストは採点のときに実行されます。",
        "Complete the functions in the code cell below, then run the test cells under it. "
        "Hidden tests run when your work is graded.",
    ])


def _test_source(exercise_id: str, check, public: bool) -> str:
    unit = "point" if check.points == 1 else "points"
    call = ["from nnex.integrations.nbgrader.cell import run_check",
            f"run_check({exercise_id!r}, {check.name!r}, globals())"]
    heading = f"{check.title.ja} / {check.title.en} — {points(check.points)} 点 / {unit}"
    if public:
        return "\n".join([f"# {heading}", *call])
    return "\n".join([f"# 隠しテスト（採点のときに実行）/ "
                      f"Hidden test, run when grading: {heading}",
                      "### BEGIN HIDDEN TESTS", *call, "### END HIDDEN TESTS"])


def _public_checks(course: Course, exercise_id: str) -> set[str]:
    """The checks defined in the public graders (read, not run)."""
    trees = [ast.parse(path.read_text(encoding="utf-8"))
             for path in course.grader_files(exercise_id, hidden=False)]
    return {node.name[len("test_"):] for tree in trees for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}

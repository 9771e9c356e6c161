"""The nbgrader course nnex writes: course file, solution cells, test cells, in-kernel checks.

Fast tests of nnex's own code; ``test_nbgrader_pipeline.py`` runs the real nbgrader on it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs the nbgrader extra")

from nnex.cli import main  # noqa: E402
from nnex.course.content import Course  # noqa: E402
from nnex.errors import CourseError  # noqa: E402
from nnex.integrations.nbgrader.cell import CheckNotPassed, run_check  # noqa: E402
from nnex.integrations.nbgrader.course_file import CourseFileError, load_course_file  # noqa: E402
from nnex.integrations.nbgrader.export import CODE_STUB, export_course  # noqa: E402
from nnex.grading.notebook_source import nbgrader_solution_source  # noqa: E402
from nnex.integrations.nbgrader.solutions import solution_cells  # noqa: E402
from nnex.grading.problems import StudentProblem  # noqa: E402
from nnex.kit.release import KIT_PACKAGE, release_kit  # noqa: E402


def released(code: str) -> str:
    """What nbgrader's ClearSolutions makes of ``code`` with nnex's code stub (same algorithm:
    each region is replaced by the stub, indented like its BEGIN line)."""
    out, inside = [], False
    for line in code.split("\n"):
        if "BEGIN SOLUTION" in line:
            inside = True
            indent = re.match(r"\s*", line).group(0)
            out += [indent + stub for stub in CODE_STUB.split("\n")]
        elif "END SOLUTION" in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def namespace_of(path: Path) -> dict:
    spec = importlib.util.spec_from_file_location("reference_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(vars(module))


# -- the course file -------------------------------------------------------------------------

def write_yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "course.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_default_course_file_has_every_exercise_once(course):
    spec = load_course_file(course=course)
    assert [(a.name, a.exercises) for a in spec.assignments] == \
        [(e, (e,)) for e in course.exercise_ids()]


def test_default_course_file_follows_the_exercises(tmp_path, course):
    # Derived, not kept by hand: a course with other exercises gets other assignments.
    exercises = tmp_path / "exercises"
    for exercise_id in ("ex02_neuron", "ex03_network"):
        shutil.copytree(course.exercises_dir / exercise_id, exercises / exercise_id)
    smaller = Course(exercises_dir=exercises, graders_dir=course.graders_dir)
    spec = load_course_file(course=smaller)
    assert [a.name for a in spec.assignments] == ["ex02_neuron", "ex03_network"]


def test_course_file_groups_exercises(tmp_path, course):
    path = write_yaml(tmp_path, """\
        schema_version: 1
        course_id: nn101
        assignments:
          week1: {exercises: [ex01_relu]}
    """)
    spec = load_course_file(path, course=course)
    assert spec.course_id == "nn101"
    assert [(a.name, a.exercises) for a in spec.assignments] == [("week1", ("ex01_relu",))]


@pytest.mark.parametrize("body, message", [
    ("schema_version: 1\nassignments: {a: {exercises: [ex01_relu]}}\nassignmnets: {}\n",
     "unknown key 'assignmnets' — did you mean 'assignments'?"),
    ("schema_version: 1\nassignments: {a: {exercises: [ex01_relu], points: 3}}\n",
     "unknown key 'assignments.a.points'"),
    ("schema_version: 0\nassignments: {a: {exercises: [ex01_relu]}}\n", "too old"),
    ("schema_version: 2\nassignments: {a: {exercises: [ex01_relu]}}\n", "upgrade nnex"),
    ("assignments: {a: {exercises: [ex01_relu]}}\n", "missing key 'schema_version'"),
    ("schema_version: 1\nassignments: {a: {exercises: [ex01_rely]}}\n",
     "unknown exercise 'ex01_rely' — did you mean 'ex01_relu'?"),
    ("schema_version: 1\nassignments: {a: {exercises: [ex01_relu, ex01_relu]}}\n",
     "lists ex01_relu twice"),
    ("schema_version: 1\nassignments: {../up: {exercises: [ex01_relu]}}\n",
     "becomes a folder name"),
    ("schema_version: 1\nassignments: {a: {exercises: []}}\n", "non-empty list"),
    ("- just a list\n", "must be a YAML mapping"),
])
def test_course_file_errors_name_the_file_and_key(tmp_path, course, body, message):
    path = write_yaml(tmp_path, body)
    with pytest.raises(CourseFileError) as caught:
        load_course_file(path, course=course)
    assert message in str(caught.value) and str(path) in str(caught.value)


# -- solution cells ---------------------------------------------------------------------------

STUB = '''\
"""A stub."""

import numpy as np

SLOPE = 0.01


def double(x):
    """Twice x."""
    raise NotImplementedError("double")


def leaky(z, slope=SLOPE):
    """Leaky ReLU."""
    # keep this comment
    raise NotImplementedError("leaky")


# The lecture's answer:
ANSWER = None
'''

SOLUTION = '''\
"""The solution."""

import math

import numpy as np

SLOPE = 0.01
_FACTOR = 2


def _times(x, k):
    return x * k


def double(x):
    """Twice x."""
    return _times(x, _FACTOR)


def leaky(z, slope=SLOPE):
    """Leaky ReLU."""
    return np.where(np.asarray(z) > 0, z, slope * np.asarray(z))


def unused():
    return math.pi


ANSWER = -6
'''


def test_solution_cells_hold_the_reference_and_release_as_the_stub():
    cells = solution_cells(STUB, SOLUTION, exercise_id="toy")
    source = {}
    exec(cells.module, source)
    for answer in cells.answers:
        exec(answer, source)
    assert source["double"](3) == 6 and source["ANSWER"] == -6
    assert source["leaky"](-2.0) == pytest.approx(-0.02)

    release = released(cells.module)
    assert "_times" not in release and "_FACTOR" not in release and "math" not in release
    assert "# keep this comment" in release and "SLOPE = 0.01" in release
    student = {}
    exec(release, student)
    for name in ("double", "leaky"):
        with pytest.raises(NotImplementedError):
            student[name](1.0)
    assert student["leaky"].__doc__ == "Leaky ReLU."
    assert [released(a).splitlines() for a in cells.answers] == \
        [["# The lecture's answer:", *CODE_STUB.splitlines()]]


def test_solution_cells_refuse_a_stub_function_missing_from_the_solution():
    with pytest.raises(CourseError, match="triple"):
        solution_cells(STUB + "\n\ndef triple(x):\n    raise NotImplementedError\n", SOLUTION,
                       exercise_id="toy")


# -- notebooks --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(tmp_path_factory, course):
    root = tmp_path_factory.mktemp("nbgrader") / "course"
    return export_course(root, course=course)


def nbgrader_cells(path: Path) -> list:
    notebook = nbformat.read(str(path), as_version=4)
    return [c for c in notebook.cells if "nbgrader" in c.metadata]


def test_export_writes_config_and_one_notebook_per_exercise(exported, course):
    assert exported.config.read_text().count("c.CourseDirectory.course_id = 'nnex'") == 1
    paths = [p for paths in exported.notebooks.values() for p in paths]
    assert sorted(p.stem for p in paths) == course.exercise_ids()
    assert all(p.parent.parent == exported.root / "source" for p in paths)


@pytest.mark.parametrize("exercise_id", Course.installed().exercise_ids())
def test_test_cells_are_one_per_check_with_its_points(exported, course, exercise_id):
    meta = course.exercise(exercise_id)
    path = next(p for paths in exported.notebooks.values() for p in paths if p.stem == exercise_id)
    cells = nbgrader_cells(path)
    tests = [c for c in cells if c.metadata.nbgrader["grade"]]
    assert [c.metadata.nbgrader["grade_id"] for c in tests] == [f"test_{n}" for n in meta.checks]
    assert sum(c.metadata.nbgrader["points"] for c in tests) == meta.max_score
    public = (course.graders_dir / exercise_id / "test_public.py").read_text()
    for cell, check in zip(tests, meta.checks):
        assert cell.metadata.nbgrader["locked"] and not cell.metadata.nbgrader["solution"]
        assert f"run_check({exercise_id!r}, {check!r}, globals())" in cell.source
        hidden = f"def test_{check}(" not in public
        assert ("### BEGIN HIDDEN TESTS" in cell.source) == hidden
    statement = cells[0]
    assert statement.cell_type == "markdown" and statement.metadata.nbgrader["locked"]
    solution = [c for c in cells if c.metadata.nbgrader["solution"]]
    assert solution and "### BEGIN SOLUTION" in solution[0].source


def run_cells(sources: list[str]) -> dict:
    """Run cells one by one in one namespace, going on after an error, as autograde does."""
    namespace = {"__name__": "__main__"}
    for source in sources:
        try:
            exec(source, namespace)
        except NotImplementedError:
            pass
    return namespace


@pytest.mark.parametrize("exercise_id", Course.installed().exercise_ids())
def test_source_notebook_scores_full_marks_and_its_release_zero(exported, course, exercise_id):
    path = next(p for paths in exported.notebooks.values() for p in paths if p.stem == exercise_id)
    solutions = [c.source for c in nbgrader_cells(path) if c.metadata.nbgrader["solution"]]
    reference, stub = run_cells(solutions), run_cells([released(s) for s in solutions])
    not_passed = []
    for check in course.exercise(exercise_id).checks:
        run_check(exercise_id, check, reference)
        with pytest.raises(CheckNotPassed) as caught:
            run_check(exercise_id, check, stub)
        not_passed.append(str(caught.value))
    assert all("NotImplementedError" in m or "定義されていません" in m or "None" in m
               for m in not_passed), not_passed


def test_export_refuses_to_overwrite_without_force(tmp_path, capsys):
    root = tmp_path / "course"
    assert main(["nbgrader", "export", "--course", str(root)]) == 0
    assert "nbgrader generate_assignment ex01_relu" in capsys.readouterr().out
    assert main(["nbgrader", "export", "--course", str(root)]) == 2
    assert "--force" in capsys.readouterr().err
    (root / "nbgrader_config.py").write_text("# mine\n")
    assert main(["nbgrader", "export", "--course", str(root), "--force"]) == 0
    assert "course_id" in (root / "nbgrader_config.py").read_text()


def test_export_rejects_a_bad_course_file(tmp_path, capsys):
    path = write_yaml(tmp_path, "schema_version: 1\nassignments: {a: {exercise: [ex01_relu]}}\n")
    code = main(["nbgrader", "export", "--course", str(tmp_path / "c"),
                 "--course-file", str(path)])
    assert code == 2
    assert "unknown key 'assignments.a.exercise' — did you mean 'exercises'?" in \
        capsys.readouterr().err


def test_grade_without_out_or_nbgrader_is_a_usage_error(tmp_path, capsys):
    assert main(["grade", str(tmp_path)]) == 2
    assert "--out OUT is required" in capsys.readouterr().err


def test_grade_nbgrader_takes_the_class_options_but_not_a_shard(tmp_path, capsys):
    assert main(["grade", "--nbgrader", str(tmp_path), "ex01_relu", "--shard", "1/2"]) == 2
    assert "--shard does not apply with --nbgrader" in capsys.readouterr().err
    assert main(["grade", "--nbgrader", str(tmp_path), "ex01_relu", "--workers", "0"]) == 2
    assert "--workers '0'" in capsys.readouterr().err


# -- the test cell's helper -------------------------------------------------------------------

def test_run_check_passes_the_reference_and_names_the_mistake(course, capsys):
    namespace = namespace_of(course.solution_path("ex01_relu"))
    run_check("ex01_relu", "relu_lecture", namespace)
    assert capsys.readouterr().out.startswith("✓ 講義の例")
    namespace["relu"] = lambda x: x
    with pytest.raises(CheckNotPassed) as caught:
        run_check("ex01_relu", "relu_lecture", namespace)
    message = str(caught.value)
    assert isinstance(caught.value, AssertionError)
    assert message.splitlines()[0].startswith("✗ 講義の例") and "0/1" in message
    assert "ヒント: ReLU は入力が 0 以下のとき 0 を返します" in message
    assert "Hint: ReLU returns 0 when its input is 0 or less" in message


def test_run_check_hides_the_values_of_hidden_checks(course):
    namespace = namespace_of(course.solution_path("ex01_relu"))
    namespace["relu"] = lambda x: x
    with pytest.raises(CheckNotPassed) as caught:
        run_check("ex01_relu", "relu_random", namespace)
    assert "hidden test" in str(caught.value) and "expected" not in str(caught.value)
    assert "Hint: ReLU returns 0" in str(caught.value)


def test_run_check_keeps_stderr_and_warnings_out_of_the_cell(course, capsys):
    """nbgrader fails a test cell that wrote to stderr, whatever the check said."""
    namespace = namespace_of(course.solution_path("ex01_relu"))
    reference = namespace["sigmoid"]

    def noisy_sigmoid(x):
        import sys
        import warnings
        print("debug", file=sys.stderr)
        warnings.warn("overflow", RuntimeWarning)
        return reference(x)

    namespace["sigmoid"] = noisy_sigmoid
    run_check("ex01_relu", "sigmoid_basic", namespace)
    captured = capsys.readouterr()
    assert captured.err == "" and "debug" in captured.out


def test_run_check_on_a_stub_says_not_implemented(course):
    namespace = {}
    exec(course.stub_path("ex01_relu").read_text(encoding="utf-8"), namespace)
    with pytest.raises(CheckNotPassed, match="NotImplementedError"):
        run_check("ex01_relu", "sigmoid_basic", namespace)


def test_run_check_in_the_student_kit_has_public_checks_only(tmp_path, course):
    """A released notebook's test cells run on the student's machine with the kit's nnex."""
    release_kit(tmp_path / "kit", course=course)
    package = tmp_path / "kit" / KIT_PACKAGE / "nnex"
    kit = Course(exercises_dir=package / "exercises", graders_dir=package / "graders")
    namespace = namespace_of(course.solution_path("ex01_relu"))
    run_check("ex01_relu", "relu_lecture", namespace, course=kit)
    with pytest.raises(CourseError, match="student kit"):
        run_check("ex01_relu", "relu_random", namespace, course=kit)


# -- reading submitted notebooks --------------------------------------------------------------

def notebook_text(*cells: tuple[str, bool]) -> str:
    notebook = nbformat.v4.new_notebook()
    for source, solution in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"solution": solution, "grade": False, "locked": not solution,
                                     "grade_id": f"c{len(notebook.cells)}", "schema_version": 3}
        notebook.cells.append(cell)
    return nbformat.writes(notebook)


def test_module_source_is_the_solution_cells_in_order():
    text = notebook_text(("def f():\n    return 1", True), ("assert False  # a test", False),
                         ("%matplotlib inline\nX = 2", True),
                         ("# YOUR CODE HERE\nraise NotImplementedError()", True))
    source = nbgrader_solution_source(text, file="ex.ipynb")
    namespace = {}
    exec(source, namespace)
    assert namespace["f"]() == 1 and namespace["X"] == 2
    assert "assert False" not in source and "%matplotlib inline" in source


def test_a_markdown_answer_cell_is_not_code_to_grade():
    notebook = nbformat.reads(notebook_text(("X = 1", True)), as_version=4)
    answer = nbformat.v4.new_markdown_cell("My written answer")
    answer.metadata["nbgrader"] = {"solution": True, "grade": True, "grade_id": "essay",
                                   "points": 1, "locked": False, "schema_version": 3}
    notebook.cells.append(answer)
    assert nbgrader_solution_source(nbformat.writes(notebook), file="ex.ipynb") == "X = 1\n"


def test_a_file_that_is_not_a_notebook_is_the_students_problem():
    with pytest.raises(StudentProblem) as caught:
        nbgrader_solution_source("def relu(x): return x", file="ex01_relu.ipynb")
    assert caught.value.kind == "notebook_json" and "Jupyter notebook" in str(caught.value)
    with pytest.raises(StudentProblem) as caught:
        nbgrader_solution_source(json.dumps([1, 2]), file="ex01_relu.ipynb")
    assert caught.value.kind == "notebook_json"
    with pytest.raises(StudentProblem) as caught:
        nbgrader_solution_source(notebook_text(("assert False", False)), file="ex01_relu.ipynb")
    assert caught.value.kind == "notebook_no_solution"

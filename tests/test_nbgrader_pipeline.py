"""The real nbgrader on an exported course: nbgrader's autograde, and ``nnex grade --nbgrader``.

Runs ``nbgrader generate_assignment``, ``autograde``, ``generate_feedback`` and ``export`` as
subprocesses of this interpreter on a course in tmp_path, with three submissions: the reference
solution (full marks), the released stub (0) and a known mistake (partial, its hint in the
feedback). A second assignment holds every other exercise, submitted as the reference and as
the stub. Scores are read from nbgrader's own records: its gradebook (``nbgrader.api``) and the
CSV of ``nbgrader export``. The same submissions graded by ``nnex grade --nbgrader`` must get
the same score in every test cell.
"""

from __future__ import annotations

import copy
import json
import csv
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("nbgrader", reason="needs the nbgrader extra: pip install -e '.[nbgrader]'")

import nbformat  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

from nnex.cli import main  # noqa: E402
from nnex.integrations.nbgrader.export import export_course  # noqa: E402

ASSIGNMENT = "ex01_relu"
MISTAKE_HINT = ("Negative inputs come out with their sign flipped",
                "負の入力の符号を反転していませんか")
# relu returns |x|: the three ReLU checks fail with the hint relu_abs; 4 of 12 points lost.
MISTAKE_FAILS = {"test_relu_lecture", "test_relu_array", "test_relu_random"}
MISTAKE = "\n\ndef relu(x):\n    return abs(x) if np.ndim(x) == 0 else np.abs(x)\n"
STUDENTS = ("reference", "stub", "山田_太郎")  # the last one made the mistake
NOTHING_SUBMITTED = "-k_suzuki"  # an empty submitted folder (nnex grade --nbgrader only)
REST = "rest"  # every other exercise, one notebook each
REST_STUDENTS = ("reference", "stub")

pytestmark = pytest.mark.slow


def nbgrader_env(tmp: Path) -> dict[str, str]:
    """nbgrader's environment: this interpreter's scripts on PATH (nbgrader runs ``alembic``),
    and Jupyter folders of its own, so that no user config or kernel gets in."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for name in ("CONFIG", "DATA", "RUNTIME"):
        env[f"JUPYTER_{name}_DIR"] = str(tmp / f"jupyter-{name.lower()}")
    env.pop("JUPYTER_PATH", None)
    return env


def nbgrader(root: Path, env: dict[str, str], *args: str) -> float:
    """Run ``nbgrader ARGS`` in the course folder ``root``; return the seconds it took."""
    started, cpu = time.monotonic(), _children_cpu()
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - started
    print(f"nbgrader {' '.join(args)}: {seconds:.1f} s wall, {_children_cpu() - cpu:.1f} s CPU")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return seconds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def submit(root: Path, assignment: str, student: str, solutions: dict[str, str] | None,
           notebook_name: str) -> None:
    """Copy a released notebook to submitted/<student>/, its solution cells (by grade_id)
    replaced by ``solutions``; None submits it as released."""
    name = f"{notebook_name}.ipynb"
    notebook = copy.deepcopy(nbformat.read(str(root / "release" / assignment / name), 4))
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if solutions is not None and meta.get("solution"):
            cell.source = solutions[meta["grade_id"]]
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(folder / name))


def source_solutions(root: Path, assignment: str, notebook_name: str) -> dict[str, str]:
    """The source notebook's solution cells (reference in its regions), by grade_id."""
    notebook = nbformat.read(str(root / "source" / assignment / f"{notebook_name}.ipynb"), 4)
    return {c.metadata.nbgrader["grade_id"]: c.source for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


@pytest.fixture(scope="module")
def generated(tmp_path_factory, course):
    """An exported course after ``nbgrader generate_assignment``, with its submissions."""
    tmp = tmp_path_factory.mktemp("nbgrader-pipeline")
    root = tmp / "course"
    rest = [e for e in course.exercise_ids() if e != ASSIGNMENT]
    course_file = tmp / "course.yaml"
    course_file.write_text(f"schema_version: 1\nassignments:\n  {ASSIGNMENT}: "
                           f"{{exercises: [{ASSIGNMENT}]}}\n  {REST}: {{exercises: "
                           f"[{', '.join(rest)}]}}\n", encoding="utf-8")
    export_course(root, course=course, course_file=course_file)
    env = nbgrader_env(tmp)
    for assignment in (ASSIGNMENT, REST):
        nbgrader(root, env, "generate_assignment", assignment)
    reference = course.solution_path(ASSIGNMENT).read_text(encoding="utf-8")
    cell = f"{ASSIGNMENT}_solution"
    for student, source in zip(STUDENTS, (reference, None, reference + MISTAKE)):
        submit(root, ASSIGNMENT, student, None if source is None else {cell: source}, ASSIGNMENT)
    for exercise_id in rest:
        submit(root, REST, "reference", source_solutions(root, REST, exercise_id), exercise_id)
        submit(root, REST, "stub", None, exercise_id)
    return root, env


@pytest.fixture(scope="module")
def autograded(generated, tmp_path_factory):
    """nbgrader's own autograde (with the exported config: nnex grades the test cells in its
    confined worker, see test_nbgrader_autograde.py), feedback and export."""
    source, env = generated
    root = tmp_path_factory.mktemp("autograde") / "course"
    shutil.copytree(source, root)
    for step in (["autograde", ASSIGNMENT], ["autograde", REST],
                 ["generate_feedback", ASSIGNMENT], ["export"]):
        nbgrader(root, env, *step)
    return root


@pytest.fixture(scope="module")
def nnex_graded(generated, tmp_path_factory):
    """``nnex grade --nbgrader`` (nnex's confined worker), then nbgrader's feedback and export."""
    source, env = generated
    root = tmp_path_factory.mktemp("nnex-grade") / "course"
    shutil.copytree(source, root)
    (root / "submitted" / NOTHING_SUBMITTED / ASSIGNMENT).mkdir(parents=True)
    for assignment in (ASSIGNMENT, REST):
        started = time.monotonic()
        assert main(["grade", "--nbgrader", str(root), assignment]) == 0
        print(f"nnex grade --nbgrader {assignment}: {time.monotonic() - started:.1f} s")
    for step in (["generate_feedback", ASSIGNMENT], ["export"]):
        nbgrader(root, env, *step)
    return root


def cell_scores(root: Path, assignment: str = ASSIGNMENT, students=STUDENTS
                ) -> dict[str, dict[str, float | None]]:
    """{student: {notebook/grade_id: auto_score}} from nbgrader's gradebook."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "nnex") as gradebook:
        return {student: {f"{nb.name}/{grade.name}" if assignment != ASSIGNMENT else grade.name:
                          grade.auto_score
                          for nb in gradebook.find_submission(assignment, student).notebooks
                          for grade in nb.grades}
                for student in students}


def exported_csv(root: Path, assignment: str = ASSIGNMENT) -> dict[str, dict[str, str]]:
    with open(root / "grades.csv", encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)
                if row["assignment"] == assignment}


def expected_cell_scores(course) -> dict[str, dict[str, float]]:
    checks = course.exercise(ASSIGNMENT).checks
    full = {f"test_{name}": check.points for name, check in checks.items()}
    return {"reference": full, "stub": {cell: 0.0 for cell in full},
            "山田_太郎": {cell: 0.0 if cell in MISTAKE_FAILS else points
                        for cell, points in full.items()}}


def assert_scores(root: Path, course) -> None:
    assert cell_scores(root) == expected_cell_scores(course)
    rows = exported_csv(root)
    assert {s: (rows[s]["raw_score"], rows[s]["score"], rows[s]["max_score"]) for s in STUDENTS} \
        == {"reference": ("12.0", "12.0", "12.0"), "stub": ("0.0", "0.0", "12.0"),
            "山田_太郎": ("8.0", "8.0", "12.0")}


def assert_hint_in_feedback(root: Path) -> None:
    html = (root / "feedback" / "山田_太郎" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(
        encoding="utf-8")
    for text in MISTAKE_HINT:
        assert text in html
    assert "Score: 8.0 / 12.0" in html


def solution_source(path: Path) -> str:
    notebook = nbformat.read(str(path), as_version=4)
    return next(c.source for c in notebook.cells if c.metadata.nbgrader.get("solution"))


def test_release_is_the_stub_and_hides_the_hidden_tests(generated):
    root, _ = generated
    released = root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = nbformat.read(str(released), as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "BEGIN HIDDEN TESTS" not in text and "relu_random" not in text
    source = solution_source(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    regions = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)
    reference_lines = [line for region in regions for line in region.splitlines()
                       if line.strip()]
    assert reference_lines and not [line for line in reference_lines if line in text]
    namespace = {}
    exec(solution_source(released), namespace)
    for name in ("relu", "leaky_relu", "sigmoid"):
        with pytest.raises(NotImplementedError):
            namespace[name](1.0)


def test_nbgrader_autograde_scores_match_the_checks(autograded, course):
    assert_scores(autograded, course)


def test_nbgrader_feedback_shows_the_hint(autograded):
    assert_hint_in_feedback(autograded)


def test_nnex_grade_writes_the_same_scores_into_the_gradebook(nnex_graded, autograded, course):
    assert_scores(nnex_graded, course)
    assert cell_scores(nnex_graded) == cell_scores(autograded)


def test_nnex_grades_get_nbgrader_feedback_with_the_hint(nnex_graded):
    assert_hint_in_feedback(nnex_graded)


def assert_every_exercise_full_and_zero(root: Path, course) -> None:
    checks = {e: course.exercise(e).checks for e in course.exercise_ids() if e != ASSIGNMENT}
    full = {f"{e}/test_{name}": check.points for e, c in checks.items()
            for name, check in c.items()}
    assert cell_scores(root, REST, REST_STUDENTS) == \
        {"reference": full, "stub": {cell: 0.0 for cell in full}}
    rows = exported_csv(root, REST)
    total = f"{sum(full.values()):.1f}"
    assert (rows["reference"]["score"], rows["reference"]["max_score"]) == (total, total)
    assert (rows["stub"]["score"], rows["stub"]["max_score"]) == ("0.0", total)


def test_every_other_exercise_in_nbgrader_autograde(autograded, course):
    assert_every_exercise_full_and_zero(autograded, course)


def test_every_other_exercise_with_nnex_grade(nnex_graded, autograded, course):
    assert_every_exercise_full_and_zero(nnex_graded, course)
    assert cell_scores(nnex_graded, REST, REST_STUDENTS) == \
        cell_scores(autograded, REST, REST_STUDENTS)


def test_nnex_grade_scores_a_missing_notebook_zero(nnex_graded):
    row = exported_csv(nnex_graded)[NOTHING_SUBMITTED]
    assert (row["raw_score"], row["max_score"]) == ("0.0", "12.0")
    with Gradebook(f"sqlite:///{nnex_graded / 'gradebook.db'}", "nnex") as gradebook:
        grades = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT,
                                                    NOTHING_SUBMITTED).grades
        assert len(grades) == 9 and {g.auto_score for g in grades} == {0.0}


def test_nnex_grade_nbgrader_with_out_writes_nnex_outputs_too(generated, tmp_path, course):
    root, out = tmp_path / "course", tmp_path / "out"
    shutil.copytree(generated[0], root)
    assert main(["grade", "--nbgrader", str(root), ASSIGNMENT, "--out", str(out)]) == 0
    rows = {r["student"]: r for r in csv.DictReader((out / "scores.csv").open(encoding="utf-8"))}
    assert {s: (rows[s]["exercise"], rows[s]["score"], rows[s]["max_score"]) for s in STUDENTS} \
        == {"reference": (ASSIGNMENT, "12", "12"), "stub": (ASSIGNMENT, "0", "12"),
            "山田_太郎": (ASSIGNMENT, "8", "12")}
    assert list(rows) == sorted(STUDENTS)
    assert (out / "feedback" / "山田_太郎.md").is_file()
    manifest = json.loads((out / "nnex-run.json").read_text(encoding="utf-8"))
    assert (manifest["exercises"], manifest["students"]) == ([ASSIGNMENT], sorted(STUDENTS))


def test_a_grader_error_is_left_for_manual_grading(generated, tmp_path, course):
    """Never the student's fault: no auto score, and the formgrader asks for a manual one."""
    from nnex.integrations.nbgrader.adapter import read_assignment, record_grades
    from nnex.grading.results import (GRADER_ERROR, PASSED, CheckResult, ExerciseResult,
                                      SubmissionResult)
    from nnex.text import Text

    root = tmp_path / "course"
    shutil.copytree(generated[0], root)
    checks = [CheckResult(name=name, title=Text("t", "t"), points=0.0 if broken else meta.points,
                          max_points=meta.points, outcome=GRADER_ERROR if broken else PASSED)
              for name, meta in course.exercise(ASSIGNMENT).checks.items()
              for broken in [name == "sigmoid_random"]]
    result = SubmissionResult("reference", [ExerciseResult(ASSIGNMENT, Text("t", "t"), checks)])
    record_grades(root, read_assignment(root, ASSIGNMENT), [result])
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "nnex") as gradebook:
        grades = {g.name: g for g in gradebook.find_submission_notebook(
            ASSIGNMENT, ASSIGNMENT, "reference").grades}
        broken = grades.pop("test_sigmoid_random")
        assert broken.auto_score is None and broken.needs_manual_grade
        assert all(g.auto_score == g.max_score and not g.needs_manual_grade
                   for g in grades.values())


def test_nnex_grade_needs_a_generated_assignment(tmp_path, course, capsys):
    root = tmp_path / "course"
    export_course(root, course=course)
    assert main(["grade", "--nbgrader", str(root), ASSIGNMENT]) == 2
    assert f"run 'nbgrader generate_assignment {ASSIGNMENT}'" in capsys.readouterr().err


def test_nnex_grade_nbgrader_resumes_like_nnex_grade(generated, tmp_path, course):
    """The class pipeline: result records per student, a rerun keeps unchanged notebooks and
    regrades a changed one, and the gradebook follows."""
    from nnex.integrations.nbgrader.grade import default_out, grade_nbgrader_assignment

    root = tmp_path / "course"
    shutil.copytree(generated[0], root)
    first = grade_nbgrader_assignment(root, ASSIGNMENT, workers=2)
    out = default_out(root, ASSIGNMENT)
    assert (first.graded.out, first.graded.graded, first.graded.reused) == \
        (out, sorted(STUDENTS), [])
    assert sorted(path.stem for path in (out / "results").glob("*.json")) == sorted(STUDENTS)
    assert cell_scores(root) == expected_cell_scores(course)

    reference = course.solution_path(ASSIGNMENT).read_text(encoding="utf-8")
    submit(root, ASSIGNMENT, "stub", {f"{ASSIGNMENT}_solution": reference}, ASSIGNMENT)
    again = grade_nbgrader_assignment(root, ASSIGNMENT, workers=2)
    assert (again.graded.graded, again.graded.reused) == (["stub"], ["reference", "山田_太郎"])
    assert cell_scores(root)["stub"] == expected_cell_scores(course)["reference"]
    forced = grade_nbgrader_assignment(root, ASSIGNMENT, workers=1, force=True)
    assert (forced.graded.graded, forced.graded.reused) == (sorted(STUDENTS), [])

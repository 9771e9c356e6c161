"""The real ``nbgrader autograde`` on an exported course: the reference-import cheat scores 0.

The exported ``nbgrader_config.py`` makes autograde grade test cells with nnex's confined
worker (``nnex.integrations.nbgrader.autograde.ConfinedChecks``) instead of running the notebook
in a kernel, where a solution cell that imports ``nnex.solutions`` gets the reference itself.
Each test runs nbgrader as a subprocess of this interpreter on a course in tmp_path and reads the
scores from nbgrader's own gradebook.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbgrader", reason="needs the nbgrader extra: pip install -e '.[nbgrader]'")

from nbgrader.api import Gradebook  # noqa: E402
from nbgrader.converters.autograde import Autograde  # noqa: E402
from traitlets.config.loader import PyFileConfigLoader  # noqa: E402
from traitlets.utils.importstring import import_item  # noqa: E402

from nnex.cli import main  # noqa: E402
from nnex.integrations.nbgrader.adapter import TIMESTAMP_FILE  # noqa: E402
from nnex.integrations.nbgrader.autograde import AutogradeError, ConfinedChecks  # noqa: E402
from nnex.integrations.nbgrader.export import (CONFIG_FILE, exercise_notebook, export_course)  # noqa: E402
from nnex.grading.results import (GRADER_ERROR, PASSED, CheckResult, ExerciseResult,  # noqa: E402,E501
                                  SubmissionResult)
from nnex.sandbox.bubblewrap import SandboxUnavailable  # noqa: E402
from nnex.text import Text  # noqa: E402
from nnex.kit.release import KIT_PACKAGE, release_kit  # noqa: E402
from tests.test_nbgrader_pipeline import (ASSIGNMENT, MISTAKE, MISTAKE_FAILS,  # noqa: E402
                                          cell_scores, nbgrader, nbgrader_env, submit)

CHEAT = "from nnex.solutions.ex01_relu import relu, leaky_relu, sigmoid\n"
STUDENTS = ("reference", "cheat", "mistake", "stub")
SOLUTION_CELL = f"{ASSIGNMENT}_solution"


@pytest.fixture(scope="module")
def generated(tmp_path_factory, course):
    """The exported ex01_relu after ``nbgrader generate_assignment``, with four submissions."""
    tmp = tmp_path_factory.mktemp("nbgrader-autograde")
    root = tmp / "course"
    course_file = tmp / "course.yaml"
    course_file.write_text(f"schema_version: 1\nassignments:\n  {ASSIGNMENT}: "
                           f"{{exercises: [{ASSIGNMENT}]}}\n", encoding="utf-8")
    export_course(root, course=course, course_file=course_file)
    env = nbgrader_env(tmp)
    nbgrader(root, env, "generate_assignment", ASSIGNMENT)
    reference = course.solution_path(ASSIGNMENT).read_text(encoding="utf-8")
    for n, (student, source) in enumerate(zip(STUDENTS, (reference, CHEAT, reference + MISTAKE,
                                                          None))):
        submit(root, ASSIGNMENT, student, None if source is None else {SOLUTION_CELL: source},
               ASSIGNMENT)
        # as nbgrader's exchange writes it on submit
        (root / "submitted" / student / ASSIGNMENT / TIMESTAMP_FILE).write_text(
            f"2026-11-2{n} 10:00:00.000000 UTC", encoding="utf-8")
        (root / "submitted" / student / ASSIGNMENT / "submission_secret.txt").write_text(
            f"secret-{n}", encoding="utf-8")
    return root, env


def copy_course(generated, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "course"
    shutil.copytree(generated[0], root)
    return root, generated[1]


@pytest.fixture(scope="module")
def autograded(generated, tmp_path_factory):
    """The course after nbgrader's own ``autograde`` with the exported config."""
    root, env = copy_course(generated, tmp_path_factory.mktemp("autograded"))
    nbgrader(root, env, "autograde", ASSIGNMENT)
    return root


@pytest.mark.slow
def test_autograde_scores_the_cheat_zero_and_the_reference_full_marks(autograded, course):
    root = autograded
    full = {f"test_{name}": check.points
            for name, check in course.exercise(ASSIGNMENT).checks.items()}
    assert cell_scores(root, students=STUDENTS) == {
        "reference": full,
        "cheat": dict.fromkeys(full, 0.0),
        "mistake": {cell: 0.0 if cell in MISTAKE_FAILS else p for cell, p in full.items()},
        "stub": dict.fromkeys(full, 0.0)}
    autograded = (root / "autograded" / "cheat" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(
        encoding="utf-8")
    assert "CheckNotPassed" in autograded  # nnex's verdict is what nbgrader scored


@pytest.mark.slow
def test_in_a_kernel_the_cheat_would_score_full_marks(generated, tmp_path, course):
    """Why the exported config replaces Execute: nbgrader's default pipeline is fooled."""
    root, env = copy_course(generated, tmp_path)
    config = root / CONFIG_FILE
    text = config.read_text(encoding="utf-8")
    config.write_text(text[:text.index("c.Autograde.autograde_preprocessors")],
                      encoding="utf-8")
    shutil.rmtree(root / "submitted" / "reference")
    shutil.rmtree(root / "submitted" / "mistake")
    shutil.rmtree(root / "submitted" / "stub")
    nbgrader(root, env, "autograde", ASSIGNMENT)
    full = {f"test_{name}": check.points
            for name, check in course.exercise(ASSIGNMENT).checks.items()}
    assert cell_scores(root, students=("cheat",)) == {"cheat": full}


@pytest.mark.slow
def test_autograde_with_the_student_kit_fails_loudly(generated, tmp_path, course):
    """The kit's nnex has no hidden checks: nbgrader reports every student as failed, with
    what is missing and how to install it, instead of scoring the reference 5/12."""
    root, env = copy_course(generated, tmp_path)
    release_kit(tmp_path / "kit", course=course)
    env = {**env, "PYTHONPATH": str(tmp_path / "kit" / KIT_PACKAGE)}
    code = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if not "
            "getattr(f, '__module__', '').startswith('__editable__')]\n"
            "import nnex; assert nnex.__file__.startswith(sys.argv[1]), nnex.__file__\n"
            "from nbgrader.apps.nbgraderapp import main\n"
            f"sys.argv = ['nbgrader', 'autograde', {ASSIGNMENT!r}]\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "kit")], cwd=root,
                          env=env, capture_output=True, text=True, timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output[-3000:]
    assert "student kit" in output and "pip install" in output, output[-3000:]
    assert "There was an error processing assignment 'ex01_relu' for student 'reference'" \
        in output
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "nnex") as gradebook:
        grades = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "reference").grades
        assert {g.auto_score for g in grades} == {None}
    assert not (root / "autograded" / "reference" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()


def nbgrader_records(root: Path) -> dict[str, tuple]:
    """Per student: the submission's timestamp, the solution cell's auto comment and the
    autograded folder's timestamp.txt, as nbgrader's formgrader and autograde read them."""
    records = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "nnex") as gradebook:
        for student in STUDENTS:
            submission = gradebook.find_submission(ASSIGNMENT, student)
            comment = gradebook.find_comment(SOLUTION_CELL, ASSIGNMENT, ASSIGNMENT, student)
            copied = root / "autograded" / student / ASSIGNMENT / TIMESTAMP_FILE
            records[student] = (submission.timestamp, comment.auto_comment,
                                copied.read_text(encoding="utf-8") if copied.exists() else None)
    return records


@pytest.mark.slow
def test_nnex_grade_leaves_what_nbgrader_autograde_leaves(generated, autograded, tmp_path):
    """timestamp.txt in autograded/, "No response." on an untouched solution cell, and what
    ``generate_feedback`` and ``release_feedback`` need."""
    root, env = copy_course(generated, tmp_path)
    assert main(["grade", "--nbgrader", str(root), ASSIGNMENT]) == 0
    expected = nbgrader_records(autograded)
    assert expected["stub"][1] == "No response." and expected["reference"][1] is None
    assert expected["stub"][2].startswith("2026-11-23")
    assert nbgrader_records(root) == expected
    assert cell_scores(root, students=STUDENTS) == cell_scores(autograded, students=STUDENTS)
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)  # as nbgrader's docs set up /srv/nbgrader/exchange
    nbgrader(root, env, "generate_feedback", ASSIGNMENT)
    nbgrader(root, env, "release_feedback", ASSIGNMENT, f"--Exchange.root={exchange}")
    assert len(list((exchange / "nnex" / "feedback").glob("*.html"))) == len(STUDENTS)


# -- the preprocessor on its own (fast) ---------------------------------------------------------

def test_the_config_replaces_only_execute_in_nbgrader_autograde(tmp_path, course):
    exported = export_course(tmp_path / "course", course=course)
    config = PyFileConfigLoader(CONFIG_FILE, path=str(exported.root)).load_config()
    steps = [import_item(name) for name in config.Autograde.autograde_preprocessors]
    default = list(Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default())
    assert steps == [ConfinedChecks if cls.__name__ == "Execute" else cls for cls in default]
    assert config.ConfinedChecks.isolation == "bwrap"


def resources(student: str = "s") -> dict:
    return {"nbgrader": {"notebook": ASSIGNMENT, "assignment": ASSIGNMENT, "student": student}}


def test_a_test_cell_that_is_not_nnex_stops_autograde(course):
    """nnex cannot run it outside the kernel, and nbgrader would give it full marks."""
    nb = exercise_notebook(course, course.exercise(ASSIGNMENT))
    test = next(c for c in nb.cells if c.metadata.nbgrader.get("grade"))
    test.source = "assert relu(-1.0) == 0.0"
    with pytest.raises(AutogradeError, match="not an nnex test cell"):
        ConfinedChecks().preprocess(nb, resources())


def test_a_grader_error_stops_autograde_instead_of_costing_a_point(course, monkeypatch):
    meta = course.exercise(ASSIGNMENT)
    checks = [CheckResult(name=name, title=Text("t", "t"), points=check.points,
                          max_points=check.points, outcome=PASSED) for name, check in
              meta.checks.items()]
    checks[-1].outcome, checks[-1].points, checks[-1].message = GRADER_ERROR, 0.0, "boom"
    result = SubmissionResult("s", [ExerciseResult(ASSIGNMENT, Text("t", "t"), checks)])
    monkeypatch.setattr("nnex.integrations.nbgrader.autograde.grade_notebook",
                        lambda *a, **k: result)
    with pytest.raises(AutogradeError, match=f"{checks[-1].name} failed .boom.; not the student"):
        ConfinedChecks().preprocess(exercise_notebook(course, meta), resources())


def test_without_bubblewrap_autograde_says_where_to_choose(course, monkeypatch):
    def unavailable(*args, **kwargs):
        raise SandboxUnavailable("cannot confine student code with bubblewrap: no bwrap")

    monkeypatch.setattr("nnex.integrations.nbgrader.autograde.grade_notebook", unavailable)
    with pytest.raises(AutogradeError, match="c.ConfinedChecks.isolation"):
        ConfinedChecks().preprocess(exercise_notebook(course, course.exercise(ASSIGNMENT)),
                                    resources())

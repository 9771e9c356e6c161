"""The direct runner (``nnex check`` and the check cell without pytest) gives exactly the
results pytest gives, on every known implementation, and hands graders that use pytest's
features to pytest."""

from __future__ import annotations

import importlib
import re
import sys
import textwrap
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from nnex.course.content import Course
from nnex.errors import GraderError
from nnex.grading import direct
from nnex.grading.direct import NeedsPytest, plain_checks, run_plain_checks
from nnex.grading.runner import run_checks
from nnex.grading.submissions import Submission, discover
from tests.conftest import own_answer, solution_sources, with_own_answer, write_class

COURSE = Course.installed()


@pytest.fixture(autouse=True)
def _graders_imported_afresh():
    """pytest's importlib mode keeps each grader in ``sys.modules`` under its folder's name
    (``ex01_relu.test_public``) for later sessions in the same process; these tests swap one
    course's graders for another's."""
    def forget():
        for name in [m for m in sys.modules if m.split(".")[0] in COURSE.exercise_ids()]:
            del sys.modules[name]

    forget()
    yield
    forget()


def _comparable(results) -> list[dict]:
    """Results as data, without the seconds each check took (the one thing that may differ)."""
    data = [r.to_dict() for r in results]
    for submission in data:
        for exercise in submission["exercises"]:
            for check in exercise["checks"]:
                check.pop("seconds")
    return data


def _class(root: Path, exercise_id: str) -> list[Submission]:
    """A student per catalogue implementation (wrong and correct), the reference solution and
    the stub as released, each with the other exercises solved."""
    catalogue = importlib.import_module(f"tests.catalogue.{exercise_id}")
    solutions = solution_sources(COURSE)
    students = {"reference": solutions,
                "stub": {**solutions,
                         exercise_id: COURSE.stub_path(exercise_id).read_text(encoding="utf-8")}}
    for implementation in [*catalogue.WRONG, *catalogue.CORRECT]:
        students[implementation.name] = {**solutions, exercise_id: implementation.source}
    return discover(write_class(root, students))


@pytest.mark.parametrize("hidden", [False, True], ids=["public", "hidden"])
@pytest.mark.parametrize("exercise_id", COURSE.exercise_ids())
def test_the_direct_runner_gives_what_pytest_gives_on_the_whole_catalogue(
        tmp_path, exercise_id, hidden):
    submissions = _class(tmp_path / "class", exercise_id)
    exercises = COURSE.exercises([exercise_id])
    plain_checks(COURSE, exercises, hidden=hidden)  # raises if this would fall back to pytest
    through_pytest = run_checks(submissions, exercises, course=COURSE, hidden=hidden)
    direct_results = run_plain_checks(submissions, exercises, course=COURSE, hidden=hidden)
    assert _comparable(direct_results) == _comparable(through_pytest)
    outcomes = {c["outcome"] for r in _comparable(direct_results)
                for e in r["exercises"] for c in e["checks"]}
    assert {"passed", "failed"} <= outcomes  # the comparison saw both endings


@pytest.mark.parametrize("exercise_id", ["ex03_network", "ex04_weight_adjustment"])
def test_per_student_numbers_run_directly_as_under_pytest(tmp_path, variant_course, exercise_id):
    """With per-student numbers on, the ``variant`` fixture is the direct runner's too: each
    student's own answer, the lecture's, another student's and none, judged as pytest judges."""
    course = variant_course
    constant = course.exercise(exercise_id).variants.constant
    solution = course.solution_text(exercise_id)
    assert f"{constant} = " in solution
    lecture = own_answer(exercise_id, "aoki", course)
    students = {name: {exercise_id: with_own_answer(exercise_id, solution, name, course)}
                for name in ("aoki", "baba", "chiba")}
    students["copied"] = {exercise_id: students["aoki"][exercise_id]}
    students["unset"] = {exercise_id: re.sub(rf"^{constant} = .*$", f"{constant} = None",
                                             solution, flags=re.M)}
    students["guess"] = {exercise_id: re.sub(rf"^{constant} = .*$", f"{constant} = {lecture + 1}",
                                             solution, flags=re.M)}
    submissions = discover(write_class(tmp_path / "class", students))
    exercises = course.exercises([exercise_id])
    assert any("variant" in c.fixtures
               for c in plain_checks(course, exercises, hidden=False)[exercise_id])
    through_pytest = run_checks(submissions, exercises, course=course, hidden=False)
    direct_results = run_plain_checks(submissions, exercises, course=course, hidden=False)
    assert _comparable(direct_results) == _comparable(through_pytest)
    mine = {r.student: next(c for c in r.exercises[0].checks if c.name.startswith("my_"))
            for r in direct_results}
    assert {s for s, c in mine.items() if c.outcome == "passed"} == {"aoki", "baba", "chiba"}


def test_results_come_student_by_student_in_order(tmp_path):
    submissions = _class(tmp_path / "class", "ex02_neuron")[:3]
    seen = []
    results = run_plain_checks(submissions, COURSE.exercises(["ex01_relu", "ex02_neuron"]),
                               course=COURSE, hidden=False, on_result=seen.append)
    assert seen == results
    assert [r.student for r in results] == [s.student for s in submissions]
    assert [e.exercise for e in results[0].exercises] == ["ex01_relu", "ex02_neuron"]


# -- graders that need pytest ------------------------------------------------------------------

PLAIN = '''
from nnex.grading.checks import expect_close

def test_relu_lecture(student):
    expect_close(student.relu(-3), 0, what="relu(-3)", hint="relu_negative_passthrough")
'''
NOT_PLAIN = {
    "imports pytest": '''
import pytest
from nnex.grading.checks import expect_close

def test_relu_lecture(student):
    expect_close(student.relu(-3), pytest.approx(0), what="relu(-3)")
''',
    "parametrize": '''
import pytest as pt
from nnex.grading.checks import expect_close

@pt.mark.parametrize("x", [-3, -1])
def test_relu_lecture(student, x):
    expect_close(student.relu(x), 0, what=f"relu({x})")
''',
    "a fixture of its own": '''
from nnex.grading.checks import expect_close

def test_relu_lecture(student, tmp_path):
    expect_close(student.relu(-3), 0, what="relu(-3)")
''',
    "a test class": '''
from nnex.grading.checks import expect_close

class TestRelu:
    def test_relu_lecture(self, student):
        expect_close(student.relu(-3), 0, what="relu(-3)")
''',
    "assert": '''
def test_relu_lecture(student):
    assert student.relu(-3) == 0
''',
    "a wrapping decorator": '''
import functools
from nnex.grading.checks import expect_close

def twice(check):
    @functools.wraps(check)
    def run(student):
        check(student)
        check(student)
    return run

@twice
def test_relu_lecture(student):
    expect_close(student.relu(-3), 0, what="relu(-3)")
''',
    "an imported check": '''
from nnex.graders.ex02_neuron.test_public import test_neuron_lecture
''',
    "an import error": '''
import nnex.no_such_module
''',
}


def _course_with_grader(tmp_path: Path, source: str, conftest: str | None = None) -> Course:
    """The installed course with ex01_relu's public grader replaced by ``source``."""
    graders = tmp_path / "graders"
    (graders / "ex01_relu").mkdir(parents=True)
    (graders / "ex01_relu" / "test_public.py").write_text(textwrap.dedent(source))
    if conftest is not None:
        (graders / "conftest.py").write_text(conftest)
    return replace(COURSE, graders_dir=graders)


def test_a_plain_grader_runs_without_pytest(tmp_path):
    course = _course_with_grader(tmp_path, PLAIN)
    assert [c.name for c in plain_checks(course, course.exercises(["ex01_relu"]),
                                         hidden=False)["ex01_relu"]] == ["relu_lecture"]


@pytest.mark.parametrize("source", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_a_grader_using_pytest_features_goes_to_pytest(tmp_path, source):
    course = _course_with_grader(tmp_path, source)
    with pytest.raises(NeedsPytest):
        plain_checks(course, course.exercises(["ex01_relu"]), hidden=False)


def test_a_conftest_goes_to_pytest(tmp_path):
    course = _course_with_grader(tmp_path, PLAIN, conftest="")
    with pytest.raises(NeedsPytest, match="conftest"):
        plain_checks(course, course.exercises(["ex01_relu"]), hidden=False)


def test_the_fallback_runs_the_grader_through_pytest(tmp_path, monkeypatch):
    """A parametrized grader is run by pytest: each case is a check of its own."""
    course = _course_with_grader(tmp_path, NOT_PLAIN["parametrize"])
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "ex01_relu.py").write_text("def relu(x):\n    return max(0, x)\n")
    ran = []
    monkeypatch.setattr(direct, "_run_check", lambda *args: ran.append(args))
    result = run_plain_checks([Submission("alice", folder)], course.exercises(["ex01_relu"]),
                              course=course, hidden=False)[0]
    assert ran == []  # not the direct runner
    assert [c.points for c in result.exercise("ex01_relu").checks] == [1.0, 1.0]


def test_a_grader_that_cannot_be_imported_is_the_graders_error_as_before(tmp_path):
    course = _course_with_grader(tmp_path, NOT_PLAIN["an import error"])
    folder = tmp_path / "work"
    folder.mkdir()
    with pytest.raises(GraderError, match="cannot load grader"):
        run_plain_checks([Submission("alice", folder)], course.exercises(["ex01_relu"]),
                         course=course, hidden=False)


def test_a_grader_defining_a_dataclass_runs_directly(tmp_path):
    """A grader module is in ``sys.modules`` while it runs, as pytest's import puts it, so
    what looks its module up (dataclasses with string annotations, pickle) works."""
    course = _course_with_grader(tmp_path, '''
from __future__ import annotations
import dataclasses
import pickle
from nnex.grading.checks import expect_close

@dataclasses.dataclass
class Case:
    x: float
    expected: float

def test_relu_lecture(student):
    case = pickle.loads(pickle.dumps(Case(-3.0, 0.0)))
    expect_close(student.relu(case.x), case.expected, what="relu(-3)")
''')
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "ex01_relu.py").write_text("def relu(x):\n    return max(0, x)\n")
    check = run_plain_checks([Submission("alice", folder)], course.exercises(["ex01_relu"]),
                             course=course, hidden=False)[0].exercise("ex01_relu").checks[0]
    assert (check.outcome, check.problem) == ("passed", None)


def test_a_graders_warnings_are_not_shown_to_the_student(tmp_path):
    """pytest records a check's warnings instead of printing them; so does the direct runner
    (what it lets through would reach ``seen`` here, and the student's terminal in nnex check)."""
    course = _course_with_grader(tmp_path, PLAIN.replace(
        "def test_relu_lecture(student):\n",
        "import warnings\n\ndef test_relu_lecture(student):\n"
        "    warnings.warn('the grader\\'s own warning', UserWarning)\n"))
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "ex01_relu.py").write_text("def relu(x):\n    return max(0, x)\n")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = run_plain_checks([Submission("alice", folder)], course.exercises(["ex01_relu"]),
                                  course=course, hidden=False)[0]
    assert result.exercise("ex01_relu").checks[0].outcome == "passed"
    assert [str(w.message) for w in seen] == []

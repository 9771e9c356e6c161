"""Per-student numbers (issue 12, nnex.variants): an instructor opt-in, off by default.

Off (the installed course): exactly the contract; no MY_* name anywhere a student looks. On (the
``variant_course`` fixture, a copy with ``per_student_numbers: true``): declaration, identity,
check, grade, kit, notebooks, nbgrader, GitHub Classroom and Gradescope.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nnex.cli import main
from nnex.course.content import VARIANT_GRADER, Course
from nnex.course.metadata import load_exercise
from nnex.course.settings import SETTINGS_FILE, load_settings
from nnex.errors import CourseError, MetadataError
from nnex.grading.problems import COMMON_HINTS
from nnex.kit.release import KIT_PACKAGE, release_kit
from nnex.variants.answer_key import KEY_FILE, canonical
from nnex.variants.identity import (IDENTITY_FILE, graded_identity, gradescope_identity,
                                    kit_identity, pick)
from nnex.variants.sections import select
from nnex.variants.spec import VARIANTS_FILE
from tests.conftest import grade_class, own_answer, with_own_answer, write_class
from tests.test_release import _kit_nnex

EX03, EX04 = "ex03_network", "ex04_weight_adjustment"
PER_STUDENT = {EX03: ("MY_PARAMETER_COUNT", "my_parameter_count"),
               EX04: ("MY_ANSWER", "my_answer")}


def _contract_exact(course: Course, exercise_id: str) -> str:
    """The reference solution as the contract has it: no per-student part, no MY_* name."""
    source = select(course.solution_path(exercise_id).read_text("utf-8"), False)
    assert "MY_" not in source
    return source


@pytest.fixture
def variants_installed(monkeypatch, variant_course) -> Course:
    """The instructor's nnex with per-student numbers on: commands that use the installed
    course (nnex check) see the ``variant_course``."""
    monkeypatch.setattr(Course, "installed", classmethod(lambda cls: variant_course))
    return variant_course


# -- off: the default -----------------------------------------------------------------------------

def test_the_installed_course_has_them_off_and_reads_as_the_contract(course):
    assert not course.per_student_numbers
    for exercise_id, (constant, check) in PER_STUDENT.items():
        meta = course.exercise(exercise_id)
        assert meta.variants is None
        assert constant not in meta.provides and check not in meta.checks
        assert [p.name for p in course.grader_files(exercise_id, hidden=True)] == \
            ["test_public.py", "test_hidden.py"]
        for text in (course.stub_text(exercise_id), course.statement_text(exercise_id)):
            assert "MY_" not in text and "per-student numbers" not in text


def test_off_a_contract_exact_submission_gets_full_marks(tmp_path, course):
    students = {"contract": {e: _contract_exact(course, e) for e in PER_STUDENT}}
    result = grade_class(course, write_class(tmp_path / "class", students),
                         exercises=list(PER_STUDENT))["contract"]
    for exercise_id in PER_STUDENT:
        graded = result.exercise(exercise_id)
        assert graded.score == graded.max_score == course.exercise(exercise_id).max_score
        assert not any(c.name.startswith("my_") for c in graded.checks)


def test_on_the_same_submission_misses_only_the_per_student_checks(tmp_path, variant_course,
                                                                    course):
    students = {"contract": {e: _contract_exact(course, e) for e in PER_STUDENT}}
    result = grade_class(variant_course, write_class(tmp_path / "class", students),
                         exercises=list(PER_STUDENT))["contract"]
    for exercise_id, (_, check) in PER_STUDENT.items():
        graded = result.exercise(exercise_id)
        failed = [c.name for c in graded.checks if not c.passed]
        assert failed == [check]
        assert graded.max_score == course.exercise(exercise_id).max_score + 1


def test_off_the_kit_holds_no_per_student_text(tmp_path, course):
    kit = tmp_path / "kit"
    release_kit(kit, course=course, exercise_ids=list(PER_STUDENT), notebooks=True)
    files = [p for p in kit.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name in (VARIANTS_FILE, VARIANT_GRADER, KEY_FILE)]
    assert not [p for p in files if "MY_" in p.read_text("utf-8", errors="replace")]
    assert not [p for p in _content_files(kit) if "per-student numbers" in p.read_text("utf-8")]
    settings = kit / KIT_PACKAGE / "nnex" / "exercises" / SETTINGS_FILE
    assert not load_settings(settings).per_student_numbers
    for exercise_id in PER_STUDENT:
        assert (kit / f"{exercise_id}.py").read_text("utf-8") == course.stub_text(exercise_id)


def _content_files(kit: Path) -> list[Path]:
    """The kit's course content: all but nnex's own code (whose docs name the markers)."""
    code = kit / KIT_PACKAGE / "nnex"
    return [p for p in kit.rglob("*") if p.is_file() and p.suffix in (".py", ".md", ".ipynb",
                                                                      ".yaml", ".json", ".yml")
            and (not p.is_relative_to(code) or p.relative_to(code).parts[0] in
                 ("exercises", "graders"))]


def test_off_the_nbgrader_export_has_no_per_student_cell(tmp_path, course):
    pytest.importorskip("nbformat", reason="needs the nbgrader extra")
    from nnex.integrations.nbgrader.export import export_course

    exported = export_course(tmp_path / "nbgrader", course=course)
    texts = [p.read_text("utf-8") for paths in exported.notebooks.values() for p in paths]
    assert texts and not [t for t in texts if "MY_" in t or "per-student numbers" in t]


# -- the setting and the marked parts ------------------------------------------------------------

def test_a_missing_settings_file_means_off_and_a_wrong_one_is_named(tmp_path):
    path = tmp_path / SETTINGS_FILE
    assert not load_settings(path).per_student_numbers
    path.write_text("schema_version: 1\nper_student_number: true\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="unknown key 'per_student_number' — did you mean "
                                            "'per_student_numbers'"):
        load_settings(path)
    path.write_text("schema_version: 1\nper_student_numbers: yes please\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="'per_student_numbers' must be true or false"):
        load_settings(path)


def test_marked_parts_are_kept_only_when_on_and_markers_never():
    text = ("| a |\n<!-- >>> per-student numbers -->\n| MY |\n<!-- <<< per-student numbers -->\n"
            "x = 1\n# >>> per-student numbers\nMY = None\n# <<< per-student numbers\n")
    assert select(text, False) == "| a |\nx = 1\n"
    assert select(text, True) == "| a |\n| MY |\nx = 1\nMY = None\n"
    with pytest.raises(CourseError, match=r"stub.py: a '>>> per-student numbers' part is never"):
        select("# >>> per-student numbers\nMY = None\n", True, source="stub.py")
    with pytest.raises(CourseError, match=r"stub.py:1: .*without its opening"):
        select("# <<< per-student numbers\n", False, source="stub.py")


# -- declaration ----------------------------------------------------------------------------------

def _variants_with(tmp_path: Path, course, change) -> Path:
    folder = tmp_path / EX04
    shutil.copytree(course.exercises_dir / EX04, folder)
    raw = yaml.safe_load((folder / VARIANTS_FILE).read_text("utf-8"))
    change(raw)
    (folder / VARIANTS_FILE).write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    return folder / "exercise.yaml"


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw.update(paramters={}), "unknown key 'paramters' — did you mean 'parameters'?"),
    (lambda raw: raw["lecture"].pop("w_a"), "missing key 'lecture.w_a'"),
    (lambda raw: raw["answer"].update(constant="ANSWER"),
     "'answer.constant' 'ANSWER' must be a Python name that exercise.yaml's 'provides' does not "
     "have"),
    (lambda raw: raw["parameters"].update(a_out=[]),
     "'parameters.a_out' must be a non-empty list"),
    (lambda raw: raw["parameters"].update(w_a={"min": 3, "max": 1, "step": 1}), "min <= max"),
    (lambda raw: raw["answer"].update(decimals=2.5), "'answer.decimals'"),
    (lambda raw: raw["checks"].update(answer=raw["checks"]["my_answer"]),
     "check 'answer' is already in exercise.yaml"),
])
def test_a_wrong_variants_file_is_refused_naming_the_key(tmp_path, variant_course, change,
                                                         message):
    path = _variants_with(tmp_path, variant_course, change)
    with pytest.raises(MetadataError) as error:
        load_exercise(path, per_student_numbers=True)
    assert VARIANTS_FILE in str(error.value) and message in str(error.value)
    assert load_exercise(path).variants is None  # off: not even read


def test_on_the_variants_add_their_constant_and_check(variant_course, course):
    meta = variant_course.exercise(EX04)
    assert meta.provides == (*course.exercise(EX04).provides, "MY_ANSWER")
    assert list(meta.checks) == [*course.exercise(EX04).checks, "my_answer"]
    spec = meta.variants
    assert spec.parameters["w_a"] == (3, 5, 7, 9)  # {min: 3, max: 9, step: 2}
    assert len(spec.all_numbers()) == 4 * 4 * 4


# -- identity ----------------------------------------------------------------------------------

def test_numbers_are_stable_and_ignore_case_and_space(variant_course):
    spec = variant_course.exercise(EX04).variants
    # Fixed by SHA-256("nnex\nex04_weight_adjustment\nreference"): a change here changes every
    # student's numbers, mid-term.
    assert pick(spec, EX04, "reference") == {"a_out": 3, "w_a": 3, "b_limit": 4}
    assert pick(spec, EX04, " Alice@Example.org ") == pick(spec, EX04, "alice@example.org")


def test_a_class_spreads_over_the_variants(variant_course):
    spec = variant_course.exercise(EX04).variants
    seen = [tuple(pick(spec, EX04, f"s{n:03d}").values()) for n in range(300)]
    assert len(set(seen)) >= 55  # of 64: 300 draws leave ~0.6 unseen on average
    lecture_answer = canonical(-6, 2)
    assert all(canonical(-a * w / b, 2) != lecture_answer for a, w, b in seen)


def test_the_kit_remembers_the_student_and_classroom_gives_the_github_user(tmp_path):
    assert kit_identity(tmp_path, environ={}) is None
    assert kit_identity(tmp_path, environ={"GITHUB_ACTIONS": "true",
                                           "GITHUB_ACTOR": "hanako-y"}) == "hanako-y"
    (tmp_path / IDENTITY_FILE).write_text("s0042\n", encoding="utf-8")
    assert kit_identity(tmp_path, environ={"GITHUB_ACTIONS": "true",
                                           "GITHUB_ACTOR": "hanako-y"}) == "s0042"


def test_gradescope_identity_is_the_first_users_email_else_sid(tmp_path):
    metadata = tmp_path / "submission_metadata.json"
    assert gradescope_identity(metadata) is None  # no file
    metadata.write_text(json.dumps({"users": [{"email": "a@b.jp", "sid": "7"},
                                              {"email": "partner@b.jp"}]}), encoding="utf-8")
    assert gradescope_identity(metadata) == "a@b.jp"
    metadata.write_text(json.dumps({"users": [{"email": "", "sid": 1234}]}), encoding="utf-8")
    assert gradescope_identity(metadata) == "1234"
    metadata.write_text("{not json", encoding="utf-8")
    assert gradescope_identity(metadata) is None


# -- nnex grade ----------------------------------------------------------------------------------

def _with(course, exercise_id: str, student: str, answer: object) -> str:
    """The reference solution (with its per-student part) as ``student`` would write it, the
    per-student constant set to ``answer``."""
    constant = PER_STUDENT[exercise_id][0]
    source = with_own_answer(exercise_id, course.solution_text(exercise_id), student, course)
    return re.sub(rf"^{constant} = .*$", f"{constant} = {answer}", source, flags=re.M)


def _ex04(course, student: str, my_answer: object) -> str:
    return _with(course, EX04, student, my_answer)


def test_grade_judges_each_student_on_their_own_numbers(tmp_path, variant_course):
    course = variant_course
    spec = course.exercise(EX04).variants
    students = {"aiko": {EX04: _ex04(course, "aiko", repr(own_answer(EX04, "aiko", course)))},
                # Right to 2 places but written as a fraction: the compared value is rounded.
                "daichi": {EX04: _ex04(course, "daichi", "-{a} * {w} / {b}".format(
                    **dict(zip("awb", pick(spec, EX04, "daichi").values()))))},
                "lecture": {EX04: _ex04(course, "lecture", "-6")},
                "copied": {EX04: _ex04(course, "copied",
                                       repr(own_answer(EX04, "aiko", course)))}}
    assert pick(spec, EX04, "copied") != pick(spec, EX04, "aiko")
    results = grade_class(course, write_class(tmp_path / "class", students), exercises=[EX04])

    def my_answer(student):
        return next(c for c in results[student].exercise(EX04).checks if c.name == "my_answer")

    assert my_answer("aiko").passed and my_answer("daichi").passed
    assert my_answer("lecture").hint_key == "variant_lecture"
    copied = my_answer("copied")
    assert not copied.passed and copied.hint_key == "variant_other"
    numbers = pick(spec, EX04, "copied")
    assert f"a_out = {numbers['a_out']}, w_a = {numbers['w_a']}" in copied.what


# Deliberately wrong per-student answers (the catalogue's way): the lecture's numbers', another
# student's, and a wrong one, each with the hint it must get; the student is "mika".
WRONG_ANSWERS = [
    (EX03, "13002", "variant_lecture"),                     # 784 → 16 → 16 → 10
    (EX03, "other:aoi", "variant_other"),                   # aoi's network, not mika's
    (EX03, "weights only", "variant_wrong"),                # no biases
    (EX04, "-6", "variant_lecture"),
    (EX04, "other:aoi", "variant_other"),
    (EX04, "sign flipped", "variant_wrong"),
]


def _wrong_answer(course, exercise_id: str, kind: str, student: str) -> str:
    spec = course.exercise(exercise_id).variants
    numbers = pick(spec, exercise_id, student)
    mine = own_answer(exercise_id, student, course)
    if kind.startswith("other:"):
        theirs = own_answer(exercise_id, kind[len("other:"):], course)
        assert canonical(theirs, spec.decimals) != canonical(mine, spec.decimals)
        return repr(theirs)
    if kind == "weights only":
        n_in, hidden, n_out = numbers["n_in"], numbers["n_hidden"], numbers["n_out"]
        return str(n_in * hidden + hidden * hidden + hidden * n_out)
    if kind == "sign flipped":
        return repr(-mine)
    return kind


@pytest.mark.parametrize("exercise_id, kind, hint", WRONG_ANSWERS)
def test_a_wrong_per_student_answer_gets_the_hint_that_says_why(tmp_path, variant_course,
                                                                exercise_id, kind, hint):
    course = variant_course
    answer = _wrong_answer(course, exercise_id, kind, "mika")
    students = {"mika": {exercise_id: _with(course, exercise_id, "mika", answer)},
                "right": {exercise_id: with_own_answer(
                    exercise_id, course.solution_text(exercise_id), "right", course)}}
    results = grade_class(course, write_class(tmp_path / "class", students),
                          exercises=[exercise_id])
    check = PER_STUDENT[exercise_id][1]
    graded = {s: next(c for c in r.exercise(exercise_id).checks if c.name == check)
              for s, r in results.items()}
    assert graded["right"].passed
    assert not graded["mika"].passed and graded["mika"].hint_key == hint
    others = [c for c in results["mika"].exercise(exercise_id).checks if c.name != check]
    assert all(c.passed for c in others)


# -- nnex check (the instructor's install) ------------------------------------------------------

def test_check_shows_the_numbers_and_remembers_the_student(tmp_path, variants_installed,
                                                           capsys):
    course = variants_installed
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / f"{EX04}.py").write_text(
        _ex04(course, "s0042", repr(own_answer(EX04, "s0042", course))), encoding="utf-8")
    numbers = pick(course.exercise(EX04).variants, EX04, "s0042")
    shown = ("あなたの数値 / Your numbers (ex04_weight_adjustment, s0042): a_out = {a_out}, "
             "w_a = {w_a}, b_limit = {b_limit}".format(**numbers))

    assert main(["check", EX04, "--dir", str(folder), "--student", "s0042"]) == 0
    assert shown in capsys.readouterr().out
    assert (folder / IDENTITY_FILE).read_text(encoding="utf-8") == "s0042\n"
    assert main(["check", EX04, "--dir", str(folder)]) == 0  # remembered
    assert shown in capsys.readouterr().out

    (folder / IDENTITY_FILE).unlink()
    assert main(["check", EX04, "--dir", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "Your numbers (" not in out
    assert COMMON_HINTS["variant_identity"].en[:40] in out


def test_check_off_shows_no_numbers(tmp_path, course, capsys):
    (tmp_path / f"{EX04}.py").write_text(_contract_exact(course, EX04), encoding="utf-8")
    assert main(["check", EX04, "--dir", str(tmp_path), "--student", "s0042"]) == 0
    assert "Your numbers" not in capsys.readouterr().out


def test_check_refuses_an_empty_student_id(tmp_path, capsys):
    assert main(["check", EX04, "--dir", str(tmp_path), "--student", " "]) == 2
    assert "--student: give your ID" in capsys.readouterr().err


# -- the student kit -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kit(tmp_path_factory, variant_course) -> Path:
    out = tmp_path_factory.mktemp("release") / "kit"
    release_kit(out, course=variant_course, exercise_ids=[EX03, EX04], notebooks=True)
    return out


def test_on_the_kit_asks_for_the_per_student_names(kit):
    package = kit / KIT_PACKAGE / "nnex"
    assert load_settings(package / "exercises" / SETTINGS_FILE).per_student_numbers
    for exercise_id, (constant, check) in PER_STUDENT.items():
        assert f"\n{constant} = None\n" in (kit / f"{exercise_id}.py").read_text("utf-8")
        assert f"`{constant}`" in (kit / "statements" / f"{exercise_id}.md").read_text("utf-8")
        assert constant in (kit / f"{exercise_id}.ipynb").read_text("utf-8")
        assert (package / "graders" / exercise_id / VARIANT_GRADER).is_file()
        assert (package / "exercises" / exercise_id / VARIANTS_FILE).is_file()
    assert not [p for p in _content_files(kit)  # the markers are gone
                if re.search(r"(>>>|<<<) per-student numbers", p.read_text("utf-8"))]


def _numbers_in(text: str, candidates: set[str]) -> set[str]:
    # A number on its own: not inside a longer number, a word or a hex digest.
    return {a for a in candidates if re.search(rf"(?<![\w.]){re.escape(a)}(?!\w)", text)}


@pytest.mark.parametrize("exercise_id", [EX03, EX04])
def test_the_kit_holds_no_answer_in_clear(kit, variant_course, exercise_id):
    course = variant_course
    key = kit / KIT_PACKAGE / "nnex" / "exercises" / exercise_id / KEY_FILE
    spec = course.exercise(exercise_id).variants
    assert len(json.loads(key.read_text("utf-8"))["variants"]) == 1 + len(spec.all_numbers())
    reference = _reference_function(course, exercise_id)
    answers = {canonical(reference(**numbers), spec.decimals) for numbers in spec.all_numbers()}
    lecture = canonical(reference(**spec.lecture), spec.decimals)
    # Each answer as nnex rounds it and as Python prints it (-2.25, -10.5, 1175, 1175.0, ...).
    written = answers | {repr(float(a)) for a in answers}
    assert not _numbers_in(key.read_text("utf-8"), written | {lecture})
    files = [p for p in kit.rglob("*") if p.is_file()]
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    # Elsewhere in the kit a few of these numbers are the lecture's own worked numbers and hint
    # fingerprints (ex04: required_weight(3, 4, 5) = -2.4, A's output alone -0.6, ...): public
    # for their own reasons in the course's public files; nothing else may carry one.
    public = "\n".join(p.read_text(encoding="utf-8") for p in [
        *(course.exercises_dir / exercise_id).iterdir(),
        course.graders_dir / exercise_id / "test_public.py"] if p.is_file())
    assert _numbers_in(text, written) <= _numbers_in(public, written)


def _reference_function(course, exercise_id: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location("ref", course.solution_path(exercise_id))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, course.exercise(exercise_id).variants.function)


def test_the_kit_checks_my_answer_from_the_hashes(kit, tmp_path, variant_course):
    course = variant_course
    work = tmp_path / "work"
    work.mkdir()
    mine = _ex04(course, "kenta", repr(own_answer(EX04, "kenta", course)))
    (work / f"{EX04}.py").write_text(mine, encoding="utf-8")
    right = _kit_nnex(kit, "check", EX04, "--dir", str(work), "--student", "kenta", cwd=tmp_path)
    assert right.returncode == 0, right.stdout + right.stderr
    assert "Your numbers (ex04_weight_adjustment, kenta)" in right.stdout

    someone = _ex04(course, "kenta", repr(own_answer(EX04, "reference", course)))
    assert own_answer(EX04, "reference", course) != own_answer(EX04, "kenta", course)
    (work / f"{EX04}.py").write_text(someone, encoding="utf-8")
    other = _kit_nnex(kit, "check", EX04, "--dir", str(work), cwd=tmp_path)
    assert other.returncode == 1
    assert COMMON_HINTS["variant_other"].en[:40] in other.stdout
    # The kit knows no answer, so it shows the student's value and no "expected: None".
    assert "結果 / got" in other.stdout and "期待 / expected" not in other.stdout


def test_an_installed_kit_carries_its_answer_key(kit, tmp_path, variant_course):
    # Students run `pip install ./nnex-kit`: the answer key, the settings and the variants'
    # checks must be package data, not only present in the folder.
    target = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                            "--target", str(target),
                            str(kit / KIT_PACKAGE)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert (target / "nnex" / "exercises" / EX04 / KEY_FILE).is_file()
    assert (target / "nnex" / "exercises" / SETTINGS_FILE).is_file()
    assert (target / "nnex" / "graders" / EX04 / VARIANT_GRADER).is_file()
    work = tmp_path / "work"
    work.mkdir()
    (work / f"{EX04}.py").write_text(
        _ex04(variant_course, "kenta", repr(own_answer(EX04, "kenta", variant_course))),
        encoding="utf-8")
    installed = tmp_path / "installed-kit"  # _kit_nnex puts <kit>/nnex-kit on the path
    installed.mkdir()
    (installed / KIT_PACKAGE).symlink_to(target)
    right = _kit_nnex(installed, "check", EX04, "--dir", str(work), "--student", "kenta",
                      cwd=tmp_path)
    assert right.returncode == 0, right.stdout + right.stderr
    assert "Your numbers (ex04_weight_adjustment, kenta)" in right.stdout


# -- the notebook's check cell -------------------------------------------------------------------

def test_the_notebook_check_uses_the_remembered_student(tmp_path, variant_course, monkeypatch):
    from nnex.kit.notebook_check import check

    course = variant_course
    monkeypatch.chdir(tmp_path)  # the kernel runs in the kit folder
    (tmp_path / IDENTITY_FILE).write_text("mei\n", encoding="utf-8")
    namespace: dict = {}
    exec(_ex04(course, "mei", repr(own_answer(EX04, "mei", course))), namespace)
    solved = check(EX04, namespace, course=course)
    assert solved.score == solved.max_score

    namespace["MY_ANSWER"] = None  # not written yet: the message shows the student's numbers
    unset = check(EX04, namespace, course=course)
    assert unset.score == unset.max_score - course.exercise(EX04).checks["my_answer"].points
    numbers = pick(course.exercise(EX04).variants, EX04, "mei")
    assert "your numbers: a_out = {a_out}, w_a = {w_a}, b_limit = {b_limit}".format(
        **numbers) in repr(unset)


# -- nbgrader -------------------------------------------------------------------------------------

def test_the_nbgrader_export_asks_for_and_checks_the_students_numbers(tmp_path, variant_course,
                                                                      monkeypatch):
    pytest.importorskip("nbformat", reason="needs the nbgrader extra")
    import nbformat

    from nnex.integrations.nbgrader.cell import CheckNotPassed, run_check
    from nnex.integrations.nbgrader.export import export_course

    course = variant_course
    exported = export_course(tmp_path / "nbgrader", course=course)
    path = next(p for paths in exported.notebooks.values() for p in paths if p.stem == EX04)
    cells = nbformat.read(path, as_version=4).cells
    grade_ids = [c.metadata.nbgrader["grade_id"] for c in cells]
    test = cells[grade_ids.index("test_my_answer")]
    assert "HIDDEN" not in test.source and test.metadata.nbgrader["points"] == 1
    # The module cell, then one cell per constant to answer (ANSWER, MY_ANSWER).
    solution = "\n".join(c.source for c in cells if c.metadata.nbgrader["solution"])
    assert re.search(r"^MY_ANSWER = ", solution, flags=re.M)

    # The kernel runs in the notebook's folder, where `nnex check --student` remembered them.
    monkeypatch.chdir(tmp_path)
    (tmp_path / IDENTITY_FILE).write_text("reference\n", encoding="utf-8")
    namespace: dict = {}
    exec(solution, namespace)  # the reference's MY_ANSWER is the student "reference"'s
    run_check(EX04, "my_answer", namespace, course=course)
    (tmp_path / IDENTITY_FILE).write_text("aoi\n", encoding="utf-8")
    with pytest.raises(CheckNotPassed, match="あなたの数値 / your numbers"):
        run_check(EX04, "my_answer", namespace, course=course)


# -- GitHub Classroom ----------------------------------------------------------------------------

def test_classroom_checks_the_github_users_numbers(tmp_path, variants_installed, capsys,
                                                   monkeypatch):
    course = variants_installed
    (tmp_path / f"{EX04}.py").write_text(
        _ex04(course, "hanako-y", repr(own_answer(EX04, "hanako-y", course))), encoding="utf-8")

    def my_answer_status() -> str:
        assert main(["check", EX04, "--dir", str(tmp_path), "--format", "github"]) == 0
        payload = json.loads(base64.b64decode(capsys.readouterr().out.strip()))
        return next(t["status"] for t in payload["tests"] if "MY_ANSWER" in t["name"])

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert my_answer_status() == "fail"  # nobody known outside Actions
    # The workflow's runner: GitHub sets these for the student's push.
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_ACTOR", "hanako-y")
    assert my_answer_status() == "pass"


@pytest.mark.parametrize("folder, identity", [
    ("nnex-ex04-submissions/nnex-ex04-hanako-y", "hanako-y"),  # gh classroom clone's layout
    ("class/nnex-ex04-hanako-y", "nnex-ex04-hanako-y"),         # not a Classroom folder
    ("nnex-ex04-submissions/other-hanako-y", "other-hanako-y"),  # not this assignment's repo
    ("nnex-ex04-submissions/nnex-ex04-", "nnex-ex04-"),          # no username left
])
def test_a_classroom_repository_is_graded_as_its_github_user(folder, identity):
    path = Path("/grading") / folder
    assert graded_identity(path.name, path) == identity


def test_grade_of_cloned_classroom_repositories_agrees_with_their_workflow(
        tmp_path, variants_installed, capsys, monkeypatch):
    # The workflow's check in hanako-y's repository (GITHUB_ACTOR), then the instructor's
    # nnex grade of the repositories cloned by `gh classroom clone student-repos`.
    course = variants_installed
    source = _ex04(course, "hanako-y", repr(own_answer(EX04, "hanako-y", course)))
    assert own_answer(EX04, "hanako-y", course) != \
        own_answer(EX04, "nnex-ex04-hanako-y", course)
    repository = tmp_path / "nnex-ex04-hanako-y"
    repository.mkdir()
    (repository / f"{EX04}.py").write_text(source, encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_ACTOR", "hanako-y")
    assert main(["check", EX04, "--dir", str(repository)]) == 0
    capsys.readouterr()

    cloned = write_class(tmp_path / "nnex-ex04-submissions",
                         {"nnex-ex04-hanako-y": {EX04: source}})
    graded = grade_class(course, cloned, exercises=[EX04])["nnex-ex04-hanako-y"]
    assert graded.exercise(EX04).score == graded.exercise(EX04).max_score


# -- Gradescope ----------------------------------------------------------------------------------

def test_gradescope_numbers_follow_the_submitter(tmp_path, variant_course):
    from nnex.integrations.gradescope import build_bundle
    from tests.test_gradescope_bundle import CLEAN_PATH, _setup

    course = variant_course
    bundle = build_bundle(tmp_path / "autograder.zip", exercise_ids=[EX04], course=course)
    root = tmp_path / "autograder"
    built = _setup(bundle, root)
    assert built.returncode == 0, built.stderr
    email = "Hanako.Yamada@example.ac.jp"
    assert own_answer(EX04, email, course) != own_answer(EX04, "submission", course)
    (root / "submission_metadata.json").write_text(json.dumps(
        {"users": [{"email": email, "sid": "s1234", "name": "山田花子"}]}), encoding="utf-8")
    (root / "submission").mkdir()
    (root / "submission" / f"{EX04}.py").write_text(
        _ex04(course, email, repr(own_answer(EX04, email, course))), encoding="utf-8")
    done = subprocess.run([str(root / "run_autograder")], cwd=root, capture_output=True,
                          text=True, timeout=600, env={"PATH": CLEAN_PATH, "HOME": str(root)})
    assert done.returncode == 0, done.stderr
    payload = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    mine = [t for t in payload["tests"] if "MY_ANSWER" in t["name"]]
    assert mine and all(t["status"] == "passed" for t in mine)
    assert payload["score"] == course.exercise(EX04).max_score

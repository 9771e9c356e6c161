"""Per-student numbers (issue 12, nnex.variants): declaration, identity, check, grade, kit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from nnex.cli import main
from nnex.course.metadata import load_exercise
from nnex.errors import MetadataError
from nnex.grading.problems import COMMON_HINTS
from nnex.kit.release import KIT_PACKAGE, release_kit
from nnex.variants.answer_key import KEY_FILE, canonical
from nnex.variants.identity import (IDENTITY_FILE, gradescope_identity, kit_identity, pick)
from tests.conftest import grade_class, own_answer, with_own_answer, write_class
from tests.test_release import _kit_nnex

EX03, EX04 = "ex03_network", "ex04_weight_adjustment"


# -- declaration -------------------------------------------------------------------------------

def _yaml_with(tmp_path: Path, course, change) -> Path:
    raw = yaml.safe_load((course.exercises_dir / EX04 / "exercise.yaml").read_text("utf-8"))
    change(raw)
    path = tmp_path / EX04 / "exercise.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw["variants"].update(paramters={}), "unknown key 'variants.paramters' — "
                                                        "did you mean 'parameters'?"),
    (lambda raw: raw["variants"]["lecture"].pop("w_a"), "missing key 'variants.lecture.w_a'"),
    (lambda raw: raw["variants"]["answer"].update(constant="YOUR_ANSWER"),
     "'variants.answer.constant' 'YOUR_ANSWER' must be one of 'provides'"),
    (lambda raw: raw["variants"]["parameters"].update(a_out=[]), "'variants.parameters.a_out' "
                                                                 "must be a non-empty list"),
    (lambda raw: raw["variants"]["parameters"].update(w_a={"min": 3, "max": 1, "step": 1}),
     "min <= max"),
    (lambda raw: raw["variants"]["answer"].update(decimals=2.5), "'variants.answer.decimals'"),
])
def test_a_wrong_variants_section_is_refused_naming_the_key(tmp_path, course, change, message):
    with pytest.raises(MetadataError) as error:
        load_exercise(_yaml_with(tmp_path, course, change))
    assert message in str(error.value)


def test_the_variants_section_is_optional_and_a_range_expands(tmp_path, course):
    assert load_exercise(_yaml_with(tmp_path, course, lambda raw: raw.pop("variants"))
                         ).variants is None
    spec = course.exercise(EX04).variants
    assert spec.parameters["w_a"] == (3, 5, 7, 9)  # {min: 3, max: 9, step: 2}
    assert len(spec.all_numbers()) == 4 * 4 * 4


# -- identity ----------------------------------------------------------------------------------

def test_numbers_are_stable_and_ignore_case_and_space(course):
    spec = course.exercise(EX04).variants
    # Fixed by SHA-256("nnex\nex04_weight_adjustment\nreference"): a change here changes every
    # student's numbers, mid-term.
    assert pick(spec, EX04, "reference") == {"a_out": 3, "w_a": 3, "b_limit": 4}
    assert pick(spec, EX04, " Alice@Example.org ") == pick(spec, EX04, "alice@example.org")


def test_a_class_spreads_over_the_variants(course):
    spec = course.exercise(EX04).variants
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

def _ex04(course, student: str, my_answer: object) -> str:
    source = with_own_answer(EX04, course.solution_path(EX04).read_text("utf-8"), student)
    return re.sub(r"^MY_ANSWER = .*$", f"MY_ANSWER = {my_answer}", source, flags=re.M)


def test_grade_judges_each_student_on_their_own_numbers(tmp_path, course):
    students = {"aiko": {EX04: _ex04(course, "aiko", repr(own_answer(EX04, "aiko")))},
                # Right to 2 places but written as a fraction: the compared value is rounded.
                "daichi": {EX04: _ex04(course, "daichi", "-{a} * {w} / {b}".format(
                    **dict(zip("awb", pick(course.exercise(EX04).variants, EX04,
                                            "daichi").values()))))},
                "lecture": {EX04: _ex04(course, "lecture", "-6")},
                "copied": {EX04: _ex04(course, "copied", repr(own_answer(EX04, "aiko")))}}
    assert pick(course.exercise(EX04).variants, EX04, "copied") != \
        pick(course.exercise(EX04).variants, EX04, "aiko")
    results = grade_class(course, write_class(tmp_path / "class", students), exercises=[EX04])

    def my_answer(student):
        return next(c for c in results[student].exercise(EX04).checks if c.name == "my_answer")

    assert my_answer("aiko").passed and my_answer("daichi").passed
    assert my_answer("lecture").hint_key == "variant_lecture"
    copied = my_answer("copied")
    assert not copied.passed and copied.hint_key == "variant_other"
    numbers = pick(course.exercise(EX04).variants, EX04, "copied")
    assert f"a_out = {numbers['a_out']}, w_a = {numbers['w_a']}" in copied.what


# -- nnex check (the instructor's install) ------------------------------------------------------

def test_check_shows_the_numbers_and_remembers_the_student(tmp_path, course, capsys):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / f"{EX04}.py").write_text(_ex04(course, "s0042", repr(own_answer(EX04, "s0042"))),
                                       encoding="utf-8")
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


def test_check_refuses_an_empty_student_id(tmp_path, capsys):
    assert main(["check", EX04, "--dir", str(tmp_path), "--student", " "]) == 2
    assert "--student: give your ID" in capsys.readouterr().err


# -- the student kit -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kit(tmp_path_factory, course) -> Path:
    out = tmp_path_factory.mktemp("release") / "kit"
    release_kit(out, course=course, exercise_ids=[EX03, EX04], notebooks=False)
    return out


def _numbers_in(text: str, candidates: set[str]) -> set[str]:
    # A number on its own: not inside a longer number, a word or a hex digest.
    return {a for a in candidates if re.search(rf"(?<![\w.]){re.escape(a)}(?!\w)", text)}


@pytest.mark.parametrize("exercise_id", [EX03, EX04])
def test_the_kit_holds_no_answer_in_clear(kit, course, exercise_id):
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


def test_the_kit_checks_my_answer_from_the_hashes(kit, tmp_path, course):
    work = tmp_path / "work"
    work.mkdir()
    mine = _ex04(course, "kenta", repr(own_answer(EX04, "kenta")))
    (work / f"{EX04}.py").write_text(mine, encoding="utf-8")
    right = _kit_nnex(kit, "check", EX04, "--dir", str(work), "--student", "kenta", cwd=tmp_path)
    assert right.returncode == 0, right.stdout + right.stderr
    assert "Your numbers (ex04_weight_adjustment, kenta)" in right.stdout

    someone = _ex04(course, "kenta", repr(own_answer(EX04, "reference")))
    assert own_answer(EX04, "reference") != own_answer(EX04, "kenta")
    (work / f"{EX04}.py").write_text(someone, encoding="utf-8")
    other = _kit_nnex(kit, "check", EX04, "--dir", str(work), cwd=tmp_path)
    assert other.returncode == 1
    assert COMMON_HINTS["variant_other"].en[:40] in other.stdout


# -- the notebook's check cell -------------------------------------------------------------------

def test_the_notebook_check_uses_the_remembered_student(tmp_path, course, monkeypatch):
    from nnex.kit.notebook_check import check

    monkeypatch.chdir(tmp_path)  # the kernel runs in the kit folder
    (tmp_path / IDENTITY_FILE).write_text("mei\n", encoding="utf-8")
    namespace: dict = {}
    exec(_ex04(course, "mei", repr(own_answer(EX04, "mei"))), namespace)
    solved = check(EX04, namespace)
    assert solved.score == solved.max_score

    namespace["MY_ANSWER"] = None  # not written yet: the message shows the student's numbers
    unset = check(EX04, namespace)
    assert unset.score == unset.max_score - course.exercise(EX04).checks["my_answer"].points
    numbers = pick(course.exercise(EX04).variants, EX04, "mei")
    assert "your numbers: a_out = {a_out}, w_a = {w_a}, b_limit = {b_limit}".format(
        **numbers) in repr(unset)


# -- GitHub Classroom ----------------------------------------------------------------------------

def test_classroom_checks_the_github_users_numbers(tmp_path, course, capsys, monkeypatch):
    import base64

    (tmp_path / f"{EX04}.py").write_text(
        _ex04(course, "hanako-y", repr(own_answer(EX04, "hanako-y"))), encoding="utf-8")

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


def test_an_installed_kit_carries_its_answer_key(kit, tmp_path, course):
    # Students run `pip install ./nnex-kit`: the answer key must be package data, not only
    # present in the folder (PYTHONPATH use, as the other kit tests do).
    import subprocess
    import sys

    target = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                            "--target", str(target),
                            str(kit / KIT_PACKAGE)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert (target / "nnex" / "exercises" / EX04 / KEY_FILE).is_file()
    work = tmp_path / "work"
    work.mkdir()
    (work / f"{EX04}.py").write_text(_ex04(course, "kenta", repr(own_answer(EX04, "kenta"))),
                                     encoding="utf-8")
    installed = tmp_path / "installed-kit"  # _kit_nnex puts <kit>/nnex-kit on the path
    installed.mkdir()
    (installed / KIT_PACKAGE).symlink_to(target)
    right = _kit_nnex(installed, "check", EX04, "--dir", str(work), "--student", "kenta",
                      cwd=tmp_path)
    assert right.returncode == 0, right.stdout + right.stderr

"""``nnex new-exercise``: the scaffold, the suite's instructions until it is filled in, and a
filled-in exercise that grades like any other with no other edit.

The course is copied to a temporary folder (exercises, graders, solutions, the catalogue) and
the scaffold written there. The suite's own content tests then run on it in a child process,
against a self-contained nnex holding that course (``write_package``, as a Gradescope bundle
is built), so that ``nnex.graders.<id>`` and ``nnex.solutions.<id>`` are the new exercise's.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nnex.cli import main
from nnex.course.content import Course
from nnex.course.scaffold import MARKER, SCAFFOLD, new_exercise, unfinished_parts
from nnex.kit.packaging import write_package
from nnex.kit.release import KIT_PACKAGE, release_kit

REPO = Path(__file__).resolve().parents[1]
NEW = "ex07_double"
DOCS = "see docs/authoring.md#"
INSTRUCTIONS = [
    f"exercises/{NEW}/exercise.yaml: fill in the metadata: title, lecture, provides, checks and "
    f"hints — {DOCS}metadata",
    f"exercises/{NEW}/statement.md: write the statement — {DOCS}statement",
    f"exercises/{NEW}/stub.py: write the stub students fill in — {DOCS}stub",
    f"exercises/{NEW}/notebook.yaml: draw the notebook's pictures, or leave the list empty — "
    f"{DOCS}notebook",
    f"solutions/{NEW}.py: write the reference solution — {DOCS}reference-solution",
    f"graders/{NEW}/test_public.py: write the public checks — {DOCS}public-checks",
    f"graders/{NEW}/test_hidden.py: write the hidden checks — {DOCS}hidden-checks",
    f"graders/{NEW}/helpers.py: keep here what both graders share, or delete the file — "
    f"{DOCS}helpers",
    f"tests/catalogue/{NEW}.py: write the catalogue of wrong and correct implementations — "
    f"{DOCS}catalogue",
]

# Filling the scaffold in: the placeholder function becomes double(x) = 2x; the rest of each
# file is the scaffold as written (its instruction line deleted).
FILL_IN = {
    "solutions/{id}.py": [('    raise NotImplementedError("the reference solution of ex07_double '
                           'is not written yet")', "    return 2 * x")],
    "graders/{id}/test_public.py": [("expect_close(got, 0,", "expect_close(got, 2,")],
    "tests/catalogue/{id}.py": [("    Correct(\"example_style\", source='''\ndef double(x):\n"
                                 "    return x\n", "    Correct(\"example_style\", source='''\n"
                                 "def double(x):\n    return x + x\n")],
}


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of the course's content folders, as in a clone of the repository."""
    root = tmp_path / "checkout"
    course = Course.installed()
    ignore = shutil.ignore_patterns("__pycache__")
    for name, folder in (("exercises", course.exercises_dir), ("graders", course.graders_dir),
                         ("solutions", course.solutions_dir),
                         ("tests/catalogue", REPO / "tests" / "catalogue")):
        shutil.copytree(folder, root / name, ignore=ignore)
    return root


def course_of(root: Path) -> Course:
    return Course(exercises_dir=root / "exercises", graders_dir=root / "graders",
                  solutions_dir=root / "solutions")


def fill_in(root: Path) -> None:
    for relative in SCAFFOLD:
        path = root / relative.format(id=NEW)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        text = "".join(line for line in lines if MARKER not in line)
        text = text.replace("example_function", "double")
        for old, new in FILL_IN.get(relative, []):
            assert old in text, (relative, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")


# The child process sees only the package built for it (on PYTHONPATH, so that nnex grade's
# own grading processes see it too): the instructor's editable install (which would map
# nnex.graders to this checkout) is switched off, and the repository comes after the package
# on the path, for the ``tests`` package alone.
_ONLY = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if not "
         "getattr(f, '__module__', '').startswith('__editable__')]; ")


def run_python(package: Path, code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    prelude = _ONLY + f"sys.path.append({str(REPO)!r}); "
    env = {**os.environ, "PYTHONPATH": str(package)}
    return subprocess.run([sys.executable, "-c", prelude + code, *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def content_tests(root: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """tests/test_content.py on the new exercise alone, in a nnex that holds it."""
    package = tmp_path / "package"
    shutil.rmtree(package, ignore_errors=True)
    write_package(package, course_of(root), [NEW], instructor=True)
    args = [str(REPO / "tests" / "test_content.py"), "-q", "-p", "no:cacheprovider",
            "--rootdir", str(REPO), "-c", str(REPO / "pyproject.toml")]
    return run_python(package, f"import pytest; sys.exit(pytest.main({args!r}))", cwd=tmp_path)


def test_new_exercise_writes_every_file_with_its_instruction(checkout, capsys):
    assert main(["new-exercise", NEW, "--root", str(checkout)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"wrote 9 files of {NEW} under {checkout}:",
                                *(f"  {line}" for line in INSTRUCTIONS),
                                f"then: python -m pytest -q tests/test_content.py -k {NEW}"]
    assert [str(p) for p in unfinished_parts(checkout, NEW)] == INSTRUCTIONS
    course = course_of(checkout)
    meta = course.exercise(NEW)  # valid metadata from the start
    assert meta.provides == ("example_function",) and meta.max_score == 4
    assert course.helpers_path(NEW) is not None
    assert len(course.grader_files(NEW, hidden=True)) == 2
    # Every anchor the instructions name is a heading of docs/authoring.md.
    headings = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    for line in INSTRUCTIONS:
        anchor = line.rsplit("#", 1)[1]
        assert f"\n## {anchor.replace('-', ' ').capitalize()}" in headings, anchor


def test_new_exercise_refuses_a_bad_id_an_existing_one_and_a_folder_not_a_clone(checkout,
                                                                               tmp_path, capsys):
    assert main(["new-exercise", "softmax", "--root", str(checkout)]) == 2
    assert "must look like ex07_softmax" in capsys.readouterr().err
    assert main(["new-exercise", "ex02_neuron", "--root", str(checkout)]) == 2
    err = capsys.readouterr().err
    assert "ex02_neuron is already an exercise" in err and err.count("\n") == 1
    assert main(["new-exercise", NEW, "--root", str(tmp_path / "elsewhere")]) == 2
    assert "clone of the nnex repository" in capsys.readouterr().err
    assert not (checkout / "exercises" / NEW).exists()


@pytest.mark.slow
def test_the_suite_fails_with_instructions_until_the_exercise_is_written(checkout, tmp_path):
    new_exercise(checkout, NEW)
    scaffolded = content_tests(checkout, tmp_path)
    output = scaffolded.stdout + scaffolded.stderr
    assert scaffolded.returncode == 1, output
    for line in INSTRUCTIONS[:-1]:  # the package holds no catalogue (tests/ is not shipped)
        if "notebook.yaml" not in line:  # nor notebook.yaml (release reads it from the course)
            assert line in output
    assert "ModuleNotFoundError" not in output and "ImportError" not in output, output
    assert "error" not in output.splitlines()[-1], output  # failures, not collection errors

    fill_in(checkout)
    assert unfinished_parts(checkout, NEW) == []
    written = content_tests(checkout, tmp_path)
    assert written.returncode == 0, written.stdout + written.stderr


@pytest.mark.slow
def test_a_filled_in_exercise_grades_full_marks_for_the_reference_and_0_for_the_stub(
        checkout, tmp_path):
    new_exercise(checkout, NEW)
    fill_in(checkout)
    course = course_of(checkout)
    reference = (checkout / "solutions" / f"{NEW}.py").read_text(encoding="utf-8")
    stub = course.stub_path(NEW).read_text(encoding="utf-8")
    submissions = tmp_path / "class"
    for student, source in (("reference", reference), ("stub", stub)):
        (submissions / student).mkdir(parents=True)
        (submissions / student / f"{NEW}.py").write_text(source, encoding="utf-8")

    # nnex grade, in a nnex built with the new exercise (as a Gradescope bundle is).
    package = tmp_path / "package"
    write_package(package, course, course.exercise_ids(), instructor=True)
    grade = run_python(package, "from nnex.cli import main; sys.exit(main(sys.argv[1:]))",
                       "grade", str(submissions), "--out", str(tmp_path / "out"), "-e", NEW,
                       "--workers", "1", cwd=tmp_path)
    assert grade.returncode == 0, grade.stdout + grade.stderr
    with open(tmp_path / "out" / "scores.csv", encoding="utf-8") as scores:
        rows = {r["student"]: r for r in csv.DictReader(scores)}
    assert (rows["reference"]["score"], rows["reference"]["max_score"]) == ("4", "4")
    assert (rows["stub"]["score"], rows["stub"]["status"]) == ("0", "not_attempted")

    # nnex check, in the student kit released from the course.
    kit = tmp_path / "kit"
    release_kit(kit, course=course, exercise_ids=[NEW])
    assert not (kit / KIT_PACKAGE / "nnex" / "solutions").exists()
    check = "from nnex.cli import main; sys.exit(main(sys.argv[1:]))"
    solved = run_python(kit / KIT_PACKAGE, check, "check", NEW, "--dir",
                        str(submissions / "reference"), cwd=tmp_path)
    assert solved.returncode == 0 and "2 / 2" in solved.stdout, solved.stdout + solved.stderr
    untouched = run_python(kit / KIT_PACKAGE, check, "check", NEW, "--dir", str(kit),
                           cwd=tmp_path)
    assert untouched.returncode == 1 and "0 / 2" in untouched.stdout, untouched.stdout


def test_a_missing_catalogue_is_an_instruction_not_an_import_error():
    from tests.test_catalogue import _catalogue

    with pytest.raises(pytest.fail.Exception,
                       match=r"^tests/catalogue/ex99_none\.py is missing: write the catalogue .*"
                             r"docs/authoring\.md#catalogue$"):
        _catalogue("ex99_none")

"""The grader version hashes nnex's grading code and the course content by folder: any change
to a file there regrades everyone, and a missing folder is an error, never a placeholder."""

from __future__ import annotations

import shutil

import pytest

from nnex.classgrade.records import GRADING_CODE, NNEX_DIR, grader_version
from nnex.course.content import Course
from nnex.errors import CourseError

_NO_CACHE = shutil.ignore_patterns("__pycache__")
GRADING_FILES = sorted(
    path.relative_to(NNEX_DIR).as_posix()
    for path in [*NNEX_DIR.glob("*.py"), *(p for name in GRADING_CODE
                                           for p in (NNEX_DIR / name).rglob("*"))]
    if path.is_file() and "__pycache__" not in path.parts)


@pytest.fixture
def copies(tmp_path, course):
    """A copy of the nnex package and of the course content, free to change."""
    nnex_dir = tmp_path / "nnex"
    shutil.copytree(NNEX_DIR, nnex_dir, ignore=_NO_CACHE)
    for name in ("exercises", "graders", "solutions"):
        shutil.copytree(getattr(course, f"{name}_dir"), tmp_path / name, ignore=_NO_CACHE)
    copy = Course(exercises_dir=tmp_path / "exercises", graders_dir=tmp_path / "graders",
                  solutions_dir=tmp_path / "solutions")
    return nnex_dir, copy


def _version(nnex_dir, course):
    return grader_version(course, course.exercises(), nnex_dir=nnex_dir)


def test_the_copies_hash_like_the_installed_package(copies, course):
    nnex_dir, copy = copies
    assert _version(nnex_dir, copy) == grader_version(course, course.exercises())


def test_grading_code_is_a_real_set_of_modules():
    # Guards the parametrization below: an empty list would make it pass vacuously.
    assert {"grading/plugin.py", "grading/notebook_source.py", "sandbox/worker.py",
            "course/metadata.py", "grading/grading.ini", "errors.py"} <= set(GRADING_FILES)


@pytest.mark.parametrize("name", GRADING_FILES)
def test_a_change_to_any_grading_module_changes_the_version(copies, name):
    nnex_dir, copy = copies
    before = _version(nnex_dir, copy)
    with (nnex_dir / name).open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert _version(nnex_dir, copy) != before


def test_a_new_or_renamed_module_changes_the_version(copies):
    nnex_dir, copy = copies
    before = _version(nnex_dir, copy)
    (nnex_dir / "grading" / "runner.py").rename(nnex_dir / "grading" / "run_checks.py")
    renamed = _version(nnex_dir, copy)
    assert renamed != before
    (nnex_dir / "sandbox" / "extra.py").write_text("LIMIT = 1\n", encoding="utf-8")
    assert _version(nnex_dir, copy) != renamed


def test_course_content_by_folder(copies):
    nnex_dir, copy = copies
    exercise = copy.exercise_ids()[0]
    seen = {_version(nnex_dir, copy)}
    for path in (copy.graders_dir / exercise / "cases.json",  # a new file, not a module
                 copy.exercises_dir / exercise / "stub.py",
                 copy.solution_path(exercise)):
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n# changed\n")
        seen.add(_version(nnex_dir, copy))
    assert len(seen) == 4


def test_bytecode_caches_do_not_change_the_version(copies):
    nnex_dir, copy = copies
    before = _version(nnex_dir, copy)
    for folder in (nnex_dir / "grading", copy.graders_dir / copy.exercise_ids()[0]):
        (folder / "__pycache__").mkdir(exist_ok=True)
        (folder / "__pycache__" / "plugin.cpython-312.pyc").write_bytes(b"\0cache")
    assert _version(nnex_dir, copy) == before


@pytest.mark.parametrize("missing", [*(f"nnex/{name}" for name in GRADING_CODE), "graders/",
                                     "solutions"])
def test_a_missing_folder_raises(copies, missing):
    nnex_dir, copy = copies
    if missing == "graders/":
        missing += copy.exercise_ids()[0]
    folder = nnex_dir.parent / missing
    shutil.rmtree(folder)
    with pytest.raises(CourseError) as caught:
        _version(nnex_dir, copy)
    assert str(caught.value) == (f"{folder}: missing, so the grader version cannot be computed "
                                 f"(it hashes {missing}); reinstall nnex or restore the folder")

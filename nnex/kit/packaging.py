"""Self-contained copies of nnex with a chosen part of the course: the student kit's checker
(public checks only) or an autograder bundle (hidden checks and solutions too)."""

from __future__ import annotations

import importlib.util
import shutil
import string
from pathlib import Path

from nnex import __version__
from nnex.course.content import GRADER_HELPERS, HIDDEN_GRADER, Course
from nnex.course.settings import SETTINGS_FILE, write_settings
from nnex.errors import CourseError
from nnex.variants.answer_key import KEY_FILE, write_answer_key
from nnex.variants.spec import VARIANTS_FILE

# In a wheel install the course content sits inside the nnex package; it is copied selectively.
_CONTENT = frozenset({"exercises", "graders", "solutions", "student_kit", "examples"})


def write_package(target: Path, course: Course, exercise_ids: list[str], *,
                  instructor: bool, name: str = "nnex-kit") -> None:
    """Write an installable (or ``PYTHONPATH``-usable) copy of nnex to ``target``.

    Args:
        instructor: also copy the hidden checks and the reference solutions (an autograder
            bundle); False copies the public checks (and their shared helpers) only: the
            student kit.
        name: the distribution name in the generated ``pyproject.toml``.
    """
    source = Path(__file__).resolve().parent.parent  # the nnex package
    package = target / "nnex"

    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n == "__pycache__" or n.endswith(".pyc")}
        if Path(folder) == source:
            skip |= {n for n in names if n in _CONTENT}
        return skip

    shutil.copytree(source, package, ignore=ignore)
    parts = ["exercises", "graders"] + (["solutions"] if instructor else [])
    for part in parts:
        (package / part).mkdir(exist_ok=True)
        shutil.copyfile(getattr(course, f"{part}_dir") / "__init__.py",
                        package / part / "__init__.py")
    # The course's settings go along, so that the copy reads the course as the instructor set
    # it; an exercise's per-student numbers (variants.yaml, their checks and the marked parts
    # of stub and statement) only when they are on.
    write_settings(package / "exercises" / SETTINGS_FILE, course.settings)
    variants = course.per_student_numbers
    for exercise_id in exercise_ids:
        exercise_dir = package / "exercises" / exercise_id
        exercise_dir.mkdir()
        shutil.copyfile(course.exercises_dir / exercise_id / "exercise.yaml",
                        exercise_dir / "exercise.yaml")
        if variants and (course.exercises_dir / exercise_id / VARIANTS_FILE).is_file():
            shutil.copyfile(course.exercises_dir / exercise_id / VARIANTS_FILE,
                            exercise_dir / VARIANTS_FILE)
        (exercise_dir / "stub.py").write_text(course.stub_text(exercise_id), encoding="utf-8")
        statement = course.statement_text(exercise_id)
        if statement is not None:
            (exercise_dir / "statement.md").write_text(statement, encoding="utf-8")
        grader_dir = package / "graders" / exercise_id
        grader_dir.mkdir()
        # The public grader, the variants' checks when on, and the hidden grader (bundle only).
        for grader in course.grader_files(exercise_id, hidden=False):
            shutil.copyfile(grader, grader_dir / grader.name)
        if instructor:
            shutil.copyfile(course.graders_dir / exercise_id / HIDDEN_GRADER,
                            grader_dir / HIDDEN_GRADER)
        helpers = course.helpers_path(exercise_id)
        if helpers is not None:  # public-safe, needed by the public grader: kit and bundle
            shutil.copyfile(helpers, grader_dir / GRADER_HELPERS)
        if instructor:
            shutil.copyfile(course.solution_path(exercise_id),
                            package / "solutions" / f"{exercise_id}.py")
        else:
            _write_answer_key(exercise_dir / KEY_FILE, course, exercise_id)
    text = string.Template(read_template("pyproject.toml")).substitute(
        version=__version__, name=name)
    (target / "pyproject.toml").write_text(text, encoding="utf-8")


def _write_answer_key(path: Path, course: Course, exercise_id: str) -> None:
    """The kit's salted hashes of per-student answers (``nnex.variants.answer_key``), so that
    ``nnex check`` can judge them without the solution; nothing for an exercise without
    variants."""
    meta = course.exercise(exercise_id)
    if meta.variants is not None:
        from nnex.variants.student import load_answers

        write_answer_key(path, meta.variants, load_answers(course, meta).answer_of)


def read_template(name: str) -> str:
    """A template from ``student_kit/`` (instructor install only)."""
    spec = importlib.util.find_spec("nnex.student_kit")
    if spec is None or not spec.submodule_search_locations:
        raise CourseError("this needs the instructor's nnex (the templates are not installed)")
    return (Path(list(spec.submodule_search_locations)[0]) / name).read_text(encoding="utf-8")

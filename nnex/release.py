"""Building the student kit: stubs, statements, public checks and the checker, nothing secret."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

from nnex import __version__, classroom
from nnex.course import PUBLIC_GRADER, Course
from nnex.errors import UsageError

KIT_PACKAGE = "nnex-kit"
# Modules of nnex that only instructors need and that may import heavy optional dependencies.
INSTRUCTOR_ONLY = frozenset()
_CONTENT = frozenset({"exercises", "graders", "solutions", "student_kit"})


def release_kit(out: Path, *, exercise_ids: list[str] | None = None,
                course: Course | None = None, force: bool = False,
                github_classroom: bool = False) -> list[Path]:
    """Write the student kit to ``out`` and return the stub files written.

    The kit holds ``<exercise>.py`` stubs, ``statements/<exercise>.md``, a README with the two
    commands to set up and check, and ``nnex-kit/``: an installable copy of nnex with the
    exercise metadata and public checks only — no solutions, no hidden checks.

    With ``github_classroom``, also ``.github/workflows/classroom.yml`` (see nnex.classroom).

    Raises:
        UsageError: ``out`` exists and is not empty (unless ``force``), or would overwrite a
            student's work.
    """
    course = course or Course.installed()
    exercises = course.exercises(exercise_ids)
    _prepare(out, force)
    statements = out / "statements"
    statements.mkdir(exist_ok=True)
    stubs = []
    for meta in exercises:
        stub = out / f"{meta.id}.py"
        shutil.copyfile(course.stub_path(meta.id), stub)
        stubs.append(stub)
        statement = course.statement_path(meta.id)
        if statement.is_file():
            shutil.copyfile(statement, statements / f"{meta.id}.md")
    _write_package(out / KIT_PACKAGE, course, [m.id for m in exercises])
    listing = "\n".join(f"- `{m.id}.py` — {m.title.ja} / {m.title.en}"
                        f" ([statements/{m.id}.md](statements/{m.id}.md))" for m in exercises)
    _render("README.md", out / "README.md", exercises=listing)
    if github_classroom:
        workflow = out / classroom.WORKFLOW_PATH
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(classroom.workflow([m.id for m in exercises]), encoding="utf-8")
    return stubs


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise UsageError(f"--out {out} is not empty; choose a new folder or pass --force "
                             "(which replaces stubs, statements and the kit)")
        shutil.rmtree(out / KIT_PACKAGE, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def _write_package(target: Path, course: Course, exercise_ids: list[str]) -> None:
    """An installable copy of nnex holding only what ``nnex check`` needs."""
    source = Path(__file__).resolve().parent
    package = target / "nnex"

    def ignore(folder: str, names: list[str]) -> set[str]:
        # In a wheel install the course content sits inside the package; it is copied below,
        # public parts only.
        skip = {n for n in names if n == "__pycache__" or n.endswith(".pyc")}
        if Path(folder) == source:
            skip |= {n for n in names if n in _CONTENT or n in INSTRUCTOR_ONLY}
        return skip

    shutil.copytree(source, package, ignore=ignore)
    for name in ("exercises", "graders"):
        (package / name).mkdir(exist_ok=True)
        shutil.copyfile(getattr(course, f"{name}_dir") / "__init__.py",
                        package / name / "__init__.py")
    for exercise_id in exercise_ids:
        exercise_dir = package / "exercises" / exercise_id
        exercise_dir.mkdir()
        for name in ("exercise.yaml", "statement.md", "stub.py"):
            if (course.exercises_dir / exercise_id / name).is_file():
                shutil.copyfile(course.exercises_dir / exercise_id / name, exercise_dir / name)
        grader_dir = package / "graders" / exercise_id
        grader_dir.mkdir()
        shutil.copyfile(course.graders_dir / exercise_id / PUBLIC_GRADER,
                        grader_dir / PUBLIC_GRADER)
    _render("pyproject.toml", target / "pyproject.toml", version=__version__)


def _render(template: str, target: Path, **values: str) -> None:
    path = _templates_dir() / template
    text = string.Template(path.read_text(encoding="utf-8")).substitute(values)
    target.write_text(text, encoding="utf-8")


def _templates_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("nnex.student_kit")
    if spec is None or not spec.submodule_search_locations:
        raise UsageError("nnex release needs the instructor's nnex (templates not installed)")
    return Path(list(spec.submodule_search_locations)[0])

"""Building the student kit: stubs, statements, public checks and the checker, nothing secret."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

from nnex import classroom
from nnex.course import Course
from nnex.errors import UsageError
from nnex.packaging import read_template, write_package

KIT_PACKAGE = "nnex-kit"


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
    write_package(out / KIT_PACKAGE, course, [m.id for m in exercises], instructor=False)
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


def _render(template: str, target: Path, **values: str) -> None:
    text = string.Template(read_template(template)).substitute(values)
    target.write_text(text, encoding="utf-8")

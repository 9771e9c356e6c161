"""Building the student kit: stubs, statements, public checks and the checker, nothing secret."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

from nnex.kit import classroom
from nnex.course.content import Course
from nnex.errors import UsageError
from nnex.kit.packaging import read_template, write_package

KIT_PACKAGE = "nnex-kit"
NOTEBOOK_EXTRA = "pip install 'nnex[notebook]'"
JUPYTERLAB_STEPS = """\
```bash
pip install jupyterlab    # 1 回だけ（nnex-kit と同じ環境に） / once, next to nnex-kit
jupyter lab               # このフォルダで開く / open JupyterLab in this folder
```"""


def release_kit(out: Path, *, exercise_ids: list[str] | None = None,
                course: Course | None = None, force: bool = False,
                github_classroom: bool = False, notebooks: bool = True) -> list[Path]:
    """Write the student kit to ``out`` and return the stub files written.

    The kit holds ``<exercise>.py`` stubs, ``<exercise>.ipynb`` notebooks (``nnex.kit.notebooks``),
    ``statements/<exercise>.md``, a README with the two commands to set up and check, and
    ``nnex-kit/``: an installable copy of nnex with the exercise metadata and public checks
    only — no solutions, no hidden checks.

    With ``github_classroom``, also ``.github/workflows/classroom.yml`` (see nnex.kit.classroom).

    Args:
        notebooks: also write the notebooks (needs nbformat: the ``notebook`` extra).

    Raises:
        UsageError: ``out`` exists and is not empty (unless ``force``), or would overwrite a
            student's work; or nbformat is missing for the notebooks.
    """
    course = course or Course.installed()
    exercises = course.exercises(exercise_ids)
    write_notebooks = _notebook_writer() if notebooks else None
    _prepare(out, force)
    statements = out / "statements"
    statements.mkdir(exist_ok=True)
    stubs = []
    for meta in exercises:
        # As students get them: per-student numbers parts only when the course has them on.
        stub = out / f"{meta.id}.py"
        stub.write_text(course.stub_text(meta.id), encoding="utf-8")
        stubs.append(stub)
        statement = course.statement_text(meta.id)
        if statement is not None:
            (statements / f"{meta.id}.md").write_text(statement, encoding="utf-8")
    if write_notebooks is not None:
        write_notebooks(out, course, exercises)
    write_package(out / KIT_PACKAGE, course, [m.id for m in exercises], instructor=False)
    notebook = " / `{id}.ipynb`" if write_notebooks is not None else ""
    listing = "\n".join(f"- `{m.id}.py`{notebook.format(id=m.id)} — {m.title.ja} / {m.title.en}"
                        f" ([statements/{m.id}.md](statements/{m.id}.md))" for m in exercises)
    if write_notebooks is not None:
        listing += ("\n\nJupyterLab では `.ipynb` のノートブックで解けます（図と確認セルつき）。"
                    "提出するのは `.py` か `.ipynb` のどちらか 1 つです（両方あると `.py` が"
                    "採点されます）。\n\nIn JupyterLab, solve the `.ipynb` notebooks (with "
                    "pictures and a check cell). Submit either the `.py` or the `.ipynb` file "
                    "of an exercise; if both are there, the `.py` is graded.\n\n"
                    + JUPYTERLAB_STEPS)
    _render("README.md", out / "README.md", exercises=listing)
    if github_classroom:
        workflow = out / classroom.WORKFLOW_PATH
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(classroom.workflow([m.id for m in exercises]), encoding="utf-8")
    return stubs


def _notebook_writer():
    try:
        from nnex.kit.notebooks import write_notebooks
    except ModuleNotFoundError as missing:
        raise UsageError(f"nnex release writes a notebook per exercise and needs {missing.name}"
                         f": {NOTEBOOK_EXTRA}") from None
    return write_notebooks


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise UsageError(f"--out {out} is not empty; choose a new folder or pass --force "
                             "(which replaces stubs, notebooks, statements and the kit)")
        shutil.rmtree(out / KIT_PACKAGE, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def _render(template: str, target: Path, **values: str) -> None:
    text = string.Template(read_template(template)).substitute(values)
    target.write_text(text, encoding="utf-8")

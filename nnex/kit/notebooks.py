"""Building each exercise's student notebook with nbformat (the only module that imports it).

One notebook per exercise, bilingual (Japanese first), every cell marked with its role in
``metadata["nnex"]["role"]`` (see ``nnex.grading.notebook_source``)::

    statement  markdown  the statement (statement.md; else title, lecture and functions)
    setup      code      NumPy, matplotlib with a Japanese font, the plot guard
    note       markdown  "解答 / Your solution": what to do, what is graded
    solution   code      the stub, to fill in (the only cells that are graded)
    note+plot  both      per picture of ``exercises/<id>/notebook.yaml``: what to look at,
                         then matplotlib code that uses the student's functions
    note+check both      "確認 / Check", then ``check("<id>", globals())``

The pictures are data (``notebook.yaml``: title, text, the functions used, code), so an
exercise author adds one without touching Python. Cell ids are fixed, so releasing twice
gives the same file.
"""

from __future__ import annotations

import ast
import copy
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from nnex.course.content import Course
from nnex.errors import MetadataError
from nnex.course.metadata import ExerciseMeta
from nnex.grading.notebook_source import (CHECK, METADATA_KEY, NOTE, NOTEBOOK_SCHEMA, PLOT, SETUP,
                                          SOLUTION, STATEMENT, check_cell_source)
from nnex.text import Text

PICTURES_FILE = "notebook.yaml"
PICTURES_SCHEMA = 1
_PICTURE_KEYS = {"title", "text", "uses", "code"}

SETUP_SOURCE = """\
# 準備 / Setup
import numpy as np
import matplotlib.pyplot as plt
from nnex.fonts import japanese_font_family
from nnex.kit.notebook_check import when_ready

plt.rcParams["font.family"] = japanese_font_family()"""

SOLUTION_NOTE = """\
## 解答 / Your solution

下のセルの関数を書きましょう（`raise NotImplementedError` の行を消して、中身を書きます）。\
書けたら **Run ▸ Run All Cells（すべてのセルを実行）** で上から順に実行すると、\
図と、最後の確認セルの結果（✓/✗、得点、ヒント）が表示されます。

- 採点されるのは、この解答セルのコードだけです。ほかのセルに書いた関数は採点されません。
- `%` や `!` で始まる行（`%timeit` など）は、採点のときには無視されます。
- 提出するのは `{id}.ipynb` か `{id}.py` のどちらか 1 つです。両方あると `{id}.py` が採点されます。

Write the functions in the cell below (delete the `raise NotImplementedError` line and write
the body). Then **Run ▸ Run All Cells**: the pictures and, in the last cell, the check
(✓/✗, points, hints) appear.

- Only the code in this solution cell is graded; functions written in other cells are not.
- Lines starting with `%` or `!` (such as `%timeit`) are ignored when grading.
- Submit either `{id}.ipynb` or `{id}.py`; if both are there, `{id}.py` is graded."""

CHECK_NOTE = """\
## 確認 / Check

公開チェックで確かめます。✗ の下のヒントを読んで解答セルを直し、\
もう一度すべてのセルを実行しましょう。

The public checks. Read the hint under each ✗, fix the solution cell and run all cells again."""


@dataclass(frozen=True)
class Picture:
    """One picture of a notebook: what it shows, the student's names it uses (none for a
    picture of the data alone), its code."""

    title: Text
    uses: tuple[str, ...]
    code: str
    text: Text | None = None


def write_notebooks(out: Path, course: Course, exercises: list[ExerciseMeta]) -> list[Path]:
    """Write ``out/<exercise>.ipynb`` for each of ``exercises``; return the paths written.

    Raises:
        MetadataError: an exercise's ``notebook.yaml`` is malformed.
    """
    written = []
    for meta in exercises:
        path = out / f"{meta.id}.ipynb"
        nbformat.write(build_notebook(meta, course), str(path))
        written.append(path)
    return written


def build_notebook(meta: ExerciseMeta, course: Course) -> nbformat.NotebookNode:
    """The student notebook of one exercise (validated against the nbformat schema)."""
    v4 = nbformat.v4
    pictures = load_pictures(course.exercises_dir / meta.id / PICTURES_FILE, meta)
    cells = [_cell(v4.new_markdown_cell(_statement(meta, course)), STATEMENT, "statement"),
             _cell(v4.new_code_cell(SETUP_SOURCE), SETUP, "setup"),
             _cell(v4.new_markdown_cell(SOLUTION_NOTE.format(id=meta.id)), NOTE, "solution-note"),
             _cell(v4.new_code_cell(stub_code(course.stub_text(meta.id))), SOLUTION, "solution")]
    for number, picture in enumerate(pictures, start=1):
        cells.append(_cell(v4.new_markdown_cell(_picture_note(picture)), NOTE,
                           f"plot-{number}-note"))
        cells.append(_cell(v4.new_code_cell(plot_code(picture)), PLOT, f"plot-{number}"))
    cells.append(_cell(v4.new_markdown_cell(CHECK_NOTE), NOTE, "check-note"))
    cells.append(_cell(v4.new_code_cell(check_cell_source(meta.id)), CHECK, "check"))
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                       "language": "python"},
        "language_info": {"name": "python"},
        METADATA_KEY: {"schema_version": NOTEBOOK_SCHEMA, "exercise": meta.id}})
    nbformat.validate(notebook)
    return notebook


def fill_solution(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """A copy of ``notebook`` whose (first) solution cell holds ``source``, e.g. the reference.

    Raises:
        ValueError: the notebook has no solution cell.
    """
    filled = copy.deepcopy(notebook)
    for cell in filled.cells:
        if cell.get("metadata", {}).get(METADATA_KEY, {}).get("role") == SOLUTION:
            cell.source = source.strip("\n")
            return filled
    raise ValueError("the notebook has no solution cell")


def stub_code(source: str) -> str:
    """The stub's ``source`` (``Course.stub_text``) as a notebook cell, without an ``if
    __name__ == "__main__":`` block: a script's entry, which a kernel would run at once (the
    pictures take its place)."""
    lines = source.splitlines()
    drop: set[int] = set()
    for node in ast.parse(source).body:
        if _is_main_block(node):
            drop.update(range(node.lineno - 1, node.end_lineno))
    kept = "\n".join(line for n, line in enumerate(lines) if n not in drop)
    return re.sub(r"\n{3,}", "\n\n\n", kept).strip("\n")


def _is_main_block(node: ast.stmt) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def plot_code(picture: Picture) -> str:
    """A plot cell: the picture's code inside the guard that turns a stub into a note."""
    names = ", ".join(f'"{name}"' for name in picture.uses)
    return (f"# {picture.title.ja} / {picture.title.en}\n"
            f"with when_ready({names}):\n{textwrap.indent(picture.code.strip(), '    ')}")


def load_pictures(path: Path, meta: ExerciseMeta | None) -> list[Picture]:
    """The pictures listed in ``path`` (none when the file does not exist).

    Args:
        meta: the exercise, whose ``provides`` must hold every name a picture uses (None: an
            exercise not in the course yet; the names are not checked).

    Raises:
        MetadataError: not YAML, unknown or missing keys, a function not in ``provides``, or
            code that does not parse.
    """
    if not path.is_file():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MetadataError(path, f"not valid UTF-8 YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(raw, dict) or set(raw) != {"schema_version", "pictures"}:
        raise MetadataError(path, "must be a mapping with exactly 'schema_version' and "
                            "'pictures'")
    if raw["schema_version"] != PICTURES_SCHEMA:
        raise MetadataError(path, f"schema_version {raw['schema_version']!r}; this nnex reads "
                            f"{PICTURES_SCHEMA}")
    if not isinstance(raw["pictures"], list):
        raise MetadataError(path, "'pictures' must be a list")
    return [_picture(path, meta, n, item) for n, item in enumerate(raw["pictures"], start=1)]


def _picture(path: Path, meta: ExerciseMeta | None, number: int, item: object) -> Picture:
    where = f"pictures[{number}]"
    if not isinstance(item, dict):
        raise MetadataError(path, f"{where} must be a mapping")
    unknown = set(item) - _PICTURE_KEYS
    missing = _PICTURE_KEYS - {"text"} - set(item)
    if unknown or missing:
        raise MetadataError(path, f"{where}: unknown keys {sorted(unknown)}, missing keys "
                            f"{sorted(missing)} (allowed: {sorted(_PICTURE_KEYS)})")
    uses = item["uses"]
    provides = set(meta.provides) if meta is not None else set(uses)
    if not (isinstance(uses, list) and all(isinstance(n, str) for n in uses)
            and set(uses) <= provides):
        raise MetadataError(path, f"{where}.uses must list names from provides "
                            f"{sorted(provides)}, not {uses!r}")
    code = item["code"]
    if not isinstance(code, str):
        raise MetadataError(path, f"{where}.code must be text")
    try:
        ast.parse(code)
    except SyntaxError as exc:
        raise MetadataError(path, f"{where}.code line {exc.lineno}: {exc.msg}") from None
    text = _text(path, item["text"], f"{where}.text") if "text" in item else None
    return Picture(title=_text(path, item["title"], f"{where}.title"), uses=tuple(uses),
                   code=code, text=text)


def _text(path: Path, value: object, where: str) -> Text:
    if not (isinstance(value, dict) and set(value) == {"ja", "en"}
            and all(isinstance(v, str) and v.strip() for v in value.values())):
        raise MetadataError(path, f"{where} must have exactly a 'ja' and an 'en' text")
    return Text(ja=value["ja"].strip(), en=value["en"].strip())


def _statement(meta: ExerciseMeta, course: Course) -> str:
    statement = course.statement_text(meta.id)
    if statement is not None:
        return statement.strip()
    names = ", ".join(f"`{name}`" for name in meta.provides)
    return (f"# {meta.title.ja} / {meta.title.en}\n\n"
            f"**講義 / Lecture:** {meta.lecture.ja} / {meta.lecture.en}\n\n"
            f"書くもの / To write: {names}（解答セルの説明を読みましょう / see the docstrings "
            f"in the solution cell）")


def _picture_note(picture: Picture) -> str:
    lines = [f"### 見てみよう: {picture.title.ja} / Look: {picture.title.en}"]
    if picture.text is not None:
        lines += ["", picture.text.ja, "", picture.text.en]
    return "\n".join(lines)


def _cell(cell: nbformat.NotebookNode, role: str, cell_id: str) -> nbformat.NotebookNode:
    cell["id"] = cell_id
    cell["metadata"] = {METADATA_KEY: {"role": role}}
    return cell

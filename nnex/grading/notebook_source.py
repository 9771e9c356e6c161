"""Reading a submitted notebook as data: the code of its solution cells becomes the module.

Standard library only (``json``), so that grading needs no Jupyter package. The cell roles and
the check cell's text live here, once, for the builder (``nnex.kit.notebooks``) and the reader.
This is the one reader of notebooks for grading, with one rule set, whichever way a notebook
marks its solution cells:

- a notebook nnex released marks each cell's role in its metadata, ``{"nnex": {"role": ...}}``
  (``solution_source``); its check cell must stay as released;
- an nbgrader notebook marks its answer cells ``{"nbgrader": {"solution": true}}``
  (``nbgrader_solution_source``); its code answer cells are the solution cells (a Markdown
  answer is graded by hand, not here).

The solution cells are joined in notebook order (a student may split or copy a solution cell;
later definitions win, as when the notebook runs top to bottom). Cells the student added for
experiments are ignored. The notebook is refused, with a reason that scores 0 on that exercise
only, when it is not notebook JSON (``MAX_NOTEBOOK_BYTES`` at most), when it has no solution
cell, when a solution cell is not a code cell, or when nnex's check cell was removed or edited.

Line numbers stay those of the cells (for one solution cell, exactly the cell's lines):

- IPython-only lines (``%timeit f()``, ``%%time``, ``!pip install x``) are not Python. When a
  cell does not parse as it is, each line starting with ``%`` or ``!`` becomes ``pass`` with a
  comment at the same indentation. A cell that parses is left alone: there a line starting
  with ``%`` is Python (``"%d" \\n % n``). The body of a cell magic such as ``%%bash`` is not
  Python and fails as a syntax error.
- A solution cell left as released, whose only statement is ``raise NotImplementedError()``,
  becomes comment lines, so that it costs its own checks and not the whole module.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from typing import Any

from nnex.grading.problems import StudentProblem

MAX_NOTEBOOK_BYTES = 20 << 20
"""Notebooks carry their plots' images in their outputs: far larger than a .py. One limit for
every notebook graded, nnex's and nbgrader's."""
MAX_SOLUTION_CHARS = 1 << 20
"""The solution cells together: as much as a .py may hold."""

METADATA_KEY = "nnex"
NOTEBOOK_SCHEMA = 1
STATEMENT, NOTE, SETUP, SOLUTION, PLOT, CHECK = (
    "statement", "note", "setup", "solution", "plot", "check")
ROLES = (STATEMENT, NOTE, SETUP, SOLUTION, PLOT, CHECK)
_MAGIC_PREFIXES = ("%", "!")
_CHECK_CALL = re.compile(r'check\("([A-Za-z0-9_]{1,64})", globals\(\)\)')


def check_cell_source(exercise_id: str) -> str:
    """The check cell of ``exercise_id`` exactly as released."""
    return ("# 確認 / Check — このセルは書き換えないでください / please do not edit this cell\n"
            "from nnex.kit.notebook_check import check\n"
            f'check("{exercise_id}", globals())')


def cell_role(cell: dict) -> str | None:
    """The nnex role of a cell (one of ``ROLES``), or None for a cell nnex did not write."""
    metadata = cell.get("metadata")
    marker = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    role = marker.get("role") if isinstance(marker, dict) else None
    return role if role in ROLES else None


def cell_text(cell: dict) -> str:
    """A cell's source as one string (on disk it may be a list of lines)."""
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise ValueError("a cell's source is neither text nor a list of lines")


def solution_source(text: str, exercise_id: str, *, file: str) -> str:
    """The Python module a submitted nnex notebook stands for: its solution cells, joined.

    Args:
        text: the notebook file's text (JSON).
        exercise_id: the exercise this file was submitted for (its check cell must name it).
        file: the file name, for messages.

    Raises:
        StudentProblem: ``notebook_json`` (not a Jupyter notebook), ``notebook_no_solution``,
            ``notebook_not_code``, ``notebook_check_cell``, ``notebook_wrong_exercise`` or
            ``too_large``.
    """
    cells = _cells(text, file)
    _require_check_cell(cells, exercise_id, file)
    return _module(cells, lambda cell: cell_role(cell) == SOLUTION, file)


def nbgrader_solution_source(text: str, *, file: str) -> str:
    """The Python module a submitted nbgrader notebook stands for: its code answer cells.

    Raises:
        StudentProblem: ``notebook_json``, ``notebook_no_solution`` or ``too_large``.
    """
    return _module(_cells(text, file), _is_nbgrader_code_answer, file)


def _is_nbgrader_code_answer(cell: dict) -> bool:
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return (cell.get("cell_type") == "code" and isinstance(nbgrader, dict)
            and nbgrader.get("solution") is True)


def _module(cells: list[dict[str, Any]], is_solution: Callable[[dict], bool], file: str) -> str:
    """The solution cells' code as one module, by the rules of the module docstring."""
    solutions = [(n, cell) for n, cell in enumerate(cells, start=1) if is_solution(cell)]
    if not solutions:
        raise StudentProblem("notebook_no_solution", file=file)
    parts = []
    for number, cell in solutions:
        if cell.get("cell_type") != "code":
            raise StudentProblem("notebook_not_code", file=file, detail=str(number))
        code = cell_text(cell)
        code = _as_comments(code) if _left_as_released(code) else _without_magics(code)
        parts.append(code.rstrip("\n"))
    source = "\n\n".join(parts) + "\n"
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as exc:  # JSON may spell a lone surrogate: "\ud800"
        raise StudentProblem("notebook_json", file=file,
                             detail=f"JSON: an invalid escape \\u{ord(exc.object[exc.start]):04x} "
                                    "in a solution cell") from None
    if len(source) > MAX_SOLUTION_CHARS:
        raise StudentProblem("too_large", file=file,
                             detail=f"{len(source)} characters in solution cells > "
                                    f"{MAX_SOLUTION_CHARS}")
    return source


def _cells(text: str, file: str) -> list[dict[str, Any]]:
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            detail = f"JSON: {exc.msg} (line {exc.lineno})"
        elif isinstance(exc, RecursionError):
            detail = "JSON nested too deeply"
        else:  # an integer of more than 4,300 digits (sys.int_max_str_digits)
            detail = "JSON: a number too long to read"
        raise StudentProblem("notebook_json", file=file, detail=detail) from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise StudentProblem("notebook_json", file=file, detail="no list of cells")
    if notebook.get("nbformat") != 4:
        raise StudentProblem("notebook_json", file=file,
                             detail=f"nbformat {notebook.get('nbformat')!r}, expected 4")
    cells = notebook["cells"]
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise StudentProblem("notebook_json", file=file, detail=f"cell {number} is malformed")
        try:
            cell_text(cell)
        except ValueError as exc:
            raise StudentProblem("notebook_json", file=file,
                                 detail=f"cell {number}: {exc}") from None
    return cells


def _require_check_cell(cells: list[dict], exercise_id: str, file: str) -> None:
    checks = [cell for cell in cells if cell_role(cell) == CHECK]
    if not checks:
        raise StudentProblem("notebook_check_cell", file=file)
    expected = _code_lines(check_cell_source(exercise_id))
    for cell in checks:
        lines = _code_lines(cell_text(cell))
        if cell.get("cell_type") == "code" and lines == expected:
            continue
        other = _CHECK_CALL.fullmatch(lines[-1]) if lines else None
        if other and lines == _code_lines(check_cell_source(other.group(1))):
            raise StudentProblem("notebook_wrong_exercise", file=file, detail=other.group(1),
                                 name=exercise_id)
        raise StudentProblem("notebook_check_cell", file=file)


def _code_lines(source: str) -> list[str]:
    """The lines that matter: comments, blank lines and trailing spaces do not."""
    lines = (line.rstrip() for line in source.splitlines())
    return [line for line in lines if line and not line.lstrip().startswith("#")]


def _without_magics(source: str) -> str:
    try:
        ast.parse(source)
        return source
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        pass
    lines = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(_MAGIC_PREFIXES):
            indent = line[:len(line) - len(stripped)]
            note = stripped.replace("\r", " ")
            line = (f"{indent}pass  # nnex: 採点では IPython の行を無視 / "
                    f"IPython line ignored: {note}")
        lines.append(line)
    return "\n".join(lines)


def _left_as_released(source: str) -> bool:
    """True for a cell whose only statement is ``raise NotImplementedError(...)``."""
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    error = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(error, ast.Name) and error.id == "NotImplementedError"


def _as_comments(source: str) -> str:
    """A cell left as released, line for line as comments."""
    lines = re.split(r"\r\n?|\n", source)  # Python's line ends: the line numbers stay
    return "\n".join(f"# nnex: 未着手 / not attempted: {line}".rstrip() for line in lines)

"""Merging an exercise's stub and reference solution into nbgrader solution cells.

nbgrader releases a notebook by replacing every ``### BEGIN SOLUTION`` … ``### END SOLUTION``
region with its code stub (``raise NotImplementedError()``). So the source notebook's code is
the stub's text, with the body of each stub function (after its docstring) replaced by a region
holding the reference body: released, it is the stub again — same imports, signatures and
docstrings, bodies that raise ``NotImplementedError``.

Stub code the solution lacks (given helpers such as a data loader) stays as it is; an
``if __name__ == "__main__":`` block is left out, since a kernel would run it every time.
A module-level name that stub and solution both assign with different values (``ANSWER = -6``)
becomes an answer cell of its own (a module-level region, released as a ``raise``, must not
stop the functions' cell). Helpers only the solution defines at module level (functions,
constants, imports) go inside the regions that use them, so the release never shows them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from nnex.errors import CourseError

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


@dataclass(frozen=True)
class SolutionCells:
    """The code of an exercise's solution cells: the module, then one cell per answer."""

    module: str
    answers: tuple[str, ...] = ()


def solution_cells(stub: str, solution: str, *, exercise_id: str) -> SolutionCells:
    """Build the solution cells of ``exercise_id`` from its stub and reference solution sources.

    Raises:
        CourseError: a stub function or answer has no counterpart in the solution, or their
            signatures differ.
    """
    stub_tree, solution_tree = ast.parse(stub), ast.parse(solution)
    stub_names = _defined_names(stub_tree.body)
    solution_defs = {name: node for node in solution_tree.body for name in _names_of(node)}
    helpers = [node for node in solution_tree.body
               if _names_of(node) and not _names_of(node) <= stub_names]
    stub_lines, solution_lines = stub.splitlines(), solution.splitlines()
    replacements: list[tuple[int, int, list[str]]] = []  # (first line, last line, new lines)
    answers = []
    for node in stub_tree.body:
        if _is_main_block(node):
            # A kernel runs it too (__name__ is "__main__" there): no training run per execution.
            replacements.append((_leading_comment_start(node.lineno, stub_lines),
                                 node.end_lineno, []))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            reference = solution_defs.get(node.name)
            if not isinstance(reference, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if _raises_not_implemented(node):
                    raise CourseError(f"{exercise_id}: the stub asks for {node.name}() but the "
                                      "solution does not define it")
                continue  # code the stub gives to the student, kept as it is
            if ast.dump(node.args) != ast.dump(reference.args):
                raise CourseError(f"{exercise_id}: {node.name}() has different parameters in "
                                  "the stub and in the solution")
            replacements.append(_function_region(node, reference, stub_lines, solution_lines,
                                                 helpers))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and _names_of(node):
            reference = _answer_statement(node, solution_tree.body)
            if reference is None:
                continue  # the same value in stub and solution: given to the student as is
            first = _leading_comment_start(node.lineno, stub_lines)
            comments = stub_lines[first - 1:node.lineno - 1]
            region = _region(_needed(reference, helpers), reference, solution_lines, "")
            answers.append("\n".join(comments + region))
            replacements.append((first, node.end_lineno, []))
    lines = list(stub_lines)
    for first, last, new in sorted(replacements, reverse=True):
        lines[first - 1:last] = new
    return SolutionCells(module="\n".join(lines).rstrip() + "\n",
                         answers=tuple(answers))


def _function_region(stub: ast.FunctionDef, reference: ast.FunctionDef, stub_lines: list[str],
                     solution_lines: list[str], helpers: list[ast.stmt]):
    indent = " " * stub.body[0].col_offset
    body = _without_docstring(stub.body)
    if body:
        first, last = body[0].lineno, stub.end_lineno
    else:  # a docstring only: the region goes right after it
        first, last = stub.body[0].end_lineno + 1, stub.body[0].end_lineno
    reference_body = _without_docstring(reference.body)
    if not reference_body:
        raise CourseError(f"the solution's {reference.name}() has no body besides its docstring")
    region = [indent + BEGIN]
    for helper in _needed(reference, helpers):
        region += _shifted(_source_lines(helper, solution_lines), "", indent)
    old_indent = " " * reference_body[0].col_offset
    region += _shifted(solution_lines[reference_body[0].lineno - 1:reference.end_lineno],
                       old_indent, indent)
    region.append(indent + END)
    return first, last, region


def _region(helpers: list[ast.stmt], statement: ast.stmt, solution_lines: list[str],
            indent: str) -> list[str]:
    lines = [indent + BEGIN]
    for node in [*helpers, statement]:
        lines += _shifted(_source_lines(node, solution_lines), "", indent)
    return lines + [indent + END]


def _answer_statement(stub: ast.stmt, solution_body: list[ast.stmt]) -> ast.stmt | None:
    """The solution's statement assigning the stub's names; None when the solution assigns
    the same value or none (then the stub's statement is given to the student as is)."""
    names = _names_of(stub)
    for node in solution_body:
        if _names_of(node) & names:
            return None if ast.dump(node) == ast.dump(stub) else node
    return None


def _is_main_block(node: ast.stmt) -> bool:
    """``if __name__ == "__main__":``"""
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) \
        and test.left.id == "__name__" and len(test.comparators) == 1 \
        and isinstance(test.comparators[0], ast.Constant) \
        and test.comparators[0].value == "__main__"


def _raises_not_implemented(function: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n)
               for n in ast.walk(function))


def _needed(node: ast.AST, helpers: list[ast.stmt]) -> list[ast.stmt]:
    """The helpers ``node`` uses, directly or through other helpers, in solution order."""
    wanted, queue = set(), [node]
    while queue:
        used = _used_names(queue.pop())
        for helper in helpers:
            if id(helper) not in wanted and _names_of(helper) & used:
                wanted.add(id(helper))
                queue.append(helper)
    return [h for h in helpers if id(h) in wanted]


def _names_of(node: ast.stmt) -> set[str]:
    """The module-level names one statement binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    targets = node.targets if isinstance(node, ast.Assign) else (
        [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _defined_names(body: list[ast.stmt]) -> set[str]:
    return {name for node in body for name in _names_of(node)}


def _used_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


def _source_lines(node: ast.stmt, lines: list[str]) -> list[str]:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return lines[first - 1:node.end_lineno]


def _shifted(lines: list[str], old: str, new: str) -> list[str]:
    """Re-indent code from ``old`` to ``new``. Lines not starting with ``old`` (the inside of
    a multi-line string) are left alone; a module-level helper moved into a function
    (``old`` empty) gains the indent on every line, its multi-line strings included."""
    if old == new:
        return list(lines)
    return [new + line[len(old):] if line.startswith(old) and line.strip() else line
            for line in lines]


def _leading_comment_start(lineno: int, lines: list[str]) -> int:
    """The first line of the comment block directly above line ``lineno`` (1-based)."""
    first = lineno
    while first > 1 and lines[first - 2].lstrip().startswith("#"):
        first -= 1
    return first

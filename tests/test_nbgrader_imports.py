"""nbgrader stays behind its adapter: the core, the CLI and the notebook helper never load it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nnex

HEAVY = ("nbgrader", "jupyterlab")
ADAPTER = "integrations/nbgrader/adapter.py"  # relative to the nnex package


def loaded_after(imports: str) -> list[str]:
    code = (f"import sys; import {imports}; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return eval(done.stdout)  # a printed list of module names


def test_core_cli_and_grading_import_neither_nbgrader_nor_jupyterlab():
    assert loaded_after("nnex.cli, nnex.grading.folder_check, nnex.grading.runner, "
                        "nnex.kit.release, nnex.classgrade.grade") == []


def test_the_test_cell_helper_imports_neither():
    """The student kit's side: released notebooks import nnex.integrations.nbgrader.cell in the
    kernel."""
    assert loaded_after("nnex.integrations.nbgrader.cell") == []


def test_only_the_adapter_imports_nbgrader():
    package = Path(nnex.__file__).parent
    importers = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] in HEAVY for name in names):
                importers.append(path.relative_to(package).as_posix())
    assert set(importers) == {ADAPTER}, importers

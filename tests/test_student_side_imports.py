"""The student's side imports no rich: the kernel-side check and the nbgrader test cell build
their text from the plain feedback rules (``nnex.render.details``), not the terminal renderer.
Nor pytest: the student's checks run plain graders directly (``nnex.grading.direct``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

STUDENT_SIDE = ("nnex.kit.notebook_check", "nnex.integrations.nbgrader.cell",
                "nnex.render.details", "nnex.notebook_check", "nnex.nbgrader_cell")
"""What a released notebook's kernel imports (also under the old paths kits still use)."""


def loaded_after(module: str) -> set[str]:
    code = (f"import sys; import {module}; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", STUDENT_SIDE)
def test_student_side_modules_import_no_rich(module):
    loaded = loaded_after(module)
    assert "nnex" in loaded  # the probe did import it
    assert "rich" not in loaded


@pytest.mark.parametrize("module", ["nnex.kit.notebook_check", "nnex.grading.folder_check",
                                    "nnex.commands.check"])
def test_the_students_checks_import_no_pytest(module):
    """``nnex check`` and the check cell run plain graders without pytest (issue 11: its
    import costs more than every public check)."""
    loaded = loaded_after(module)
    assert "nnex" in loaded
    assert "pytest" not in loaded and "_pytest" not in loaded


def test_the_pytest_runner_does_import_pytest():
    """The probe can see pytest when it is imported."""
    assert "pytest" in loaded_after("nnex.grading.runner")


def test_the_terminal_renderer_does_import_rich():
    """The probe can see rich when it is imported."""
    assert "rich" in loaded_after("nnex.render.terminal")

"""The student's side imports no rich: the kernel-side check and the nbgrader test cell build
their text from the plain feedback rules (``nnex.render.details``), not the terminal renderer.
Nor pytest: the student's checks, and the grading processes, run plain graders directly
(``nnex.grading.direct``)."""

from __future__ import annotations

import json
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


_GRADE_ONE = """
import io, json, sys
from pathlib import Path
from nnex.classgrade import pool_worker
from nnex.course.content import Course
from nnex.grading.submissions import Submission
from nnex.sandbox.host import Limits

folder, results = Path(sys.argv[1]), Path(sys.argv[2])
settings = pool_worker.settings_for(Course.installed(), ["ex01_relu"], isolation="rlimits",
                                    limits=Limits(), results_dir=results)
events = io.StringIO()
state = pool_worker.start(json.loads(json.dumps(settings)), events)
pool_worker.grade_batch(state, [{**Submission("alice", folder).to_wire(), "fingerprint": "x"}])
state.host.close()
print(json.dumps({"pytest": "pytest" in sys.modules, "events": events.getvalue()}))
"""


def test_a_grading_process_grades_plain_graders_without_pytest(tmp_path, course):
    """``nnex grade``'s grading processes run the course's (plain) graders, public and hidden,
    without pytest: its per-check loop is no longer paid per student (issue 11)."""
    folder, results = tmp_path / "alice", tmp_path / "results"
    folder.mkdir()
    results.mkdir()
    (folder / "ex01_relu.py").write_text(course.solution_path("ex01_relu").read_text("utf-8"))
    done = subprocess.run([sys.executable, "-c", _GRADE_ONE, str(folder), str(results)],
                          capture_output=True, text=True, check=True, cwd=tmp_path)
    report = json.loads(done.stdout.splitlines()[-1])
    assert '"done"' in report["events"] and '"student": "alice"' in report["events"]
    assert report["pytest"] is False
    record = json.loads(next(results.glob("*.json")).read_text(encoding="utf-8"))
    assert "hidden" in json.dumps(record)  # the hidden checks ran too

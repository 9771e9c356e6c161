"""Released notebooks run headlessly in a real kernel (nbclient + ipykernel), top to bottom.

With the reference solution in the solution cell, every picture is drawn and the check cell
reports full marks; with the stub as released, every picture cell prints its short note, the
check cell reports 0 and the notebook still runs to its end without an error.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

from nnex.course.content import Course  # noqa: E402
from nnex.kit.notebook_check import CHECK_MIME, NOT_READY, NOT_ATTEMPTED_TEXT  # noqa: E402
from nnex.grading.notebook_source import CHECK, PLOT, cell_role  # noqa: E402
from nnex.kit.notebooks import PICTURES_FILE, fill_solution, load_pictures  # noqa: E402
from nnex.kit.release import release_kit  # noqa: E402
from nnex.grading.results import GRADED, NOT_ATTEMPTED  # noqa: E402

COURSE = Course.installed()
EXERCISES = COURSE.exercise_ids()
CELL_TIMEOUT = 300


def python_kernel(root: Path) -> Path:
    """A ``python3`` kernel spec for this very Python (the one nnex is installed in).

    Put first on ``JUPYTER_PATH``; the machine's own ``python3`` spec may start another Python.
    """
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (nnex tests)", "language": "python"}), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    kernel_root = python_kernel(tmp_path_factory.mktemp("jupyter"))
    out = tmp_path_factory.mktemp("release") / "kit"
    release_kit(out, course=COURSE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(kernel_root))
        yield out


def _execute(kit: Path, exercise_id: str, solution: str | None) -> nbformat.NotebookNode:
    notebook = nbformat.read(kit / f"{exercise_id}.ipynb", as_version=4)
    if solution is not None:
        notebook = fill_solution(notebook, solution)
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(kit)}})
    client.execute()  # raises CellExecutionError if any cell fails
    return notebook


def finished_cell(exercise_id: str) -> str:
    """What a student's finished solution cell holds: the reference solution, plus the stub's
    given code that the reference leaves out (ex06's load_data and init_params)."""
    reference = COURSE.solution_path(exercise_id).read_text("utf-8")
    stub = COURSE.stub_path(exercise_id).read_text("utf-8")
    defined = {node.name for node in ast.parse(reference).body
               if isinstance(node, ast.FunctionDef)}
    given = [ast.get_source_segment(stub, node) for node in ast.parse(stub).body
             if isinstance(node, ast.FunctionDef) and node.name not in defined
             and not _raises_not_implemented(node)]
    return "\n\n\n".join([reference, *given])


def _raises_not_implemented(function: ast.FunctionDef) -> bool:
    return any(isinstance(node, ast.Raise) and "NotImplementedError" in ast.unparse(node)
               for node in ast.walk(function))


def _outputs(notebook, role: str) -> list[list[dict]]:
    return [cell.outputs for cell in notebook.cells if cell_role(cell) == role]


def _summary(notebook) -> dict:
    (outputs,) = _outputs(notebook, CHECK)
    results = [o for o in outputs if o.output_type == "execute_result"]
    assert len(results) == 1, outputs
    assert "text/html" in results[0].data and "text/plain" in results[0].data
    return dict(results[0].data[CHECK_MIME]), results[0].data["text/html"]


def _stderr(notebook) -> list[str]:
    return [o.text for cell in notebook.cells if cell.cell_type == "code"
            for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_reference_in_the_notebook_draws_every_picture_and_gets_full_marks(kit, exercise_id):
    notebook = _execute(kit, exercise_id, finished_cell(exercise_id))
    summary, page = _summary(notebook)
    assert summary["exercise"] == exercise_id and summary["status"] == GRADED
    assert summary["score"] == summary["max_score"] > 0, summary
    assert all(c["outcome"] == "passed" for c in summary["checks"])
    assert f"data-score='{summary['score']:g}'" in page and "✗" not in page
    for outputs in _outputs(notebook, PLOT):
        assert [o for o in outputs if "image/png" in o.get("data", {})], outputs
        assert not [o for o in outputs if o.output_type == "stream"], outputs
    assert _stderr(notebook) == []  # no "Glyph ... missing" warnings: Japanese shows


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_stub_notebook_runs_to_the_end_with_notes_and_zero(kit, exercise_id):
    notebook = _execute(kit, exercise_id, None)
    summary, page = _summary(notebook)
    assert summary["score"] == 0 < summary["max_score"]
    assert summary["status"] == NOT_ATTEMPTED
    assert NOT_ATTEMPTED_TEXT.ja in page
    note = NOT_READY.ja.split("{names}")[0]
    pictures = load_pictures(COURSE.exercises_dir / exercise_id / PICTURES_FILE,
                             COURSE.exercise(exercise_id))
    plots = _outputs(notebook, PLOT)
    assert len(plots) == len(pictures)
    for picture, outputs in zip(pictures, plots):
        text = "".join(o.text for o in outputs if o.output_type == "stream")
        images = [o for o in outputs if "image/png" in o.get("data", {})]
        assert "Traceback" not in text
        if picture.uses:  # drawn with the student's functions: a note until they are written
            assert note in text and "NotImplementedError" in text and not images, outputs
        else:  # a picture of the data alone is there from the start
            assert images and not text, outputs
    assert not [o for cell in notebook.cells if cell.cell_type == "code"
                for o in cell.outputs if o.output_type == "error"]

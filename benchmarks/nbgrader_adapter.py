"""nbgrader, for the benchmarks only: ``autograde`` on notebooks holding nnex's checks.

Two kinds of course. ``autograde_seconds``: ex01's checks written again as assert cells.
``same_work_course``: the course ``nnex nbgrader export`` writes, graded either as exported
(nnex's ConfinedChecks in place of nbgrader's Execute) or, after ``kernel_pipeline_copy``, by
nbgrader's default steps, which run each notebook in a Jupyter kernel.

In the first, each student's notebook holds their ``ex01_relu.py`` in the solution cell; the
locked test cells check what nnex's ex01 grader checks (the lecture's numbers, arrays, alpha,
sigmoid extremes, random inputs of several shapes against the reference, inputs left unchanged),
one cell per check with the same points. nbgrader runs each notebook in a fresh Jupyter kernel,
in the same process as the tests, which is what the comparison is about.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REFERENCE = '''import numpy as np
def _ref_relu(x): return np.maximum(0, x)
def _ref_leaky(x, a=0.01): return np.where(x > 0, x, a * x)
def _ref_sigmoid(x): return np.exp(-np.logaddexp(0, -np.asarray(x, dtype=float)))
_rng = np.random.default_rng(0)
'''
CHECKS = [  # (grade_id, points, source): the ex01 grader's checks as plain asserts
    ("relu_lecture", 1, "for x, e in ((-3, 0), (3, 3), (0, 0), (2.5, 2.5), (-0.5, 0)):\n"
                        "    assert np.isclose(float(relu(x)), e)"),
    ("relu_array", 1, "x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0]); c = x.copy()\n"
                      "assert np.allclose(relu(c), [0, 0, 0, 1, 2]) and np.array_equal(c, x)"),
    ("leaky_relu_basic", 1, "assert np.isclose(leaky_relu(3.0), 3.0)\n"
                            "assert np.isclose(leaky_relu(-2.0), -0.02)\n"
                            "assert np.isclose(leaky_relu(-2.0, alpha=0.1), -0.2)\n"
                            "assert np.allclose(leaky_relu(np.array([-1.0, 0.5, 2.0]), 0.2),"
                            " [-0.2, 0.5, 2.0])"),
    ("sigmoid_basic", 1, "for x in (0.0, 2.0, -1.0):\n"
                         "    assert np.isclose(sigmoid(x), _ref_sigmoid(x), rtol=1e-6)"),
    ("sigmoid_extremes", 1, "for x in (-1000.0, 1000.0, -40.0):\n"
                            "    v = float(sigmoid(x)); assert np.isfinite(v)\n"
                            "    assert np.isclose(v, _ref_sigmoid(x), rtol=1e-6, atol=1e-300)"),
    ("relu_random", 2, "for shape in ((7,), (3, 4), (2, 3, 2)):\n"
                       "    x = _rng.normal(scale=3.0, size=shape)\n"
                       "    g = np.asarray(relu(x.copy()))\n"
                       "    assert g.shape == x.shape and np.allclose(g, _ref_relu(x))"),
    ("leaky_relu_random", 2, "for shape in ((7,), (3, 4), (2, 3, 2)):\n"
                             "    x = _rng.normal(scale=3.0, size=shape)\n"
                             "    a = _rng.uniform(0.05, 0.3)\n"
                             "    assert np.allclose(leaky_relu(x.copy(), a), _ref_leaky(x, a))"),
    ("sigmoid_random", 2, "for shape in ((7,), (3, 4), (2, 3, 2)):\n"
                          "    x = 10 * _rng.normal(scale=3.0, size=shape)\n"
                          "    assert np.allclose(sigmoid(x.copy()), _ref_sigmoid(x))"),
    ("inputs_unchanged", 1, "for f, extra in ((relu, ()), (leaky_relu, (0.1,)), (sigmoid, ())):\n"
                            "    x = _rng.normal(size=(3, 2)); c = x.copy(); f(c, *extra)\n"
                            "    assert np.array_equal(c, x)"),
]


def _notebook(code: str):
    import nbformat

    def meta(grade_id: str, *, solution: bool, points: float | None = None) -> dict:
        data = {"grade": points is not None, "solution": solution, "locked": not solution,
                "grade_id": grade_id, "schema_version": 3}
        if points is not None:
            data["points"] = points
        return {"nbgrader": data}

    cells = [nbformat.v4.new_code_cell(code, metadata=meta("solution", solution=True)),
             nbformat.v4.new_code_cell(REFERENCE, metadata=meta("reference", solution=False))]
    cells += [nbformat.v4.new_code_cell(source, metadata=meta(name, solution=False,
                                                              points=points))
              for name, points, source in CHECKS]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def _nbgrader(folder: Path, *args: str, env: dict[str, str] | None = None) -> None:
    # nbgrader runs ``alembic`` and the kernel from PATH: put this Python's scripts first.
    env = dict(env or os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=folder, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {args[0]} failed: {done.stdout[-2000:]}")


def autograde_seconds(course, class_root: Path, folder: Path, count: int,
                      endless: bool = False) -> float:
    """Wall seconds of ``nbgrader autograde`` over the first ``count`` students' ex01 code."""
    import nbformat

    shutil.rmtree(folder, ignore_errors=True)
    (folder / "source" / "ps1").mkdir(parents=True)
    (folder / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
        "c.CourseDirectory.root = '.'\n", encoding="utf-8")
    reference = course.solution_path("ex01_relu").read_text(encoding="utf-8")
    nbformat.write(_notebook(reference), folder / "source" / "ps1" / "ps1.ipynb")
    _nbgrader(folder, "generate_assignment", "ps1", "--force")
    released = nbformat.read(folder / "release" / "ps1" / "ps1.ipynb", as_version=4)
    students = sorted(p for p in class_root.iterdir() if p.is_dir())[:count]
    for student in students:
        code = (student / "ex01_relu.py").read_text(encoding="utf-8")
        if endless:
            code = "def relu(x):\n    while True:\n        pass\n" + code.replace(
                "def relu(", "def _unused_relu(")
        released.cells[0].source = code
        target = folder / "submitted" / student.name / "ps1"
        target.mkdir(parents=True)
        nbformat.write(released, target / "ps1.ipynb")
        (target / "timestamp.txt").write_text("2025-01-01 00:00:00.000000 UTC")
    started = time.perf_counter()
    _nbgrader(folder, "autograde", "ps1", "--create", "--force")
    seconds = time.perf_counter() - started
    graded = list((folder / "autograded").glob("*/ps1/ps1.ipynb"))
    if len(graded) != len(students):
        raise RuntimeError(f"nbgrader autograded {len(graded)} of {len(students)} notebooks")
    return seconds


# --- the same work (issue 11): the course ``nnex nbgrader export`` writes, graded two ways ----

SAME_WORK_ASSIGNMENT = "same_work"
_EXPORTED_STEPS = re.compile(r"^c\.Autograde\.autograde_preprocessors = \[.*?^\]\n", re.M | re.S)


def same_work_course(course, folder: Path, exercises: list[str], count: int) -> Path:
    """The exported course of one assignment holding ``exercises``, after ``nbgrader
    generate_assignment``, with ``count`` students who each submit the reference (the source
    notebooks' solution cells: the stub with the reference bodies in its regions)."""
    import nbformat

    from nnex.integrations.nbgrader.adapter import TIMESTAMP_FILE
    from nnex.integrations.nbgrader.export import export_course

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    course_file = folder / "course.yaml"
    course_file.write_text(f"schema_version: 1\nassignments:\n  {SAME_WORK_ASSIGNMENT}: "
                           f"{{exercises: [{', '.join(exercises)}]}}\n", encoding="utf-8")
    root = folder / "course"
    export_course(root, course=course, course_file=course_file)
    _nbgrader(root, "generate_assignment", SAME_WORK_ASSIGNMENT, "--force", env=_env(folder))
    for exercise in exercises:
        name = f"{exercise}.ipynb"
        source = nbformat.read(root / "source" / SAME_WORK_ASSIGNMENT / name, as_version=4)
        answers = {c.metadata.nbgrader["grade_id"]: c.source for c in source.cells
                   if c.metadata.get("nbgrader", {}).get("solution")}
        released = nbformat.read(root / "release" / SAME_WORK_ASSIGNMENT / name, as_version=4)
        for cell in released.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        for n in range(count):
            target = root / "submitted" / f"student{n:03d}" / SAME_WORK_ASSIGNMENT
            target.mkdir(parents=True, exist_ok=True)
            nbformat.write(released, target / name)
            (target / TIMESTAMP_FILE).write_text("2026-11-26 00:00:00.000000 UTC")
    return root


def kernel_pipeline_copy(root: Path, target: Path) -> Path:
    """A copy of the exported course whose config keeps nbgrader's default autograde steps
    (nbgrader's own Execute runs each notebook in a Jupyter kernel)."""
    shutil.copytree(root, target)
    config = target / "nbgrader_config.py"
    text, replaced = _EXPORTED_STEPS.subn("", config.read_text(encoding="utf-8"))
    if replaced != 1:
        raise RuntimeError(f"{config}: the autograde_preprocessors setting was not found")
    config.write_text(text, encoding="utf-8")
    return target


def autograde_course(root: Path) -> tuple[float, list[tuple[float, float]]]:
    """Wall seconds of ``nbgrader autograde`` over the course's submissions, and each
    student's (score, max score) from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    started = time.perf_counter()
    _nbgrader(root, "autograde", SAME_WORK_ASSIGNMENT, "--force", env=_env(root.parent))
    seconds = time.perf_counter() - started
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = [(s.score, s.max_score)
                  for s in gradebook.assignment_submissions(SAME_WORK_ASSIGNMENT)]
    return seconds, scores


def _env(folder: Path) -> dict[str, str]:
    """Jupyter folders of the benchmark's own, so that no user config or kernel gets in."""
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "RUNTIME"):
        env[f"JUPYTER_{name}_DIR"] = str(folder / f"jupyter-{name.lower()}")
    env.pop("JUPYTER_PATH", None)
    return env

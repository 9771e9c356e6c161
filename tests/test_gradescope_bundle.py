"""The Gradescope bundle: built as Gradescope expects, and run_autograder grading a laid-out root."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from nnex.cli import main
from nnex.gradescope import BUNDLE_PACKAGE, ROOT_VARIABLE

# Gradescope's results.json (autograder specification): top-level score, execution_time, output,
# tests[] with score, max_score, status, name, output, visibility.
RESULTS_SCHEMA = {
    "type": "object",
    "required": ["score", "execution_time", "tests"],
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "score", "max_score", "status", "output", "visibility"],
            "properties": {
                "name": {"type": "string"}, "score": {"type": "number"},
                "max_score": {"type": "number"}, "status": {"enum": ["passed", "failed"]},
                "output": {"type": "string"},
                "visibility": {"enum": ["hidden", "after_due_date", "after_published",
                                        "visible"]}}}},
    },
}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gradescope")
    assert main(["gradescope", "--out", str(folder / "autograder.zip")]) == 0
    source = folder / "source"
    with zipfile.ZipFile(folder / "autograder.zip") as archive:
        archive.extractall(source)
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & stat.S_IXUSR, f"{script} must be executable"
        (source / script).chmod(0o755)
    return source


def _run(bundle: Path, root: Path, files: dict[str, str]) -> dict:
    submission = root / "submission"
    submission.mkdir(parents=True)
    for name, text in files.items():
        (submission / name).write_text(text, encoding="utf-8")
    env = {**os.environ, ROOT_VARIABLE: str(root), "NNEX_PYTHON": sys.executable}
    done = subprocess.run(["bash", str(bundle / "run_autograder")], env=env, cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    payload = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(payload, RESULTS_SCHEMA)
    return payload


def test_bundle_holds_setup_runner_and_hidden_checks(bundle):
    assert (bundle / "setup.sh").read_text().startswith("#!/usr/bin/env bash")
    assert "bubblewrap" in (bundle / "setup.sh").read_text()
    hidden = list((bundle / BUNDLE_PACKAGE / "nnex" / "graders").glob("*/test_hidden.py"))
    assert hidden


def test_correct_partial_and_broken_submissions(bundle, tmp_path, course):
    solutions = {f"{e}.py": course.solution_path(e).read_text() for e in course.exercise_ids()}
    correct = _run(bundle, tmp_path / "correct", solutions)
    total = sum(t["max_score"] for t in correct["tests"])
    assert correct["score"] == total > 0
    assert all(t["status"] == "passed" for t in correct["tests"])

    partial_files = dict(solutions)
    partial_files["ex01_relu.py"] = partial_files["ex01_relu.py"].replace(
        "return x if x > 0 else alpha * x", "return x if x > 0 else 0.01 * x")
    partial = _run(bundle, tmp_path / "partial", partial_files)
    assert 0 < partial["score"] < total
    failed = [t for t in partial["tests"] if t["status"] == "failed"]
    assert failed and any("alpha" in t["output"] for t in failed)

    broken = _run(bundle, tmp_path / "broken", {"ex01_relu.py": "def relu(x)\n"})
    assert broken["score"] == 0
    assert any("文法エラー" in t["output"] or "syntax error" in t["output"]
               for t in broken["tests"])


def test_bundle_needs_a_zip_path(tmp_path, capsys):
    assert main(["gradescope", "--out", str(tmp_path / "bundle.tar")]) == 2
    assert "Gradescope takes a .zip file" in capsys.readouterr().err

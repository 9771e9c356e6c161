"""The Gradescope bundle, run the way Gradescope runs it.

Gradescope's documented image build (gradescope/autograder_samples, manual_docker/Dockerfile and
docs/specs.md): the zip is unpacked into /autograder/source, ``bash source/setup.sh`` runs as
root, run_autograder is copied to /autograder/run_autograder, and for each submission that copy
runs with /autograder as working directory, the upload in /autograder/submission, the result
expected in /autograder/results/results.json. These tests build that layout in a temporary root.
"""

from __future__ import annotations

import json
import shutil
import site
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import jsonschema
import pytest

from nnex.cli import main
from nnex.integrations.gradescope import BUNDLE_PACKAGE
from tests.hostile.harness import launcher_for

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



def _older_pythons() -> list[Path]:
    """Interpreters like those of older base images (Ubuntu 18.04: 3.6, 20.04: 3.8), if any."""
    candidates = {Path(p).resolve() for p in (
        *(shutil.which(f"python3.{minor}") for minor in range(6, 10)),
        *Path.home().glob(".pyenv/versions/3.[6-9].*/bin/python3")) if p}
    older = {}
    for candidate in sorted(candidates):
        done = subprocess.run([candidate, "-c", "import sys; print(sys.version.split()[0])"],
                              capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.startswith("3."):
            older.setdefault(done.stdout.strip(), candidate)  # one interpreter per version
    return list(older.values())


OLD_PYTHONS = _older_pythons()
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"

# setup.sh runs for real, with two stand-ins on PATH for what must not happen in a test:
# apt-get (records its arguments) and the "-m venv" of the image's python3, which makes a real
# venv without pip whose site-packages point at this test run's dependencies (numpy, ...).
# Its pip records the requirements instead of downloading them. nnex itself is not in that venv
# (the editable install's .pth is not processed there), so run_autograder must find the
# bundle's copy, as in Gradescope's image.
PYTHON3_SHIM = """#!/usr/bin/env bash
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
    "{real}" -m venv --without-pip "$3" || exit 1
    site="$("$3/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    printf '%s\\n' {deps} > "$site/test-dependencies.pth"
    printf '#!/bin/sh\\necho "$@" >> "{log}"\\n' > "$3/bin/pip"
    chmod +x "$3/bin/pip"
    exit 0
fi
exec "{real}" "$@"
"""


@pytest.fixture
def place():
    """A folder for autograder roots outside /tmp, like Gradescope's /autograder.

    nnex's sandbox gives student code a private /tmp, so a Python runtime under /tmp cannot be
    shown inside it and "auto" isolation falls back to rlimits; pytest's tmp_path is under
    /tmp. Under /var/tmp the bundle is confined by bubblewrap as it is on Gradescope.
    """
    folder = Path(tempfile.mkdtemp(prefix="nnex-gradescope-", dir="/var/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gradescope")
    assert main(["gradescope", "--out", str(folder / "autograder.zip")]) == 0
    with zipfile.ZipFile(folder / "autograder.zip") as archive:
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & stat.S_IXUSR, f"{script} must be executable"
    return folder / "autograder.zip"


def _shims(folder: Path, python3: str) -> Path:
    """A bin folder with apt-get and python3 stand-ins (see PYTHON3_SHIM)."""
    shims = folder / "shims"
    shims.mkdir()
    (shims / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> "{folder}/apt-get.log"\n')
    (shims / "python3").write_text(PYTHON3_SHIM.format(
        real=python3, deps=" ".join(f"'{p}'" for p in site.getsitepackages()),
        log=folder / "pip.log"))
    for shim in shims.iterdir():
        shim.chmod(0o755)
    return shims


def _setup(bundle: Path, root: Path, python3: str = sys.executable) -> subprocess.CompletedProcess:
    """Build the image as Gradescope does: unzip into source/, run setup.sh, copy
    run_autograder."""
    source = root / "source"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(source)
        for info in archive.infolist():
            (source / info.filename).chmod(info.external_attr >> 16)
    build = root.parent / f"{root.name}-build"
    build.mkdir()
    shims = _shims(build, python3)
    done = subprocess.run(["bash", str(source / "setup.sh")], cwd="/", capture_output=True,
                          text=True, timeout=120,
                          env={"PATH": f"{shims}:{CLEAN_PATH}", "HOME": str(build)})
    if done.returncode == 0:
        shutil.copy2(source / "run_autograder", root / "run_autograder")
    return done


def _run(bundle: Path, root: Path, files: dict[str, str]) -> dict:
    return _run_with_log(bundle, root, files)[0]


def _run_with_log(bundle: Path, root: Path, files: dict[str, str]) -> tuple[dict, str]:
    built = _setup(bundle, root)
    assert built.returncode == 0, built.stderr
    submission = root / "submission"
    submission.mkdir(parents=True)
    for name, text in files.items():
        (submission / name).parent.mkdir(parents=True, exist_ok=True)
        (submission / name).write_text(text, encoding="utf-8")
    # Gradescope's harness: the copy at the root, run from the root, nothing inherited.
    done = subprocess.run([str(root / "run_autograder")], cwd=root, capture_output=True,
                          text=True, timeout=600, env={"PATH": CLEAN_PATH, "HOME": str(root)})
    assert done.returncode == 0, done.stderr
    payload = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(payload, RESULTS_SCHEMA)
    return payload, done.stdout


def test_bundle_holds_setup_runner_and_hidden_checks(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        setup = archive.read("setup.sh").decode()
    assert setup.startswith("#!/usr/bin/env bash") and "bubblewrap" in setup
    assert any(n.startswith(f"{BUNDLE_PACKAGE}/nnex/graders/") and n.endswith("/test_hidden.py")
               for n in names)
    # ex03's and ex05's graders import their shared helpers.
    for exercise_id in ("ex03_network", "ex05_backprop"):
        assert f"{BUNDLE_PACKAGE}/nnex/graders/{exercise_id}/helpers.py" in names


def test_setup_installs_into_the_root_and_hides_the_solutions(bundle, tmp_path):
    root = tmp_path / "autograder"
    assert _setup(bundle, root).returncode == 0
    assert "bubblewrap" in (tmp_path / "autograder-build" / "apt-get.log").read_text()
    assert "numpy" in (tmp_path / "autograder-build" / "pip.log").read_text()
    assert (root / "nnex-venv" / "bin" / "python").exists()
    solutions = root / "source" / BUNDLE_PACKAGE / "nnex" / "solutions"
    assert stat.S_IMODE(solutions.stat().st_mode) & 0o077 == 0


@pytest.mark.skipif(not OLD_PYTHONS, reason="no Python older than 3.10 on this machine")
@pytest.mark.parametrize("old_python", OLD_PYTHONS, ids=lambda p: p.name)
def test_setup_refuses_an_old_python_with_a_clear_message(bundle, tmp_path, old_python):
    root = tmp_path / "autograder"
    done = _setup(bundle, root, str(old_python))
    assert done.returncode != 0
    version = subprocess.run([old_python, "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True).stdout.strip()
    assert f"this base image has Python {version}; nnex needs Python 3.10 or newer" in done.stderr
    assert "Ubuntu 22.04 or newer" in done.stderr
    assert "Traceback" not in done.stderr and not (root / "nnex-venv").exists()


def test_without_setup_run_autograder_still_writes_results(bundle, place):
    root = place / "no-setup"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copyfile(root / "source" / "run_autograder", root / "run_autograder")
    done = subprocess.run(["bash", str(root / "run_autograder")], cwd=root, capture_output=True,
                          text=True, env={"PATH": CLEAN_PATH, "HOME": str(root)})
    assert done.returncode == 1 and "setup.sh did not finish" in done.stderr
    payload = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert payload["score"] == 0 and "The autograder is not set up" in payload["output"]


def test_correct_partial_broken_and_notebook_submissions(bundle, place, course):
    solutions = {f"{e}.py": course.solution_path(e).read_text() for e in course.exercise_ids()}
    correct = _run(bundle, place / "correct", solutions)
    total = sum(t["max_score"] for t in correct["tests"])
    assert correct["score"] == total > 0
    assert all(t["status"] == "passed" for t in correct["tests"])

    partial_files = dict(solutions)
    partial_files["ex01_relu.py"] = partial_files["ex01_relu.py"].replace(
        "return x if x > 0 else alpha * x", "return x if x > 0 else 0.01 * x")
    partial = _run(bundle, place / "partial", partial_files)
    assert 0 < partial["score"] < total
    failed = [t for t in partial["tests"] if t["status"] == "failed"]
    assert failed and any("alpha" in t["output"] for t in failed)

    broken = _run(bundle, place / "broken", {"ex01_relu.py": "def relu(x)\n"})
    assert broken["score"] == 0
    assert any("文法エラー" in t["output"] or "syntax error" in t["output"]
               for t in broken["tests"])

    # A notebook, uploaded with a folder of the student's own (its one sub-folder is not
    # mistaken for the submission).
    notebook = _run(bundle, place / "notebook",
                    {"ex01_relu.ipynb": _notebook(course, "ex01_relu"), "figures/notes.txt": "x"})
    ex01 = [t for t in notebook["tests"] if t["extra_data"]["exercise"] == "ex01_relu"]
    assert ex01 and all(t["status"] == "passed" for t in ex01)
    assert notebook["score"] == sum(t["max_score"] for t in ex01)


# Knows the layout: tries to leave a file beside the bundle, then to run the bundle's reference.
HOSTILE = """
import sys
ROOT = {root!r}
try:
    open(ROOT + "/source/pwned", "w").write("x")
except OSError:
    pass
try:
    sys.path.insert(0, ROOT + "/source/nnex-src")
    from nnex.solutions.ex01_relu import relu, leaky_relu, sigmoid
except ImportError:
    exec(open(ROOT + "/source/nnex-src/nnex/solutions/ex01_relu.py").read())
"""


def test_hostile_upload_gains_nothing_under_bubblewrap(bundle, place, course):
    launcher_for("bwrap")  # skips where bubblewrap cannot run (fails under CI)
    root = place / "hostile"
    payload, log = _run_with_log(bundle, root, {"ex01_relu.py": HOSTILE.format(root=str(root))})
    assert "NOT isolated" not in log  # confined, as on Gradescope
    assert payload["score"] == 0
    assert not (root / "source" / "pwned").exists()
    ex01 = [t for t in payload["tests"] if t["extra_data"]["exercise"] == "ex01_relu"]
    assert ex01 and all(t["status"] == "failed" for t in ex01)


def _notebook(course, exercise_id: str) -> str:
    """The released notebook of ``exercise_id``, the reference solution in its solution cell."""
    import nbformat

    from nnex.kit.notebooks import build_notebook, fill_solution

    notebook = build_notebook(course.exercise(exercise_id), course)
    return nbformat.writes(fill_solution(notebook, course.solution_path(exercise_id).read_text()))


def test_bundle_needs_a_zip_path(tmp_path, capsys):
    assert main(["gradescope", "--out", str(tmp_path / "bundle.tar")]) == 2
    assert "Gradescope takes a .zip file" in capsys.readouterr().err


def test_container_without_namespaces_grades_under_rlimits_and_hides_the_solutions(
        bundle, place, course, tmp_path):
    # Gradescope's container may refuse bubblewrap its namespaces: a bwrap that fails stands in.
    shims = tmp_path / "no-namespaces"
    shims.mkdir()
    (shims / "bwrap").write_text("#!/bin/sh\necho 'bwrap: No permissions to create new "
                                 "namespace' >&2\nexit 1\n")
    (shims / "bwrap").chmod(0o755)
    root = place / "container"
    built = _setup(bundle, root)
    assert built.returncode == 0, built.stderr
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "ex01_relu.py").write_text(HOSTILE.format(root=str(root)))
    (root / "submission" / "ex02_neuron.py").write_text(
        course.solution_path("ex02_neuron").read_text())
    done = subprocess.run([str(root / "run_autograder")], cwd=root, capture_output=True,
                          text=True, timeout=600,
                          env={"PATH": f"{shims}:{CLEAN_PATH}", "HOME": str(root)})
    assert done.returncode == 0, done.stderr
    payload = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert "grading with --isolation rlimits" in done.stdout  # said to staff only
    assert "rlimits" not in payload["output"]
    by_exercise = {}
    for test in payload["tests"]:
        by_exercise.setdefault(test["extra_data"]["exercise"], []).append(test["status"])
    assert set(by_exercise["ex02_neuron"]) == {"passed"}
    assert set(by_exercise["ex01_relu"]) == {"failed"}  # the solutions stayed unreadable
    assert not (root / "source" / "pwned").exists()

"""Gradescope autograder bundles: build ``autograder.zip``, and grade inside Gradescope.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` from there once when
the image is built (it creates ``/autograder/nnex-venv``), copies ``run_autograder`` to
``/autograder/run_autograder`` and runs that copy from ``/autograder`` for each submission: the
student's files (``<exercise>.py`` or ``<exercise>.ipynb``) are in ``/autograder/submission``
and the result goes to ``/autograder/results/results.json``. ``run_autograder`` finds
everything relative to its own folder, so a copy laid out the same way in any folder works.

    python -m nnex.integrations.gradescope [--root /autograder]     # what run_autograder runs
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from nnex.course.content import Course
from nnex.errors import NnexError, UsageError
from nnex.kit.packaging import write_package

if TYPE_CHECKING:
    from nnex.sandbox.host import WorkerHost

BUNDLE_PACKAGE = "nnex-src"
ROOT_VARIABLE = "NNEX_AUTOGRADER_ROOT"
_FALLBACK_DEPENDENCIES = ("numpy>=1.23", "pytest>=8.0", "pyyaml>=6.0", "rich>=13.0",
                          "scikit-learn>=1.1")


def runtime_dependencies() -> list[str]:
    """nnex's own runtime requirements (no extras), as installed; the bundle installs these."""
    from importlib import metadata

    try:
        requirements = metadata.requires("nnex") or []
    except metadata.PackageNotFoundError:
        return list(_FALLBACK_DEPENDENCIES)
    return [r.split(";")[0].strip() for r in requirements if "extra ==" not in r]

MIN_PYTHON = (3, 10)  # pyproject.toml's requires-python
VENV = "nnex-venv"  # created by setup.sh next to source/, in the autograder root

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once while building the autograder image, as root, after unzipping the
# bundle into /autograder/source; it then copies run_autograder to /autograder/run_autograder.
set -euo pipefail
source_dir="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
root="$(dirname "$source_dir")"
apt-get update -qq
apt-get install -y -qq python3 python3-pip python3-venv bubblewrap
if ! python3 -c 'import sys; sys.exit(sys.version_info < {min_python})'; then
    echo "nnex setup.sh: このベースイメージの Python は $(python3 --version 2>&1) です。nnex には Python {min_text} 以上が必要です。" >&2
    echo "nnex setup.sh: this base image has $(python3 --version 2>&1); nnex needs Python {min_text} or newer." >&2
    echo "nnex setup.sh: choose Ubuntu 22.04 or newer as the base image (Configure Autograder) and rebuild." >&2
    exit 1
fi
python3 -m venv "$root/{venv}"
"$root/{venv}/bin/pip" install -q {dependencies}
# Student code runs as an unprivileged user; without a working sandbox it must still not be
# able to read the reference solutions or the hidden checks.
chmod -R go-rwx "$source_dir/{package}/nnex/solutions" "$source_dir/{package}/nnex/graders"
"""  # noqa: E501 - setup.sh's bytes: its bilingual echo lines stay whole

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs its copy of this file, /autograder/run_autograder, from /autograder for every
# submission: the bundle is in source/, setup.sh's Python in {venv}/, the upload in submission/.
# It always writes results/results.json.
root="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
python="$root/{venv}/bin/python"
if [ ! -x "$python" ]; then
    echo "nnex: $python is missing: setup.sh did not finish (see the image build log)" >&2
    mkdir -p "$root/results"
    printf '%s\\n' '{{"score": 0, "output": "採点環境の準備ができていません（先生に連絡してください）。/ The autograder is not set up (tell your instructor).", "tests": []}}' \\
        > "$root/results/results.json"
    exit 1
fi
export PYTHONPATH="$root/source/{package}"
exec "$python" -m nnex.integrations.gradescope --root "$root"
"""  # noqa: E501 - the fallback results.json is one JSON line for printf


def build_bundle(out: Path, *, exercise_ids: list[str] | None = None,
                 course: Course | None = None) -> Path:
    """Write the autograder zip (setup.sh, run_autograder, nnex with the hidden checks).

    Raises:
        UsageError: ``out`` is not a .zip path, or the hidden checks are not installed.
    """
    if out.suffix != ".zip":
        raise UsageError(f"--out {out}: Gradescope takes a .zip file, e.g. autograder.zip")
    course = course or Course.installed()
    exercises = course.exercises(exercise_ids)
    for meta in exercises:
        course.grader_files(meta.id, hidden=True)
    with tempfile.TemporaryDirectory() as temporary:
        staging = Path(temporary)
        write_package(staging / BUNDLE_PACKAGE, course, [m.id for m in exercises],
                      instructor=True, name="nnex-autograder")
        (staging / "setup.sh").write_text(
            SETUP_SH.format(dependencies=" ".join(f"'{d}'" for d in runtime_dependencies()),
                            package=BUNDLE_PACKAGE, venv=VENV, min_python=MIN_PYTHON,
                            min_text=".".join(map(str, MIN_PYTHON))))
        (staging / "run_autograder").write_text(
            RUN_AUTOGRADER.format(package=BUNDLE_PACKAGE, venv=VENV))
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(str(path.relative_to(staging)))
                    executable = path.name in ("setup.sh", "run_autograder")
                    info.external_attr = (0o755 if executable else 0o644) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    bundle.writestr(info, path.read_bytes())
        partial.replace(out)
    return out


def run_autograder(root: Path, *, isolation: str = "container") -> dict:
    """Grade ``root/submission`` with every check and write ``root/results/results.json``.

    Whatever happens, a results.json is written: an infrastructure failure gives score 0 with
    an explanation rather than a missing file (Gradescope would show a generic error).

    Args:
        root: Gradescope's ``/autograder``.
        isolation: "container" (the bundle's choice: bubblewrap where the container lets it
            run, else rlimits, said in the staff-only output), or any ``nnex grade --isolation``.
    """
    from nnex.render.gradescope import gradescope_results
    from nnex.grading.direct import run_plain_checks
    from nnex.sandbox.bubblewrap import make_host
    from nnex.grading.submissions import Submission
    from nnex.variants.identity import gradescope_identity

    started = time.monotonic()
    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    warnings: list[str] = []
    try:
        course = Course.installed()
        folder = _submission_folder(root / "submission", course.exercise_ids())
        host = _container_host(warnings.append) if isolation == "container" else \
            make_host(isolation, warn=warnings.append)
        try:
            # Per-student numbers (nnex.variants) follow the submitter Gradescope names.
            identity = gradescope_identity(root / "submission_metadata.json") or ""
            result = run_plain_checks([Submission(student="submission", folder=folder,
                                                  identity=identity)],
                                      course.exercises(), course=course, hidden=True,
                                      host=host)[0]
        finally:
            host.close()
        payload = gradescope_results(result)
    except NnexError as error:
        payload = {"score": 0, "output": f"採点できませんでした / Could not grade: {error}",
                   "tests": []}
    payload["execution_time"] = round(time.monotonic() - started, 3)
    for warning in warnings:  # for the instructor: Gradescope shows stdout to staff only
        print(f"nnex: warning: {warning}")
    (results_dir / "results.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1),
                                              encoding="utf-8")
    return payload


def _container_host(warn: Callable[[str], None]) -> "WorkerHost":
    """bubblewrap if Gradescope's container lets it make namespaces, else rlimits.

    Falling back is right here, and only here: the container holds one student's upload and
    nothing of other students; setup.sh made the reference solutions and hidden checks
    unreadable to any user but root, and student code runs as an unprivileged uid. What rlimits
    cannot hide (the network, the container's other files) is Gradescope's to confine.
    """
    from nnex.sandbox.bubblewrap import SandboxUnavailable, make_host

    try:
        return make_host("bwrap", warn=warn)
    except SandboxUnavailable as error:
        warn(f"bubblewrap cannot run in this container ({error}); grading with --isolation "
             "rlimits: student code runs as an unprivileged uid that cannot read the solutions "
             "or hidden checks, but sees the network and the container's other files.")
        return make_host("rlimits", warn=warn)


def _submission_folder(folder: Path, exercise_ids: list[str]) -> Path:
    """The folder holding the exercise files: the upload itself, or its one sub-folder."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no submission folder")
    if any((folder / f"{e}{suffix}").exists() for e in exercise_ids
           for suffix in (".py", ".ipynb")):
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))]
    return inner[0] if len(inner) == 1 else folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grade a Gradescope submission.")
    parser.add_argument("--root", type=Path,
                        default=Path(os.environ.get(ROOT_VARIABLE, "/autograder")))
    args = parser.parse_args(argv)
    payload = run_autograder(args.root)
    print(f"nnex: {payload.get('score', 0)} points; results in {args.root / 'results'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

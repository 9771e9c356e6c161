"""The README's first command, as README.md writes it, in a fresh clone with a fresh venv.

A newcomer clones the repository, makes a virtual environment and runs the README's first
command from the clone's root: a non-editable install, then ``nnex demo`` and ``nnex report``.
This guards what an editable install hides: the clone's ``./nnex/`` source folder (or any folder
named ``nnex``) in the current folder must never be what nnex's processes import. Only the
committed state is cloned (HEAD). CI (.ci/run) runs the README's second command as written.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnex.render.names import csv_cell

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git to clone the repository"),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout of nnex"),
]


def readme_commands() -> list[str]:
    """The commands of the README's first ``bash`` block (comments left out)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "README.md has no ```bash block"
    return [line for line in block.group(1).splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_ci_runs_the_readme_test_command_verbatim():
    second = readme_commands()[1]
    assert second.startswith("pip install -e ") and "pytest" in second, second
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert second in script


def _run(command: str | list[str], *, cwd: Path, venv: Path, timeout: float = 900
         ) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV", "NNEX"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               COLUMNS="120", PIP_DISABLE_PIP_VERSION_CHECK="1")
    shell = isinstance(command, str)
    return subprocess.run(["bash", "-c", command] if shell else command, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _fresh_venv(venv: Path) -> None:
    """A venv that sees this interpreter's installed packages (nothing to download) but not nnex.

    Like ``--system-site-packages``, but the folders are listed in a ``.pth`` file as plain
    paths: their own ``.pth`` files are not run, so an editable nnex of this interpreter (an
    import hook installed by a ``.pth``, as CI's ``pip install -e`` makes) stays invisible.
    """
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    installed = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))
                 and Path(p).is_dir()]
    Path(purelib, "nnex-test-dependencies.pth").write_text("\n".join(installed) + "\n",
                                                           encoding="utf-8")


def _where_nnex(venv: Path, cwd: Path) -> str:
    done = _run([str(venv / "bin" / "python"), "-c",
                 "import importlib.util as u; s = u.find_spec('nnex'); "
                 "print(s.origin if s else None)"], cwd=cwd, venv=venv)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_readme_first_command_works_in_a_fresh_clone(tmp_path):
    started = time.monotonic()
    # The clone is named nnex, so that its parent is "a folder that holds a folder named nnex".
    clone, venv = tmp_path / "nnex", tmp_path / "venv"
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", head], check=True)
    _fresh_venv(venv)
    assert _where_nnex(venv, tmp_path) == "None", "nnex is importable before it is installed"

    first = readme_commands()[0]
    assert first.startswith("pip install ") and "-e" not in first.split(), first
    done = _run(first, cwd=clone, venv=venv)
    assert done.returncode == 0, f"{first}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    installed = _where_nnex(venv, tmp_path)
    assert installed.startswith(str(venv)) and "site-packages" in installed, installed

    assert "cannot load grader" not in done.stdout + done.stderr
    assert "class report: nnex report nnex-demo-out" in done.stdout
    assert "report: nnex-demo-out/report.html" in done.stdout
    shown = Path(re.search(r"the demo class's submissions: (\S+)", done.stdout)[1])
    assert shown.is_relative_to(venv) and {p.name for p in shown.iterdir() if p.is_dir()} == {
        p.name for p in (clone / "examples" / "demo_class").iterdir() if p.is_dir()}
    out = clone / "nnex-demo-out"
    rows = list(csv.DictReader((out / "scores.csv").open(encoding="utf-8")))
    students = {row["student"] for row in rows}
    assert students == {csv_cell(p.name) for p in (clone / "examples" / "demo_class").iterdir()
                        if p.is_dir()}  # as scores.csv shows names ("'-k_suzuki": no formula)
    assert "grader_error" not in {row["status"] for row in rows}, rows
    totals = {s: sum(float(r["score"]) for r in rows if r["student"] == s) for s in students}
    maximum = max(sum(float(r["max_score"]) for r in rows if r["student"] == s)
                  for s in students)
    assert max(totals.values()) == maximum > 0, totals  # the correct student: full marks
    assert totals["tanaka_stub"] == 0, totals  # the untouched stubs
    assert any(0 < total < maximum for total in totals.values()), totals  # a partial one
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('<img src="data:image/png;base64,') >= 2

    # From a folder that merely holds a folder named nnex (the clone's parent).
    again = _run(["nnex", "grade", str(clone / "examples" / "demo_class"), "--out",
                  str(tmp_path / "out")], cwd=tmp_path, venv=venv)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "cannot import name" not in again.stderr
    again_rows = list(csv.DictReader((tmp_path / "out" / "scores.csv").open(encoding="utf-8")))
    assert [(r["student"], r["exercise"], r["score"]) for r in again_rows] == \
        [(r["student"], r["exercise"], r["score"]) for r in rows]
    print(f"fresh clone, README's first command and a second grade: "
          f"{time.monotonic() - started:.0f} s")

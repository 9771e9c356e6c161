"""The linter: ruff, configured in pyproject.toml, finds nothing in the code we write.

The course content students edit (exercises/, examples/, student_kit/) is excluded there; every
other exception is a per-line ``# noqa: CODE - reason``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ruff", reason="ruff is not installed (it is in the test extra: "
                                   "pip install -e '.[test]')")

REPO = Path(__file__).resolve().parent.parent
LINTED = ["nnex", "graders", "solutions", "benchmarks", "tests"]


def _ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           "--output-format", "concise", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_code_passes_ruff():
    result = _ruff(*LINTED, cwd=REPO)
    assert result.returncode == 0, (
        f"ruff finds problems; fix them (or, for an intended exception, add "
        f"`# noqa: CODE - reason` on the line):\n{result.stdout}{result.stderr}")


def test_the_configuration_catches_long_lines_and_unused_names(tmp_path):
    # Guards the configuration itself: a rule selection that silently lost pyflakes or the
    # 99-column limit would make the test above pass on anything.
    (tmp_path / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text("utf-8"),
                                             encoding="utf-8")
    (tmp_path / "sample.py").write_text(
        "import os\n"
        f"TEXT = '{'x' * 90}'\n"     # 99 columns: allowed
        f"TEXT2 = '{'x' * 90}'\n"    # 100 columns: too long
        "print(undefined_name)\n", encoding="utf-8")
    result = _ruff("sample.py", cwd=tmp_path)
    found = {line.split(": ", 1)[1].split()[0] + "@" + line.split(":")[1]
             for line in result.stdout.splitlines() if line.startswith("sample.py:")}
    assert found == {"F401@1", "E501@3", "F821@4"}, result.stdout + result.stderr

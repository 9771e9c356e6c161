"""Stored expected outputs of the renderers: compare, or refresh with NNEX_UPDATE_EXPECTED=1.

After a deliberate change to a renderer, run the tests once with ``NNEX_UPDATE_EXPECTED=1``,
look at the diff of ``tests/expected/`` (and open the HTML files in a browser), and commit it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

EXPECTED_DIR = Path(__file__).with_name("expected")
UPDATE_VARIABLE = "NNEX_UPDATE_EXPECTED"


def assert_matches_expected(name: str, actual: str) -> None:
    """Fail unless ``actual`` equals ``tests/expected/<name>`` (rewrite it in update mode)."""
    path = EXPECTED_DIR / name
    if os.environ.get(UPDATE_VARIABLE) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.is_file():
        pytest.fail(f"{path} does not exist; run the tests with {UPDATE_VARIABLE}=1 to write "
                    "it, then review and commit it")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"expected/{name}", "actual", n=2))
        pytest.fail(f"{name} differs from tests/expected/{name} (if intended, rerun with "
                    f"{UPDATE_VARIABLE}=1 and review the diff):\n{diff[:4000]}", pytrace=False)

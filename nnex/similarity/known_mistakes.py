"""Which hint keys name a known mistake: wrong answers that many students reach on their own.

A grader names a known mistake by the value a known-wrong implementation returns
(``expect_close(..., fingerprints={"relu_abs": np.abs(x)})``, the project's catalogue of wrong
implementations tests that each is recognised). When a failing check's hint key is one of these
keys, the student's wrong value is that mistake's value: common, not a sign of copying. The keys
are read from the grader files' dictionary literals whose keys are all hint keys of the
exercise, without running the graders.
"""

from __future__ import annotations

import ast
from pathlib import Path

from nnex.grading.checks import FLOAT32_HINT


def known_mistake_keys(grader_files: list[Path], hint_keys: set[str]) -> set[str]:
    """The hint keys that the graders use as fingerprints of known mistakes.

    Args:
        grader_files: the exercise's pytest files (public and hidden).
        hint_keys: the exercise's hint keys (``ExerciseMeta.hints``).

    Returns:
        The keys, with the shared hint for float32 arithmetic (a setting many students choose).
    """
    keys = {FLOAT32_HINT}
    for path in grader_files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict) or not node.keys:
                continue
            names = [key.value for key in node.keys
                     if isinstance(key, ast.Constant) and isinstance(key.value, str)]
            if len(names) == len(node.keys) and set(names) <= hint_keys:
                keys.update(names)
    return keys

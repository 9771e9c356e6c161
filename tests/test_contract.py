"""docs/contract.md, the student-facing contract, stays in step with the exercises.

Every exercise has a section whose names are exactly its ``provides`` (exercise.yaml), and whose
function signatures are the stub's. When the course's master copy of the contract is at hand
(``NNEX_CONTRACT``, or ``shared/exercise-contract.md`` beside the checkout), the layout, the
graders' rules and every exercise table it spells out must read the same.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

from nnex.course.content import Course

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "docs" / "contract.md"
COURSE = Course.installed()
NAME = re.compile(r"^\| `([A-Za-z_]\w*)(\([^`]*\))?`")


def sections(text: str) -> dict[str, str]:
    """``## heading`` → its text; exercise sections keyed by their id."""
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    return {re.split(r"[ —]", part, maxsplit=1)[0]: part for part in parts}


def table(section: str) -> list[str]:
    return [line for line in section.splitlines() if NAME.match(line)]


def entries(section: str) -> dict[str, str | None]:
    """Each table row's name → its ``(arguments)`` (None for a constant)."""
    return {m[1]: m[2] for m in map(NAME.match, table(section))}


def stub_signatures(exercise_id: str) -> dict[str, str]:
    tree = ast.parse(COURSE.stub_path(exercise_id).read_text(encoding="utf-8"))
    return {node.name: ast.unparse(node.args) for node in tree.body
            if isinstance(node, ast.FunctionDef)}


def master_contract() -> Path | None:
    candidates = [os.environ.get("NNEX_CONTRACT"),
                  *(folder / "shared" / "exercise-contract.md" for folder in ROOT.parents[:2])]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


DOCS = sections(CONTRACT.read_text(encoding="utf-8"))


def test_one_section_per_exercise():
    documented = [key for key in DOCS if re.fullmatch(r"ex\d\d_\w+", key)]
    missing = [e for e in COURSE.exercise_ids() if e not in documented]
    assert not missing, (f"docs/contract.md: add a section '## {missing[0]}' with a table of its "
                         "names and signatures — see docs/authoring.md#contract")
    assert documented == COURSE.exercise_ids()


@pytest.mark.parametrize("exercise_id", COURSE.exercise_ids())
def test_names_are_the_exercises_provides(exercise_id):
    assert sorted(entries(DOCS[exercise_id])) == sorted(COURSE.exercise(exercise_id).provides)


@pytest.mark.parametrize("exercise_id", COURSE.exercise_ids())
def test_signatures_are_the_stubs(exercise_id):
    stub = stub_signatures(exercise_id)
    for name, arguments in entries(DOCS[exercise_id]).items():
        if arguments is not None:
            assert f"({stub.get(name)})" == arguments, name


def test_it_reads_as_the_courses_master_copy():
    master = master_contract()
    if master is None:
        pytest.skip("the course's master contract is not here (set NNEX_CONTRACT to check)")
    theirs = sections(master.read_text(encoding="utf-8"))
    for key in ("Submission", "What"):
        assert DOCS[key] == theirs[key], key
    for key, section in theirs.items():
        if table(section):
            assert table(DOCS[key]) == table(section), key

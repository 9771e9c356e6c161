"""A new exercise's files, scaffolded from templates, and what of them is still to be written.

``new_exercise`` writes every file an exercise needs into a checkout of the course (see
``SCAFFOLD``); each holds comments saying what goes where and a ``TODO(new-exercise): …`` line
naming the part of docs/authoring.md to read. ``unfinished_parts`` lists the lines still there:
the content tests fail with them until every part is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nnex.errors import UsageError

MARKER = "TODO(new-exercise):"
"""Starts the instruction a scaffolded file carries until its part is written."""
PLACEHOLDER = "EXERCISE_ID"
"""Stands for the exercise's id in the templates."""
SCAFFOLD = {
    "exercises/{id}/exercise.yaml": "exercise.yaml.tmpl",
    "exercises/{id}/statement.md": "statement.md.tmpl",
    "exercises/{id}/stub.py": "stub.py.tmpl",
    "exercises/{id}/notebook.yaml": "notebook.yaml.tmpl",
    "solutions/{id}.py": "solution.py.tmpl",
    "graders/{id}/test_public.py": "test_public.py.tmpl",
    "graders/{id}/test_hidden.py": "test_hidden.py.tmpl",
    "graders/{id}/helpers.py": "helpers.py.tmpl",
    "tests/catalogue/{id}.py": "catalogue.py.tmpl",
}
"""Each file of an exercise (relative to the checkout) and its template in ``new_exercise/``."""

_TEMPLATES = Path(__file__).with_name("new_exercise")
_ID = re.compile(r"^ex\d{2}_[a-z][a-z0-9_]*$")
_INSTRUCTION = re.compile(re.escape(MARKER) + r"\s*(.*?)\s*(?:-->)?$")


@dataclass(frozen=True)
class UnfinishedPart:
    """One scaffold instruction still in a file."""

    path: str
    """The file, relative to the checkout (``exercises/ex07_x/statement.md``)."""
    instruction: str
    """What to do and where to read about it."""

    def __str__(self) -> str:
        return f"{self.path}: {self.instruction}"


def new_exercise(root: Path, exercise_id: str) -> list[Path]:
    """Write the scaffold of ``exercise_id`` into the course checkout ``root``.

    Args:
        root: the folder holding ``exercises/``, ``graders/``, ``solutions/`` and
            ``tests/catalogue/`` (a clone of the nnex repository).
        exercise_id: ``exNN_name``: two digits (the course order), then lower-case words.

    Returns:
        The files written, in ``SCAFFOLD``'s order.

    Raises:
        UsageError: a malformed id, a folder missing from ``root``, or an exercise that exists.
    """
    if not _ID.match(exercise_id):
        raise UsageError(f"exercise id '{exercise_id}' must look like ex07_softmax: 'ex', two "
                         "digits (its place in the course), '_', lower-case letters, digits, '_'")
    for folder in ("exercises", "graders", "solutions", "tests/catalogue"):
        if not (root / folder).is_dir():
            raise UsageError(f"{root / folder} is not a folder: new-exercise writes into a clone "
                             "of the nnex repository (pass --root, or run it in the clone)")
    paths = [root / relative.format(id=exercise_id) for relative in SCAFFOLD]
    existing = [t for t in paths if t.exists()]
    if existing:
        raise UsageError(f"{existing[0]} exists: {exercise_id} is already an exercise; "
                         "choose another id")
    for target, template in zip(paths, SCAFFOLD.values()):
        text = (_TEMPLATES / template).read_text(encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(PLACEHOLDER, exercise_id), encoding="utf-8")
    return paths


def unfinished_parts(root: Path, exercise_id: str) -> list[UnfinishedPart]:
    """The scaffold instructions still in ``exercise_id``'s files under ``root``, in
    ``SCAFFOLD``'s order (empty once every part is written)."""
    found = []
    for relative in SCAFFOLD:
        path = relative.format(id=exercise_id)
        try:
            lines = (root / path).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            continue  # optional files (helpers.py, notebook.yaml); required ones have own tests
        for line in lines:
            match = _INSTRUCTION.search(line)
            if match:
                found.append(UnfinishedPart(path=path, instruction=match.group(1)))
    return found

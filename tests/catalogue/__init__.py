"""Per exercise: deliberately wrong implementations and differently-written correct ones.

Test-only: never shipped. Each exercise has a module ``tests/catalogue/<exercise>.py`` with
``WRONG`` (list of ``Wrong``) and ``CORRECT`` (list of ``Correct``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wrong:
    """A deliberately wrong implementation and the hint the grader must give for it.

    Attributes:
        name: a short id, used as the student's folder name in tests.
        source: the whole module's source text.
        hint: the key (in the exercise's ``hints``) that at least one failing check must give.
    """

    name: str
    source: str
    hint: str


@dataclass(frozen=True)
class Correct:
    """A correct implementation written in another style (loops, lists, NumPy, one-liners)."""

    name: str
    source: str

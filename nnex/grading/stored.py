"""Enums whose members are the strings nnex stores: in result files, CSVs and the gradebook."""

from __future__ import annotations

from enum import Enum


class StoredValue(str, Enum):
    """A ``(str, Enum)`` (Python 3.10 has no ``StrEnum``) whose members compare, hash, print and
    serialize as their value (``"passed"``), so stored files read the same as before enums."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

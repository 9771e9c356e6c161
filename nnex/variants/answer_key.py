"""Answers the student kit can check without holding them: salted hashes, one per variant.

``nnex release`` writes ``answer_key.json`` next to each exercise's metadata in the kit: for
every variant (and the lecture's numbers), a random salt and SHA-256(salt + the correctly
rounded answer). ``nnex check`` hashes the student's rounded answer the same way.

What this protects, and what not: the kit holds no answer in clear, and the salts make a
precomputed table useless, so a student cannot read the answer out of the kit, and a number
passed on by message is recognised as someone else's. It does not make the answers secret from
a determined student: the answer space is small (ex04: a few thousand two-decimal numbers), so
trying every candidate against one's own hash takes milliseconds — as does solving the exercise.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nnex.errors import CourseError
from nnex.variants.spec import Numbers, VariantSpec

KEY_FILE = "answer_key.json"
KEY_VERSION = 1


def canonical(value: float, decimals: int) -> str:
    """The answer as compared: rounded to ``decimals`` places, with no ``-0``."""
    text = f"{float(value):.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def numbers_key(numbers: Numbers) -> str:
    """``a_out=5,w_a=7,b_limit=4``: one variant, as a key of the answer key."""
    return ",".join(f"{name}={value:g}" for name, value in numbers.items())


def _digest(salt: str, answer: str) -> str:
    return hashlib.sha256(f"{salt}\n{answer}".encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ReferenceAnswers:
    """The instructor's side: answers computed by the reference solution's function."""

    answer_of: Callable[..., float]
    decimals: int

    def is_right(self, numbers: Numbers, value: float) -> bool:
        return canonical(self.answer_of(**numbers), self.decimals) == \
            canonical(value, self.decimals)


@dataclass(frozen=True)
class HashedAnswers:
    """The kit's side: the salted hashes of ``answer_key.json``."""

    entries: dict[str, dict[str, str]]
    decimals: int

    def is_right(self, numbers: Numbers, value: float) -> bool:
        entry = self.entries.get(numbers_key(numbers))
        return entry is not None and secrets.compare_digest(
            entry["hash"], _digest(entry["salt"], canonical(value, self.decimals)))


def write_answer_key(path: Path, spec: VariantSpec, answer_of: Callable[..., float]) -> None:
    """Write the salted hashes of every variant's answer (and the lecture's) to ``path``."""
    entries = {}
    for numbers in [spec.lecture, *spec.all_numbers()]:
        salt = secrets.token_hex(16)
        entries[numbers_key(numbers)] = {
            "salt": salt, "hash": _digest(salt, canonical(answer_of(**numbers), spec.decimals))}
    path.write_text(json.dumps({"key_version": KEY_VERSION, "decimals": spec.decimals,
                                "variants": entries}, indent=1) + "\n", encoding="utf-8")


def read_answer_key(path: Path) -> HashedAnswers:
    """The answer key of a kit.

    Raises:
        CourseError: missing or unreadable (the kit was not built by ``nnex release``).
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw["key_version"] != KEY_VERSION:
            raise ValueError(f"key_version {raw['key_version']}, this nnex reads {KEY_VERSION}")
        return HashedAnswers(entries=raw["variants"], decimals=int(raw["decimals"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CourseError(f"{path}: cannot read the answer key ({exc}); reinstall the kit "
                          "released by your instructor") from None

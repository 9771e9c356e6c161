"""Splitting a class into N shards by a stable hash of each student's name.

A student's shard depends on their name only, never on their position in the folder, so adding
or removing a student moves nobody else. Shards are numbered 1…N, as CI matrices count.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from nnex.errors import UsageError

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based: ``1/4`` … ``4/4``)."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, student: str) -> bool:
        """True when ``student`` belongs to this shard."""
        return shard_number(student, self.count) == self.index


def parse_shard(text: str, where: str = "--shard") -> Shard:
    """Read ``K/N`` (1 ≤ K ≤ N).

    Raises:
        UsageError: ``text`` is not of that form; the message names ``where``.
    """
    match = _SHARD.match(text)
    if match is None:
        raise UsageError(f"{where} '{text}' is not of the form K/N (e.g. 1/4 for the first of "
                         "four shards)")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise UsageError(f"{where} '{text}': K must be between 1 and N (e.g. 1/4 … 4/4)")
    return Shard(index, count)


def shard_number(student: str, count: int) -> int:
    """The shard (1…``count``) that ``student`` belongs to: SHA-256 of the name's bytes, mod N."""
    digest = hashlib.sha256(student.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1

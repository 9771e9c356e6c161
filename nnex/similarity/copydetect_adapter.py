"""The one module that touches copydetect: fingerprints of Python code and their overlap.

copydetect tokenizes with Pygments and writes every variable, attribute and function name as
one letter and drops comments and whitespace, so renaming and recommenting change nothing; the
filtered code's k-grams are hashed and winnowed (Schleimer, Wilkerson and Aiken, SIGMOD 2003)
into a set, so reordering functions changes nothing either. Hashes of the distribution code (all
its k-grams, window 1, as copydetect's own ``CopyDetector`` does for boilerplate) are removed
from every student's fingerprint.

copydetect hashes k-grams with Python's ``hash()``, which is salted anew in every process, so
which k-grams winnowing keeps, and with them every score, would change from one run to the next.
Here the k-grams are hashed with a fixed polynomial (Karp–Rabin) hash instead: the same class
gives the same scores on every run and every machine. Filtering, winnowing and comparing are
copydetect's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from copydetect import compare_files
from copydetect.utils import filter_code, get_token_coverage, winnow

NOISE_TOKENS = 25
"""k: matches shorter than this many filtered characters are ignored (copydetect's default)."""
GUARANTEE_TOKENS = 30
"""Matches at least this long are always found (copydetect's default)."""
_WINDOW = GUARANTEE_TOKENS - NOISE_TOKENS + 1
_BASE = np.uint64(1_000_003)


@dataclass(frozen=True)
class Fingerprint:
    """One file's winnowed k-gram hashes, with what copydetect's ``compare_files`` reads."""

    raw_code: str
    filtered_code: str
    offsets: np.ndarray
    hashes: frozenset[int]
    hash_idx: dict[int, list[int]]
    k: int
    token_coverage: int


@dataclass(frozen=True)
class Overlap:
    """How much of two files matches, and where (character ranges in each original text)."""

    share_a: float
    """Share of file A's own fingerprinted code (after the distribution code) found in B."""
    share_b: float
    regions_a: list[tuple[int, int]]
    regions_b: list[tuple[int, int]]


def distribution_hashes(code: str) -> np.ndarray:
    """Every k-gram hash of the distribution code (stub, statement's code), to be ignored."""
    return np.array(sorted(_fingerprint(code, window=1, boilerplate=None).hashes),
                    dtype=np.int64)


def fingerprint(code: str, distribution: np.ndarray) -> Fingerprint | None:
    """The fingerprint of one submission's code, or None when none of it is the student's own."""
    result = _fingerprint(code, window=_WINDOW, boilerplate=distribution)
    return result if result.hashes and result.token_coverage > 0 else None


def shared_fingerprints(a: Fingerprint, b: Fingerprint) -> float:
    """A quick estimate of ``overlap``'s mean share: the mean of the shares of each file's
    fingerprint hashes found in the other's (a set intersection, no positions)."""
    shared = len(a.hashes & b.hashes)
    return (shared / len(a.hashes) + shared / len(b.hashes)) / 2


def overlap(a: Fingerprint, b: Fingerprint) -> Overlap | None:
    """The overlap of two fingerprints, or None when they share nothing."""
    if a.hashes.isdisjoint(b.hashes):
        return None
    _, (share_a, share_b), (slices_a, slices_b) = compare_files(a, b)
    return Overlap(share_a=min(float(share_a), 1.0), share_b=min(float(share_b), 1.0),
                   regions_a=_regions(slices_a), regions_b=_regions(slices_b))


def kgram_hashes(text: str, k: int = NOISE_TOKENS) -> np.ndarray:
    """The hash of every k-character window of ``text``: the same on every run (unlike
    ``hash()``), as signed 64-bit integers like copydetect's."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < k:
        return np.zeros(0, dtype=np.int64)
    powers = _BASE ** np.arange(k - 1, -1, -1, dtype=np.uint64)
    windows = np.lib.stride_tricks.sliding_window_view(codes, k)
    with np.errstate(over="ignore"):
        return (windows * powers).sum(axis=1, dtype=np.uint64).view(np.int64)


def _fingerprint(code: str, *, window: int, boilerplate: np.ndarray | None) -> Fingerprint:
    filtered, offsets = filter_code(code, "submission.py", "python")
    hashes, positions = winnow(kgram_hashes(filtered), window, remove_duplicates=False)
    if boilerplate is not None and len(boilerplate) > 0:
        keep = ~np.isin(hashes, boilerplate)
        hashes, positions = hashes[keep], positions[keep]
    where: dict[int, list[int]] = {}
    for value, position in zip(hashes.tolist(), positions.tolist()):
        where.setdefault(value, []).append(position)
    return Fingerprint(raw_code=code, filtered_code=filtered, offsets=offsets,
                       hashes=frozenset(where), hash_idx=where, k=NOISE_TOKENS,
                       token_coverage=get_token_coverage(where, NOISE_TOKENS, len(filtered)))


def _regions(slices: np.ndarray) -> list[tuple[int, int]]:
    if len(slices) == 0 or len(slices[0]) == 0:
        return []
    return [(int(start), int(end)) for start, end in zip(slices[0], slices[1])]

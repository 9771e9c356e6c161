"""The one module that touches copydetect: fingerprints of Python code and their overlap.

copydetect tokenizes with Pygments and writes every variable, attribute and function name as
one letter and drops comments and whitespace, so renaming and recommenting change nothing; it
then keeps winnowed hashes of k-grams (Schleimer, Wilkerson and Aiken, SIGMOD 2003), a set, so
reordering functions changes nothing either. Hashes of the distribution code (all its k-grams,
window 1, as copydetect's own ``CopyDetector`` does for boilerplate) are removed from every
student's fingerprint.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from copydetect import CodeFingerprint, compare_files

NOISE_TOKENS = 25
"""k: matches shorter than this many filtered characters are ignored (copydetect's default)."""
GUARANTEE_TOKENS = 30
"""Matches at least this long are always found (copydetect's default)."""
_WINDOW = GUARANTEE_TOKENS - NOISE_TOKENS + 1


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
    return np.array(sorted(_fingerprint(code, window=1, boilerplate=None).hashes))


def fingerprint(code: str, distribution: np.ndarray) -> CodeFingerprint | None:
    """The fingerprint of one submission's code, or None when none of it is the student's own."""
    result = _fingerprint(code, window=_WINDOW, boilerplate=distribution)
    return result if result.hashes and result.token_coverage > 0 else None


def shared_fingerprints(a: CodeFingerprint, b: CodeFingerprint) -> float:
    """A quick estimate of ``overlap``'s mean share: the mean of the shares of each file's
    fingerprint hashes found in the other's (a set intersection, no positions)."""
    shared = len(a.hashes & b.hashes)
    return (shared / len(a.hashes) + shared / len(b.hashes)) / 2


def overlap(a: CodeFingerprint, b: CodeFingerprint) -> Overlap | None:
    """The overlap of two fingerprints, or None when they share nothing."""
    if a.hashes.isdisjoint(b.hashes):
        return None
    _, (share_a, share_b), (slices_a, slices_b) = compare_files(a, b)
    return Overlap(share_a=min(float(share_a), 1.0), share_b=min(float(share_b), 1.0),
                   regions_a=_regions(slices_a), regions_b=_regions(slices_b))


def _fingerprint(code: str, *, window: int, boilerplate: np.ndarray | None) -> CodeFingerprint:
    return CodeFingerprint("submission.py", NOISE_TOKENS, window, boilerplate=boilerplate,
                           language="python", fp=io.StringIO(code))


def _regions(slices: np.ndarray) -> list[tuple[int, int]]:
    if len(slices) == 0 or len(slices[0]) == 0:
        return []
    return [(int(start), int(end)) for start, end in zip(slices[0], slices[1])]

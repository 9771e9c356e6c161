"""Ranking the pairs of students whose code for an exercise is most alike."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from itertools import combinations

from nnex.similarity import copydetect_adapter
from nnex.similarity.sources import ExerciseSources

CANDIDATES = 200
"""Pairs of an exercise measured exactly: those sharing the most fingerprints. The quick
estimate (a set intersection) keeps 300 students' 44,850 pairs an exercise to seconds; the
exact overlap (copydetect's ``compare_files``, with the matching regions) ranks the rest."""


@dataclass(frozen=True)
class CodePair:
    """Two students' code for one exercise and what of it matches."""

    exercise: str
    student_a: str
    student_b: str
    overlap: copydetect_adapter.Overlap

    @property
    def score(self) -> float:
        """The mean of the two shares: 1.0 when each file's own code is all found in the other.

        The mean rather than the larger share, so that a short file whose few lines anyone
        would write does not rank above two long files that match throughout.
        """
        return (self.overlap.share_a + self.overlap.share_b) / 2


def rank_pairs(sources: ExerciseSources, *, candidates: int = CANDIDATES) -> list[CodePair]:
    """The pairs of students of one exercise whose own code overlaps most, most alike first.

    Code that is the distribution code's (stub, statement) does not count; a file with no
    code of the student's own is in no pair.

    Args:
        sources: the exercise's code across the class.
        candidates: how many pairs, those sharing the most fingerprints, are measured exactly
            and returned.
    """
    distribution = copydetect_adapter.distribution_hashes(sources.distribution)
    prints = {}
    for student, code in sources.code.items():
        fingerprint = copydetect_adapter.fingerprint(code, distribution)
        if fingerprint is not None:
            prints[student] = fingerprint
    estimates = [(copydetect_adapter.shared_fingerprints(prints[a], prints[b]), a, b)
                 for a, b in combinations(sorted(prints), 2)]
    estimates = heapq.nlargest(candidates, (e for e in estimates if e[0] > 0),
                               key=lambda e: e[0])
    pairs = []
    for _, a, b in estimates:
        found = copydetect_adapter.overlap(prints[a], prints[b])
        if found is not None:
            pairs.append(CodePair(sources.exercise, a, b, found))
    pairs.sort(key=lambda pair: (-pair.score, pair.student_a, pair.student_b))
    return pairs

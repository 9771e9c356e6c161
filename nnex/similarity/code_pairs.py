"""Ranking the pairs of students whose code for an exercise is most alike."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from nnex.similarity import copydetect_adapter
from nnex.similarity.sources import ExerciseSources


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


def rank_pairs(sources: ExerciseSources) -> list[CodePair]:
    """Every pair of students of one exercise whose own code overlaps, most alike first.

    Code that is the distribution code's (stub, statement) does not count; a file with no
    code of the student's own is in no pair.
    """
    distribution = copydetect_adapter.distribution_hashes(sources.distribution)
    prints = {}
    for student, code in sources.code.items():
        fingerprint = copydetect_adapter.fingerprint(code, distribution)
        if fingerprint is not None:
            prints[student] = fingerprint
    pairs = []
    for a, b in combinations(sorted(prints), 2):
        found = copydetect_adapter.overlap(prints[a], prints[b])
        if found is not None:
            pairs.append(CodePair(sources.exercise, a, b, found))
    pairs.sort(key=lambda pair: (-pair.score, pair.student_a, pair.student_b))
    return pairs

"""Students whose failing checks got the same rare wrong values: clusters per exercise.

A wrong value is one failing check's ``(check, what was called, what it returned)`` in the
results. Two kinds of wrong value are common, reached by many students on their own, and are
never evidence:

- a known mistake: the grader recognised it and named it (its hint key is a fingerprint of a
  known-wrong implementation, ``nnex.similarity.known_mistakes``);
- a frequent one: more students than ``max(2, common_share × students graded)`` reached it.

Every other wrong value is rare. Students who share rare wrong values form a cluster; clusters
are ranked by how many rare wrong values their students share, then by how few students share
them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from nnex.grading.results import FAILED, GRADED, SubmissionResult

COMMON_SHARE = 0.05
"""A wrong value reached by more than this share of the students graded is common."""


@dataclass(frozen=True, order=True)
class WrongValue:
    """What one failing check got."""

    check: str
    what: str
    actual: str
    hint_key: str | None = None
    """The hint the grader gave (the same value of the same check always gets the same)."""


@dataclass(frozen=True)
class WrongAnswerCluster:
    """Students of one exercise whose failing checks got the same rare wrong values."""

    exercise: str
    students: tuple[str, ...]
    values: tuple[WrongValue, ...]
    reached_by: tuple[int, ...]
    """For each value, how many students of the class got it."""


@dataclass(frozen=True)
class WrongAnswerSummary:
    """The clusters of one exercise and what was left out as common."""

    exercise: str
    clusters: list[WrongAnswerCluster]
    students: int
    """Students graded on the exercise."""
    known: int
    """Distinct wrong values left out because the grader named them as a known mistake."""
    frequent: int
    """Distinct wrong values left out because too many students reached them."""
    common_limit: int
    """A wrong value reached by more students than this is frequent."""


def cluster_wrong_answers(results: list[SubmissionResult], exercise_id: str,
                          known_keys: set[str], *,
                          common_share: float = COMMON_SHARE) -> WrongAnswerSummary:
    """The clusters of identical rare wrong values on ``exercise_id``, most shared first.

    Args:
        results: every student's result.
        exercise_id: the exercise.
        known_keys: hint keys that name a known mistake (``known_mistake_keys``).
        common_share: the frequency cut-off, as a share of the students graded.
    """
    by_student: dict[str, set[WrongValue]] = {}
    known_values: set[WrongValue] = set()
    for result in results:
        exercise = next((e for e in result.exercises if e.exercise == exercise_id), None)
        if exercise is None or exercise.status != GRADED:
            continue
        wrong = set()
        for check in exercise.checks:
            if check.outcome == FAILED and check.actual is not None:
                value = WrongValue(check.name, check.what or "", check.actual, check.hint_key)
                (known_values if check.hint_key in known_keys else wrong).add(value)
        by_student[result.student] = wrong
    reached = defaultdict(int)
    for values in by_student.values():
        for value in values:
            reached[value] += 1
    limit = max(2, int(common_share * len(by_student)))
    frequent = {value for value, count in reached.items() if count > limit}
    rare = {student: values - frequent - known_values
            for student, values in by_student.items()}
    groups: dict[frozenset[WrongValue], set[str]] = defaultdict(set)
    for a, b in combinations(sorted(s for s, values in rare.items() if values), 2):
        shared = frozenset(rare[a] & rare[b])
        if shared:
            groups[shared].update((a, b))
    clusters = [WrongAnswerCluster(exercise_id, tuple(sorted(students)), tuple(sorted(shared)),
                                   tuple(reached[value] for value in sorted(shared)))
                for shared, students in groups.items()]
    clusters.sort(key=lambda c: (-len(c.values), len(c.students), c.students))
    return WrongAnswerSummary(exercise_id, clusters, len(by_student),
                              known=len(known_values - frequent), frequent=len(frequent),
                              common_limit=limit)

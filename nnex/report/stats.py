"""A graded class summed up as plain data: scores, pass rates, frequent mistakes, failed runs."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from nnex.grading.problems import ProblemKind
from nnex.grading.results import (GRADER_ERROR, MISSING, NOT_ATTEMPTED, NOT_LOADABLE, PASSED,
                                  CheckResult, ExerciseResult, SubmissionResult)
from nnex.text import Text

RESOURCE_KINDS = (ProblemKind.TIMEOUT, ProblemKind.BUDGET, ProblemKind.MEMORY,
                  ProblemKind.MEMORY_TOTAL, ProblemKind.CRASH)
"""Check error kinds that mean the code ran out of time or memory, or its process died."""


@dataclass
class CheckStats:
    """How the class did on one check."""

    name: str
    title: Text
    visibility: str
    passed: int = 0
    ran: int = 0
    """Students whose code ran this check: loadable, not the stub, no grader error."""

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.ran if self.ran else None


@dataclass
class ExerciseStats:
    """How the class did on one exercise."""

    exercise: str
    title: Text
    max_score: float
    scores: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    checks: list[CheckStats] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.scores) if self.scores else 0.0


@dataclass
class HintStats:
    """One hint (a named mistake) and how many students got it on one exercise."""

    exercise: str
    key: str | None
    """The hint's key; None for failures that came with no hint (the grader named no mistake)."""
    hint: Text | None
    students: int = 0
    checks: list[str] = field(default_factory=list)


@dataclass
class RunProblem:
    """A student's exercise whose code could not be graded normally."""

    student: str
    exercise: str
    problem: str
    """``not_loadable``, ``grader_error`` or one of ``RESOURCE_KINDS``."""
    reason: Text | None
    checks: list[str] = field(default_factory=list)
    detail: str | None = None
    """For grader errors: the grader's own report (instructors only)."""


@dataclass
class StudentTime:
    """How long one student's grading took."""

    student: str
    seconds: float
    score: float
    max_score: float


@dataclass
class ClassStats:
    """The whole class report's data."""

    size: int
    max_score: float
    scores: list[float]
    exercises: list[ExerciseStats]
    hints: list[HintStats]
    problems: list[RunProblem]
    slowest: list[StudentTime]
    missing: dict[str, list[str]] = field(default_factory=dict)
    """Per student, the exercises whose file was never submitted (not a failure to run)."""

    @property
    def missing_count(self) -> int:
        """How many (student, exercise) pairs were never submitted."""
        return sum(len(exercises) for exercises in self.missing.values())

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.scores) if self.scores else 0.0

    @property
    def full_marks(self) -> int:
        return sum(1 for score in self.scores if self.max_score and score == self.max_score)

    def problem_count(self, *problems: str) -> int:
        """How many (student, exercise) pairs had one of ``problems``."""
        return sum(1 for row in self.problems if row.problem in problems)


def class_stats(results: list[SubmissionResult], *, slowest: int = 10) -> ClassStats:
    """Sum up a graded class.

    Args:
        results: one result per student.
        slowest: how many of the slowest students to list.

    Returns:
        The report's data. Pass rates count only students whose code ran the check; mean
        scores count every student (an exercise not handed in scores 0).
    """
    exercises: dict[str, ExerciseStats] = {}
    hints: dict[tuple[str, str | None], HintStats] = {}
    problems: list[RunProblem] = []
    missing: dict[str, list[str]] = {}
    for result in results:
        for exercise in result.exercises:
            stats = exercises.get(exercise.exercise)
            if stats is None:
                stats = exercises[exercise.exercise] = ExerciseStats(
                    exercise.exercise, exercise.title, exercise.max_score)
            _add_exercise(stats, exercise)
            _add_hints(hints, exercise)
            problems += _run_problems(result.student, exercise)
            if exercise.status == MISSING:
                missing.setdefault(result.student, []).append(exercise.exercise)
    times = sorted((StudentTime(r.student, r.seconds, r.score, r.max_score) for r in results),
                   key=lambda row: (-row.seconds, row.student))
    order = list(exercises)
    ranked = sorted(hints.values(), key=lambda h: (order.index(h.exercise), h.key is None,
                                                   -h.students, h.key or ""))
    return ClassStats(size=len(results), max_score=max((r.max_score for r in results), default=0),
                      scores=[r.score for r in results], exercises=list(exercises.values()),
                      hints=ranked, problems=problems, slowest=times[:slowest],
                      missing=missing)


def check_ran(exercise: ExerciseResult, check: CheckResult) -> bool:
    """True when the student's code really ran ``check`` (so pass/fail says something)."""
    return (exercise.reason is None and exercise.status != NOT_ATTEMPTED
            and check.outcome != GRADER_ERROR)


def _add_exercise(stats: ExerciseStats, exercise: ExerciseResult) -> None:
    stats.max_score = max(stats.max_score, exercise.max_score)
    stats.scores.append(exercise.score)
    stats.statuses[exercise.status] = stats.statuses.get(exercise.status, 0) + 1
    by_name = {check.name: check for check in stats.checks}
    for check in exercise.checks:
        row = by_name.get(check.name)
        if row is None:
            row = CheckStats(check.name, check.title, check.visibility)
            stats.checks.append(row)
            by_name[check.name] = row
        if check_ran(exercise, check):
            row.ran += 1
            row.passed += check.outcome == PASSED


def _add_hints(hints: dict, exercise: ExerciseResult) -> None:
    """Count each hint once per student and exercise, however many checks gave it."""
    seen: set[str | None] = set()
    for check in exercise.checks:
        if check.outcome == PASSED or not check_ran(exercise, check):
            continue
        key = check.hint_key if check.hint is not None else None
        if key is None and check.kind in RESOURCE_KINDS:
            continue  # listed with the failures to run, not as an unnamed mistake
        row = hints.setdefault((exercise.exercise, key),
                               HintStats(exercise.exercise, key, check.hint))
        if check.name not in row.checks:
            row.checks.append(check.name)
        if key not in seen:
            seen.add(key)
            row.students += 1


def _run_problems(student: str, exercise: ExerciseResult) -> list[RunProblem]:
    if exercise.status == MISSING:
        return []  # not a failure to run: listed under ClassStats.missing
    if exercise.status == NOT_LOADABLE:
        return [RunProblem(student, exercise.exercise, NOT_LOADABLE, exercise.reason)]
    rows: dict[str, RunProblem] = {}
    for check in exercise.checks:
        if check.outcome == GRADER_ERROR:
            problem = GRADER_ERROR
        elif check.kind in RESOURCE_KINDS:
            problem = check.kind
        else:
            continue
        # A grader error's message is the student's "not your fault"; the instructor needs
        # the grader's own report instead (``detail``).
        reason = None if problem == GRADER_ERROR else check.message
        row = rows.setdefault(problem, RunProblem(student, exercise.exercise, problem, reason))
        row.checks.append(check.name)
        if problem == GRADER_ERROR and check.problem and row.detail is None:
            row.detail = check.problem
    return list(rows.values())

"""Finding the leads of a class: alike code pairs and identical wrong answers, per exercise."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from nnex.course.content import Course
from nnex.grading.submissions import discover
from nnex.classgrade.layout import OutputLayout
from nnex.report.loader import load_class
from nnex.report.stamp import results_stamp
from nnex.similarity.code_pairs import CodePair, rank_pairs
from nnex.similarity.known_mistakes import known_mistake_keys
from nnex.similarity.sources import ExerciseSources, read_sources
from nnex.similarity.wrong_answers import (COMMON_SHARE, WrongAnswerSummary,
                                           cluster_wrong_answers)


@dataclass
class SimilarityFindings:
    """Everything the similarity page and CSV files show."""

    exercises: list[str]
    students: int
    sources: dict[str, ExerciseSources]
    pairs: dict[str, list[CodePair]]
    """Per exercise, every pair whose own code overlaps, most alike first."""
    wrong_answers: dict[str, WrongAnswerSummary] = field(default_factory=dict)
    """Per exercise; empty when the class was not graded into the output folder."""
    seconds: float = 0.0
    made_at: str = ""
    """When the comparison started, ISO 8601 UTC to the second (the page and gradebook show it)."""
    results_stamp: str | None = None
    """``nnex.report.stamp.results_stamp`` of the graded results compared (None: code only), so
    that a later grading can mark the page stale."""


def find_similarities(submissions_dir: Path, *, graded: Path | None = None,
                      exercise_ids: list[str] | None = None, course: Course | None = None,
                      common_share: float = COMMON_SHARE) -> SimilarityFindings:
    """Compare every student's code with every other's, per exercise, and cluster identical
    wrong answers when the class has been graded.

    Args:
        submissions_dir: one folder per student (as for ``nnex grade``).
        graded: a folder written by ``nnex grade``; its ``results/`` give the wrong answers.
            None, or a folder without results: code only.
        exercise_ids: the exercises to compare (default: all).
        course: the course (default: the installed one).
        common_share: the wrong answers' frequency cut-off (``cluster_wrong_answers``).

    Raises:
        SubmissionError: ``submissions_dir`` is missing or holds no student folder.
        UsageError: an unknown exercise.
        ReportError: the graded folder's results cannot be read.
    """
    started = time.perf_counter()
    made_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    course = course or Course.installed()
    exercises = course.exercises(exercise_ids)
    ids = [exercise.id for exercise in exercises]
    submissions = discover(submissions_dir)
    sources = {s.exercise: s for s in read_sources(submissions, ids, course)}
    findings = SimilarityFindings(ids, len(submissions), sources,
                                  {i: rank_pairs(sources[i]) for i in ids}, made_at=made_at)
    if graded is not None and OutputLayout(graded).results.is_dir():
        results = load_class(graded)
        findings.results_stamp = results_stamp(results)
        for exercise in exercises:
            graders = sorted((course.graders_dir / exercise.id).glob("test_*.py"))
            known = known_mistake_keys(graders, set(exercise.hints))
            findings.wrong_answers[exercise.id] = cluster_wrong_answers(
                results, exercise.id, known, common_share=common_share)
    findings.seconds = time.perf_counter() - started
    return findings

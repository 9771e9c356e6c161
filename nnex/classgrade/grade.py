"""The instructor's grading of a whole class: every student, every exercise, hidden checks too.

``grade_class`` checks every input before it writes anything, reuses the results of students
whose files and graders are unchanged (``OUT/results``), grades the others in parallel
(``nnex.classgrade.pool``), then writes the gradebook and the output files.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nnex import __version__
from nnex.classgrade.pool_worker import settings_for
from nnex.classgrade.pool import Job, PoolOutcome, grade_jobs
from nnex.classgrade.layout import OutputLayout, check_out_folder
from nnex.classgrade.records import (ResultRecord, fingerprint, grader_version, isolations_of,
                                     load_records, remove_stale, utc_now)
from nnex.course.content import Course
from nnex.course.metadata import ExerciseMeta
from nnex.errors import UsageError
from nnex.files import folder_lock
from nnex.classgrade.gradebook import RunInfo, check_gradebook, record_run
from nnex.sandbox.cgroups import NONE
from nnex.sandbox.host import Limits
from nnex.classgrade.outputs import Manifest, StalePages, read_manifest, write_outputs
from nnex.grading.results import SubmissionResult
from nnex.sandbox.bubblewrap import DEFAULT_ISOLATION, choose_launcher
from nnex.classgrade.shards import Shard
from nnex.grading.submissions import Submission, discover, folder_notes


@dataclass
class ClassResult:
    """The results of grading one submissions folder (or one shard of it)."""

    exercise_ids: list[str]
    submissions: list[SubmissionResult]
    """Every student's result, sorted by student."""
    out: Path
    graded: list[str] = field(default_factory=list)
    """Students graded by this run."""
    reused: list[str] = field(default_factory=list)
    """Students whose earlier result was kept (files and graders unchanged)."""
    isolation: str | None = None
    """The confinement student code ran under: "bwrap" or "rlimits" (limits only)."""
    total_limit: str | None = None
    """Each sandbox's total memory and process limit: "cgroup v1", "cgroup v2" or "none (why)"
    (None: nothing was graded by this run)."""
    warnings: list[str] = field(default_factory=list)
    stale: StalePages = field(default_factory=StalePages)
    """Pages in ``out`` that show an earlier grading (now marked so in the page)."""


def available_cores() -> int:
    """The cores this process may run on (what ``--workers`` defaults to)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def check_workers(workers: int | str | None) -> int:
    """The number of grading processes ``workers`` asks for (None: ``available_cores()``).

    Args:
        workers: a whole number, as a number or as the text given to ``--workers``.

    Raises:
        UsageError: not a whole number of at least 1.
    """
    if workers is None:
        return available_cores()
    try:
        value = int(workers) if isinstance(workers, (int, str)) else 0
    except ValueError:
        value = 0
    if value < 1 or isinstance(workers, bool):
        raise UsageError(f"--workers '{workers}': give a whole number of grading processes, "
                         "1 or more")
    return value


def grade_class(submissions_dir: Path, out: Path, *, exercise_ids: list[str] | None = None,
                isolation: str = DEFAULT_ISOLATION, limits: Limits | None = None,
                course: Course | None = None, workers: int | str | None = None,
                shard: Shard | None = None, force: bool = False,
                on_start: Callable[[int, int], None] | None = None,
                on_result: Callable[[SubmissionResult], None] | None = None,
                warn: Callable[[str], None] | None = None,
                grader_command: list[str] | None = None) -> ClassResult:
    """Grade every student folder in ``submissions_dir`` and write the results to ``out``.

    Args:
        exercise_ids: the exercises to grade (all when empty).
        isolation: how student code is confined ("auto", "bwrap" or "rlimits").
        limits: resource limits for student code (defaults: ``Limits()``).
        workers: grading processes run in parallel, a number or the text of ``--workers``
            (default: ``available_cores()``).
        shard: grade only this shard's students (``nnex merge`` combines the shards).
        force: regrade every student, even those whose earlier result is still valid.
        on_start: called with the number of students and how many of them are already graded.
        on_result: called with each newly graded student's result as soon as it is complete.
        warn: receives warnings meant for the instructor (e.g. no sandbox).
        grader_command: the argv of a grading process (tests use it to inject failures).

    Raises:
        UsageError: ``out`` is inside ``submissions_dir`` or not a folder, holds another
            shard's results, an exercise is unknown, or ``workers`` is not a whole number
            of at least 1.
        SubmissionError: ``submissions_dir`` is missing, not a folder, or empty.
        GradebookError: ``out/gradebook.sqlite`` exists but is unusable.
        GraderError: the graders cannot run at all.
        SandboxUnavailable: ``isolation`` is "bwrap" and bubblewrap cannot work here.
    """
    course = course or Course.installed()
    workers = check_workers(workers)
    _checked_exercises(course, exercise_ids)  # before reading any submission
    check_out_folder(submissions_dir, out)
    everyone = discover(submissions_dir)
    for note in folder_notes(submissions_dir):
        if warn is not None:
            warn(note)
    return grade_submissions(everyone, out, origin=submissions_dir, exercise_ids=exercise_ids,
                             isolation=isolation, limits=limits, course=course,
                             workers=workers, shard=shard, force=force, on_start=on_start,
                             on_result=on_result, warn=warn, grader_command=grader_command)


def grade_submissions(everyone: list[Submission], out: Path, *, origin: Path,
                      exercise_ids: list[str] | None = None,
                      isolation: str = DEFAULT_ISOLATION, limits: Limits | None = None,
                      course: Course | None = None, workers: int | str | None = None,
                      shard: Shard | None = None, force: bool = False,
                      on_start: Callable[[int, int], None] | None = None,
                      on_result: Callable[[SubmissionResult], None] | None = None,
                      warn: Callable[[str], None] | None = None,
                      grader_command: list[str] | None = None) -> ClassResult:
    """Grade ``everyone`` (a whole class, however its submissions are read) into ``out``: the
    pipeline of ``grade_class``, which finds the class in a folder; ``nnex grade --nbgrader``
    finds it in an nbgrader course.

    Args:
        origin: where the submissions come from (recorded in the gradebook).
        the others: as for ``grade_class``.

    Raises:
        UsageError, GradebookError, GraderError, SandboxUnavailable: as for ``grade_class``.
    """
    course = course or Course.installed()
    workers = check_workers(workers)
    exercises = _checked_exercises(course, exercise_ids)
    check_out_folder(origin, out)
    layout = OutputLayout(out)
    _check_same_shard(out, shard)
    check_gradebook(layout.gradebook)
    # Probe the sandbox once, here, so that "bwrap" fails before anything is written and the
    # instructor is warned once, not once per grading process; the grading processes reuse
    # the runtime view (listing its libraries takes about a second).
    launcher = choose_launcher(isolation, warn=warn)
    used, view = launcher.name, getattr(launcher, "view", None)

    with folder_lock(out):
        ids = [meta.id for meta in exercises]
        version = grader_version(course, exercises)
        chosen = [s for s in everyone if shard is None or shard.holds(s.student)]
        names = [s.student for s in chosen]
        modules = course.exercise_ids()
        prints = {s.student: fingerprint(s, modules, version, ids, isolation=used)
                  for s in chosen}
        results_dir = layout.results
        kept = {} if force else {
            student: record for student, record in load_records(results_dir, names).items()
            if record.complete and record.fingerprint == prints[student]}

        started = utc_now()
        results_dir.mkdir(parents=True, exist_ok=True)
        remove_stale(results_dir, set(names))
        if on_start is not None:
            on_start(len(chosen), len(kept))
        fresh: dict[str, ResultRecord] = {}

        def collect(record: ResultRecord) -> None:
            fresh[record.student] = record
            if on_result is not None:
                on_result(record.result)

        jobs = [Job(s, prints[s.student]) for s in chosen if s.student not in kept]
        outcome = PoolOutcome()
        if jobs:
            settings = settings_for(course, ids, isolation=used, view=view,
                                    limits=limits or Limits(), results_dir=results_dir.resolve())
            outcome = grade_jobs(jobs, settings, workers=workers, results_dir=results_dir,
                                 exercises=exercises, on_record=collect, warn=warn,
                                 command=grader_command)

        if str(outcome.total_limit).startswith(NONE) and warn is not None:
            warn(f"no total memory or process limit per sandbox here: {outcome.total_limit}; "
                 "each child's own limits still hold (README: Security)")
        records = [fresh.get(name) or kept[name] for name in sorted(names)]
        isolation_used = outcome.isolation or used
        run = RunInfo(run_uuid=uuid.uuid4().hex, started_at=started, finished_at=utc_now(),
                      nnex_version=__version__, grader_version=version, exercises=ids,
                      shard=str(shard) if shard else None, isolation=isolation_used,
                      workers=workers, submissions_dir=str(origin.resolve()))
        record_run(layout.gradebook, run, [(r, r.student in kept) for r in records])
        manifest = Manifest(grader_version=version, exercises=ids, shard=run.shard,
                            class_size=len(everyone), roster=roster_hash(everyone),
                            students=sorted(names),
                            isolation=isolations_of(records), total_limit=outcome.total_limit)
        results = [record.result for record in records]
        stale = write_outputs(results, ids, out, manifest)
        return ClassResult(exercise_ids=ids, submissions=results, out=out, graded=sorted(fresh),
                           reused=sorted(kept), isolation=isolation_used,
                           total_limit=outcome.total_limit,
                           warnings=outcome.warnings, stale=stale)


def roster_hash(submissions: list[Submission]) -> str:
    """A hash of every student name of the class: the shards of one class agree on it."""
    names = "\0".join(sorted(s.student for s in submissions))
    return hashlib.sha256(names.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _checked_exercises(course: Course, exercise_ids: list[str] | None) -> list[ExerciseMeta]:
    """The exercises to grade, once they are known to be usable."""
    exercises = course.exercises(exercise_ids)
    for meta in exercises:
        course.grader_files(meta.id, hidden=True)  # fail early in a student kit
    return exercises


def _check_same_shard(out: Path, shard: Shard | None) -> None:
    manifest = read_manifest(out) if out.is_dir() else None
    if manifest is None or manifest.shard == (str(shard) if shard else None):
        return
    held = f"shard {manifest.shard}" if manifest.shard else "the whole class"
    wanted = f"shard {shard}" if shard else "the whole class"
    raise UsageError(f"--out {out} holds the results of {held}, not {wanted}; give each shard "
                     "its own output folder (nnex merge combines them) or delete this one")

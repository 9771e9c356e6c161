"""Parallel grading: N grading subprocesses fed batches of students, no student ever lost.

The parent never runs graders or student code. It starts ``nnex.classgrade.pool_worker`` processes
(``grader_command``: never imported from the current folder, which may hold a ``nnex`` source
folder), hands each a small batch of students whenever it is idle (dynamic assignment: one
slow student holds up one batch, not a whole share of the class), and collects the result
records they write. A grading process that dies or stops answering loses only its unfinished
students: they are graded again one at a time in a fresh process, and a student on whom the
grader fails twice gets a row that says so instead of a score.
"""

from __future__ import annotations

import json
import math
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nnex.render import names
from nnex.classgrade.records import (ResultRecord, new_record, read_record, record_path,
                                     write_record)
from nnex.errors import GraderError
from nnex.course.metadata import ExerciseMeta
from nnex.grading.results import GRADER_ERROR, CheckResult, ExerciseResult, SubmissionResult
from nnex.grading.submissions import Submission
from nnex.sandbox.cgroups import NONE
from nnex.text import Text

MAX_BATCH = 16
"""Students per pytest session at most: start-up is amortized, yet the tail stays balanced."""
MAX_ATTEMPTS = 2
RUN_MODULE = ("import runpy, sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; "
              "runpy.run_module(sys.argv.pop(1), run_name='__main__', alter_sys=True)")
"""``python -c RUN_MODULE MODULE ARGS`` is ``python -m MODULE ARGS`` without the current folder
on ``sys.path`` (what ``-P`` does from Python 3.11 on): a clone's ``./nnex/`` source folder, or
any folder named ``nnex``, must not hide the installed package."""
STARTUP_SECONDS = 60.0
"""Grace for a grading process to start and collect the graders, on top of the time limits."""

NOT_GRADED = Text("採点プログラムがこの提出物を採点できませんでした"
                  "（あなたのせいではありません）。"
                  "先生に知らせてください。",
                  "The grader could not grade this submission (not your fault); please tell "
                  "your instructor.")


@dataclass
class Job:
    """One student to grade."""

    submission: Submission
    fingerprint: str
    attempts: int = 0

    @property
    def student(self) -> str:
        return self.submission.student


@dataclass
class PoolOutcome:
    """What the pool tells the caller once every job has a record."""

    isolation: str | None = None
    """The confinement the grading processes actually used (None: none was started)."""
    warnings: list[str] = field(default_factory=list)
    total_limit: str | None = None
    """How each sandbox's total memory and processes were bounded ("cgroup v1", "cgroup v2",
    "none (why)"; a grading process without one wins)."""


def grade_jobs(jobs: list[Job], settings: dict, *, workers: int, results_dir: Path,
               exercises: list[ExerciseMeta], on_record: Callable[[ResultRecord], None],
               warn: Callable[[str], None] | None = None, command: list[str] | None = None,
               stall_seconds: float | None = None) -> PoolOutcome:
    """Grade ``jobs`` in up to ``workers`` grading processes; every job ends with a record.

    Args:
        settings: the grading processes' settings (``batch_grader.settings_for``).
        results_dir: where the records are written (it must exist).
        exercises: the exercises graded (for the rows of students the grader fails on).
        on_record: called in the parent with each student's record as soon as it exists.
        warn: receives warnings meant for the instructor (each distinct one once).
        command: the argv of a grading process (default: ``grader_command()``).
        stall_seconds: kill a grading process that reports nothing for this long once started
            (default: the exercises' time budgets plus ``STARTUP_SECONDS``).

    Raises:
        GraderError: the graders cannot run at all (a grading process cannot start, or reports
            that a grader does not load).
    """
    pool = _Pool(settings, workers=workers, results_dir=results_dir, exercises=exercises,
                 on_record=on_record, warn=warn, command=command, stall_seconds=stall_seconds)
    return pool.run(jobs)


def grader_command() -> list[str]:
    """The argv of a grading process: ``nnex.classgrade.pool_worker`` of the nnex this process
    imported, whatever the current folder holds; it stops when this process ends."""
    return [sys.executable, "-c", RUN_MODULE, "nnex.classgrade.pool_worker",
            "--parent-pid", str(os.getpid())]


def unrunnable_result(student: str, exercises: list[ExerciseMeta], problem: str
                      ) -> SubmissionResult:
    """A row for a student the grader could not grade: every check a grader error, 0 points.

    Args:
        problem: what went wrong, for the instructor.
    """
    result = SubmissionResult(student=student)
    for meta in exercises:
        checks = [CheckResult(name=check.name, title=check.title, points=0.0,
                              max_points=check.points, outcome=GRADER_ERROR,
                              message=NOT_GRADED, problem=problem)
                  for check in meta.checks.values()]
        result.exercises.append(ExerciseResult(exercise=meta.id, title=meta.title,
                                               checks=checks, reason=NOT_GRADED))
    return result


class _Grader:
    """One grading subprocess as the parent sees it."""

    def __init__(self, command: list[str], settings: dict):
        self.log = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self.log)
        except OSError as exc:
            raise GraderError(f"cannot start a grading process ({command[0]}): {exc}") from None
        self.buffer = b""
        self.batch: dict[str, Job] = {}
        self.busy = self.ready = False
        self.last_event = time.monotonic()
        self.send(settings)

    def send(self, message: dict) -> None:
        try:
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # it died; its output ends and the pool notices

    def assign(self, jobs: list[Job]) -> None:
        self.batch = {job.student: job for job in jobs}
        self.busy, self.last_event = True, time.monotonic()
        self.send([{**job.submission.to_wire(), "fingerprint": job.fingerprint}
                   for job in jobs])

    def events(self) -> list[dict] | None:
        """The complete event lines available now; None once the process's output ends."""
        chunk = os.read(self.process.stdout.fileno(), 1 << 16)
        if not chunk:
            return None
        self.last_event = time.monotonic()
        *lines, self.buffer = (self.buffer + chunk).split(b"\n")
        events = []
        for line in lines:
            try:
                events.append(json.loads(line))
            except ValueError:
                continue  # not an event (nothing else should reach this pipe)
        return events

    def finish(self) -> None:
        """Close its input: it ends once its batch is done."""
        if not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except OSError:
                pass

    def end(self, *, graceful: bool = False, grace: float = 5.0) -> int:
        """Stop it and return its exit code.

        Args:
            graceful: close its input and let it finish its batch; otherwise ask it to stop
                now (SIGTERM: it ends its student processes), then kill it after ``grace``.
        """
        self.finish()
        if self.process.poll() is None and not graceful:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
        code = self.process.wait()
        self.process.stdout.close()
        return code

    def log_tail(self) -> str:
        self.log.seek(0)
        text = self.log.read()[-800:].decode("utf-8", "replace")
        return " ".join(text.split())


class _Pool:
    def __init__(self, settings: dict, *, workers: int, results_dir: Path,
                 exercises: list[ExerciseMeta], on_record, warn, command, stall_seconds):
        self.settings, self.workers, self.results_dir = settings, workers, results_dir
        self.exercises, self.on_record = exercises, on_record
        self.command = command or grader_command()
        self.stall = stall_seconds or (STARTUP_SECONDS + sum(
            meta.time_limit.exercise_seconds for meta in exercises))
        self.outcome = PoolOutcome()
        self._warn = warn
        self.pending: deque[Job] = deque()
        self.retry: deque[Job] = deque()

    def run(self, jobs: list[Job]) -> PoolOutcome:
        self.pending.extend(jobs)
        graders = [_Grader(self.command, self.settings)
                   for _ in range(min(self.workers, len(jobs)))]
        retiring: list[_Grader] = []
        try:
            while graders:
                for grader in [g for g in graders if not g.busy]:
                    batch = self._next_batch()
                    if batch:
                        grader.assign(batch)
                    else:
                        grader.finish()  # no more work: it exits on its own
                        retiring.append(grader)
                graders = self._wait([g for g in graders if g.busy])
        finally:
            for grader in graders:
                grader.end()
            for grader in retiring:
                grader.end(graceful=True)
        return self.outcome

    def _next_batch(self) -> list[Job]:
        if self.retry:
            return [self.retry.popleft()]
        size = max(1, min(MAX_BATCH, math.ceil(len(self.pending) / (2 * self.workers))))
        return [self.pending.popleft() for _ in range(min(size, len(self.pending)))]

    def _wait(self, graders: list[_Grader]) -> list[_Grader]:
        busy = [g for g in graders if g.busy]
        if not busy:
            return []
        now = time.monotonic()
        timeout = max(0.0, min(self._deadline(g) for g in busy) - now)
        readable, _, _ = select.select([g.process.stdout for g in busy], [], [], timeout)
        survivors = []
        for grader in graders:
            if grader.process.stdout in readable:
                events = grader.events()
                if events is None:
                    self._lost(grader, f"it ended (exit code {grader.end()})")
                    grader = self._replace(grader)
                else:
                    for event in events:
                        self._handle(grader, event)
            elif grader.busy and time.monotonic() > self._deadline(grader):
                grader.end(grace=1.0)
                self._lost(grader, f"it reported nothing for {self.stall:g} s and was stopped")
                grader = self._replace(grader)
            if grader is not None:
                survivors.append(grader)
        return survivors

    def _deadline(self, grader: _Grader) -> float:
        """When a silent grading process counts as hung (start-up gets its own grace)."""
        return grader.last_event + (self.stall if grader.ready else
                                    max(self.stall, STARTUP_SECONDS))

    def _handle(self, grader: _Grader, event: dict) -> None:
        kind = event.get("event")
        if kind == "ready":
            grader.ready, self.outcome.isolation = True, event.get("isolation")
            limit = event.get("total_limit")
            if isinstance(limit, str) and not str(self.outcome.total_limit).startswith(NONE):
                self.outcome.total_limit = limit
        elif kind == "warning":
            self.warn(str(event.get("message")))
        elif kind == "done":
            job = grader.batch.pop(str(event.get("student")), None)
            if job is None:
                return
            record = read_record(record_path(self.results_dir, job.student))
            if record is None or record.fingerprint != job.fingerprint:
                self._give_up_or_retry(job, "its result file could not be read back")
            else:
                self.on_record(record)
        elif kind == "batch_done":
            for job in grader.batch.values():
                self._give_up_or_retry(job, "the grading process returned no result")
            grader.batch, grader.busy = {}, False
        elif kind == "fatal":
            raise GraderError(str(event.get("message")))

    def _lost(self, grader: _Grader, how: str) -> None:
        if not grader.ready:
            raise GraderError(f"a grading process could not start: {how}; its output was: "
                              f"{grader.log_tail()!r}; to see why, run: {sys.executable} -c "
                              "'import nnex.classgrade.pool_worker'")
        lost = list(grader.batch.values())
        grader.batch, grader.busy = {}, False
        if lost:
            lost_names = ", ".join(names.terminal(job.student) for job in lost)
            self.warn(f"a grading process died while grading {lost_names} ({how}); "
                      "grading them again one by one")
        for job in lost:
            self._give_up_or_retry(job, f"the grading process died while grading it: {how}")

    def _give_up_or_retry(self, job: Job, problem: str) -> None:
        job.attempts += 1
        if job.attempts < MAX_ATTEMPTS:
            self.retry.append(job)
            return
        detail = (f"{problem} (tried {job.attempts} times); grade this student by hand, e.g. "
                  f"nnex check --dir {names.escaped(str(job.submission.folder))}")
        record = new_record(unrunnable_result(job.student, self.exercises, detail),
                            job.fingerprint, self.settings.get("isolation"))
        write_record(self.results_dir, record)
        self.on_record(record)

    def _replace(self, grader: _Grader) -> _Grader | None:
        if not (self.pending or self.retry):
            return None
        return _Grader(self.command, self.settings)

    def warn(self, message: str) -> None:
        if message not in self.outcome.warnings:
            self.outcome.warnings.append(message)
            if self._warn is not None:
                self._warn(message)

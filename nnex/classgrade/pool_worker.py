"""One grading subprocess: grades the batches of students it is sent, one result file each.

Started by ``nnex.classgrade.pool`` as ``python -m nnex.classgrade.pool_worker``. It is trusted
code (pytest and the graders); student code runs in the worker zygote of its own ``WorkerHost``.
It reads JSON lines on stdin — first its settings, then one batch of students per line — and
answers with JSON lines on its original stdout (anything else printing goes to stderr):

    {"event": "ready", "isolation": "bwrap", "total_limit": "cgroup v1"}
                                                   settings read, worker host made
    {"event": "warning", "message": "..."}         for the instructor
    {"event": "done", "student": "..."}            OUT/results/<student>.json is written
    {"event": "batch_done"}                        send the next batch
    {"event": "fatal", "message": "..."}           the graders cannot run at all; it exits

It exits when stdin closes, and on SIGTERM it stops grading and ends the student processes.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from nnex.classgrade.records import new_record, write_record
from nnex.course.content import Course
from nnex.errors import NnexError
from nnex.sandbox.host import Limits, WorkerHost
from nnex.course.metadata import ExerciseMeta
from nnex.sandbox.bubblewrap import RuntimeView, make_host
from nnex.grading.submissions import from_wire


@dataclass
class GraderState:
    """What one grading subprocess holds between batches."""

    course: Course
    exercises: list[ExerciseMeta]
    host: WorkerHost
    results_dir: Path
    events: IO[str]


def emit(events: IO[str], event: str, **values: object) -> None:
    """Send one event line to the parent (ASCII JSON: names may hold any character)."""
    events.write(json.dumps({"event": event, **values}) + "\n")
    events.flush()


def settings_for(course: Course, exercise_ids: list[str], *, isolation: str, limits: Limits,
                 results_dir: Path, view: RuntimeView | None = None) -> dict:
    """The first line a grading subprocess reads (plain data: paths as strings)."""
    return {"course": {"exercises_dir": str(course.exercises_dir),
                       "graders_dir": str(course.graders_dir),
                       "solutions_dir": None if course.solutions_dir is None
                       else str(course.solutions_dir)},
            "exercises": exercise_ids, "isolation": isolation,
            "limits": dict(limits.__dict__), "results_dir": str(results_dir),
            "view": view.to_dict() if view is not None else None}


def start(settings: dict, events: IO[str]) -> GraderState:
    """Build the course, the exercises and the worker host from ``settings``."""
    paths = settings["course"]
    course = Course(exercises_dir=Path(paths["exercises_dir"]),
                    graders_dir=Path(paths["graders_dir"]),
                    solutions_dir=Path(paths["solutions_dir"]) if paths["solutions_dir"] else None)
    exercises = course.exercises(settings["exercises"])
    # The parent has chosen the isolation and warned the instructor about it already.
    view = RuntimeView.from_dict(settings["view"]) if settings.get("view") else None
    host = make_host(settings["isolation"], Limits(**settings["limits"]), warn=lambda _: None,
                     view=view)
    host.start()
    import nnex.grading.direct  # noqa: F401 - loads while the zygote imports NumPy
    return GraderState(course=course, exercises=exercises, host=host,
                       results_dir=Path(settings["results_dir"]), events=events)


def grade_batch(state: GraderState, batch: list[dict]) -> None:
    """Grade one batch; write each student's record and report it as soon as it is complete."""
    # Loaded by start(), after the zygote started. Plain graders run without pytest (identical
    # results, ~50 ms less per student); any other grader runs through pytest.
    from nnex.grading.direct import run_plain_checks

    fingerprints = {job["student"]: job["fingerprint"] for job in batch}
    submissions = [from_wire(job) for job in batch]

    def finished(result) -> None:
        write_record(state.results_dir, new_record(result, fingerprints[result.student],
                                                    state.host.launcher.name))
        emit(state.events, "done", student=result.student)

    run_plain_checks(submissions, state.exercises, course=state.course, hidden=True,
                     host=state.host, on_result=finished)
    emit(state.events, "batch_done")


def serve(lines: IO[str], events: IO[str]) -> int:
    """Read the settings, then grade batches until ``lines`` ends; the exit code."""
    settings = lines.readline()
    if not settings:
        return 0
    try:
        state = start(json.loads(settings), events)
    except NnexError as error:
        emit(events, "fatal", message=str(error))
        return error.exit_code
    try:
        emit(events, "ready", isolation=state.host.launcher.name,
             total_limit=state.host.total_limit)
        for line in lines:
            grade_batch(state, json.loads(line))
    except NnexError as error:
        emit(events, "fatal", message=str(error))
        return error.exit_code
    finally:
        state.host.close()
    return 0


def _interrupt(_signum, _frame) -> None:
    # KeyboardInterrupt, not SystemExit: pytest ends the session on it (closing every student
    # process) instead of recording it as a failed check.
    raise KeyboardInterrupt


def _die_with(parent_pid: int) -> None:
    """Get SIGTERM when the parent dies, so that a killed ``nnex grade`` leaves nothing behind."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:  # it died before the line above
        raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m nnex.classgrade.pool_worker [--parent-pid PID]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parent-pid", type=int, help="stop when this process ends")
    args = parser.parse_args(argv)
    events = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # a stray print in a grader must not corrupt the event stream
    signal.signal(signal.SIGTERM, _interrupt)
    # Ctrl-C reaches the whole terminal group; the parent decides when this process stops. A
    # handler, not SIG_IGN, so that the worker zygote it starts gets the default back.
    signal.signal(signal.SIGINT, lambda _signum, _frame: None)
    try:
        if args.parent_pid:
            _die_with(args.parent_pid)
        code = serve(sys.stdin, events)
    except KeyboardInterrupt:
        code = 130
    # Every result is on disk and the worker host is closed: skip the interpreter's slow
    # teardown of pytest and NumPy.
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()

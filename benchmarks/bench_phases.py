"""Where one student's grading time goes, phase by phase (issue 11's profile).

    python benchmarks/bench_phases.py [--students 16]

Grades ``--students`` copies of the reference solutions of ex01–ex05 in one grading process
(``isolation="auto"``, the way ``nnex grade`` runs each batch), timing every worker request by
what it was (fork, load, calls of each function, kill), and prints the median per student with
the round trips it took, then the CPU time per student of the grading process and of the
worker (its zygote and the children it forked). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnex.course.content import Course  # noqa: E402
from tests.conftest import solution_sources, write_class  # noqa: E402

CORE_EXERCISES = ("ex01", "ex02", "ex03", "ex04", "ex05")


def profile(students: int) -> tuple[dict[str, list[float]], dict[str, int], float, str]:
    """Per phase: seconds per student (one list entry per student); round trips per phase per
    student; seconds per student from one result to the next; the isolation used."""
    from nnex.grading.direct import run_plain_checks as run_checks
    from nnex.grading.submissions import discover
    from nnex.sandbox import host as host_module
    from nnex.sandbox.bubblewrap import make_host

    course = Course.installed()
    exercises = [e for e in course.exercise_ids() if e[:4] in CORE_EXERCISES]
    solutions = {e: s for e, s in solution_sources(course).items() if e in exercises}
    tmp = Path(tempfile.mkdtemp(prefix="nnex-bench-phases-"))
    spent: dict[str, float] = defaultdict(float)
    trips: dict[str, int] = defaultdict(int)
    per_student: list[dict[str, float]] = []
    stamps: list[float] = []
    originals = (host_module.StudentProcess.exchange, host_module.WorkerHost.spawn,
                 host_module.StudentProcess.close)

    def timed(label_of, original):
        def wrapper(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                label = label_of(*args)
                spent[label] += time.perf_counter() - started
                trips[label] += 1
        return wrapper

    def request_label(message, _timeout=None):
        op = message.get("op")
        if op == "call":
            return f"call {message['name']}()"
        if op == "batch":
            return f"batches of {message['calls'][0]['name']}()"
        return op

    def result(_):
        stamps.append(time.perf_counter())
        spent["CPU: grading process"] = time.process_time()
        spent["CPU: worker (zygote and its children)"] = _sandbox_cpu(host)
        per_student.append(dict(spent))
        spent.clear()

    host_module.StudentProcess.exchange = timed(request_label, originals[0])
    host_module.WorkerHost.spawn = timed(lambda: "fork (spawn)", originals[1])
    host_module.StudentProcess.close = timed(lambda: "kill (close)", originals[2])
    host = make_host("auto")
    try:
        root = write_class(tmp / "class", {f"student{n:03d}": solutions
                                           for n in range(students)})
        started = time.perf_counter()
        run_checks(discover(root), course.exercises(exercises), course=course, hidden=True,
                   host=host, on_result=result)
        stamps.insert(0, started)
    finally:
        (host_module.StudentProcess.exchange, host_module.WorkerHost.spawn,
         host_module.StudentProcess.close) = originals
        host.close()
        shutil.rmtree(tmp, ignore_errors=True)
    phases: dict[str, list[float]] = defaultdict(list)
    for student in per_student[1:]:  # the first one pays importing the graders
        for label, seconds in student.items():
            if not label.startswith("CPU"):
                phases[label].append(seconds)
    for label in ("CPU: grading process", "CPU: worker (zygote and its children)"):
        # the mean: /proc counts in clock ticks (10 ms)
        phases[label] = [(per_student[-1][label] - per_student[0][label]) / (students - 1)]
    gaps = [b - a for a, b in zip(stamps[1:], stamps[2:])]
    return phases, {k: v // students for k, v in trips.items()}, statistics.median(gaps), \
        host.launcher.name


def _sandbox_cpu(host) -> float:
    """CPU seconds used so far by the processes under the host's launcher (bubblewrap, the
    zygote, the children it has reaped and the one running), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    pending, total = [host._process.pid], 0
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        pending += [int(c) for c in children]
    return total / ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    args = parser.parse_args()
    phases, trips, gap, isolation = profile(args.students)
    total = 0.0
    cpu = {label: phases.pop(label) for label in list(phases) if label.startswith("CPU")}
    print(f"one grading process ({isolation}), {args.students} students; median per student:")
    for label, times in sorted(phases.items(), key=lambda item: -statistics.median(item[1])):
        median = statistics.median(times)
        total += median
        print(f"  {median * 1000:7.2f} ms  {trips.get(label, 0):4d} round trips  {label}")
    print(f"  {total * 1000:7.2f} ms  in the worker's requests, forks and kills (waiting "
          f"included)\n  {gap * 1000:7.2f} ms  from one student's result to the next "
          f"(the rest: the graders and encoding in the grading process)")
    for label, times in cpu.items():
        print(f"  {statistics.median(times) * 1000:7.2f} ms  {label}")


if __name__ == "__main__":
    main()

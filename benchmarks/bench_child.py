"""The life of one exercise child, step by step: fork, confinement, load, first call, kill.

    python benchmarks/bench_child.py [--rounds 60] [--exercise ex05_backprop]

Two views, medians over ``--rounds`` children:

* steps: this process plays the zygote (imports NumPy and ``worker._PRELOADED``, prepares the
  ``ChildConfinement``), forks, and the child runs ``worker.run_child``'s steps one by one with
  the real ``confine`` functions, stamping ``time.perf_counter_ns`` after each (the monotonic
  clock, shared by parent and child); then it loads the reference solution of ``--exercise``
  and calls one function. The parent times the fork and the kill and reap (``end_child``).
  Needs root for the drop to an unprivileged uid (otherwise that step is skipped).
* round trips: a real ``WorkerHost`` (``isolation="auto"``) forks, loads, calls and closes
  (waiting for the kill), timed from the grading process, as ``nnex grade`` sees them.

Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnex.course.content import Course  # noqa: E402
from nnex.sandbox import confine, wire, worker  # noqa: E402
from nnex.sandbox.host import Limits  # noqa: E402

NOBODY = 65534
FIRST_CALL = {"ex01_relu": ("relu", [0.5]), "ex02_neuron": ("step", [0.5]),
              "ex05_backprop": ("leaky_relu", [0.5])}


def _child_steps(write_fd: int, source: tuple[str, str, str], call: tuple[str, list],
                 confinement: confine.ChildConfinement, limits: dict) -> None:
    """``worker.run_child``'s steps, in its order, each followed by a time stamp."""
    stamps = [("fork (until the child runs)", time.perf_counter_ns())]

    def mark(label: str) -> None:
        stamps.append((label, time.perf_counter_ns()))

    os.setsid()
    mark("setsid")
    oom_score = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
    os.write(oom_score, b"1000")
    os.close(oom_score)
    mark("oom_score_adj")
    if os.getuid() == 0:
        confine.drop_privileges(NOBODY)
    mark("drop privileges")
    confinement.prctl(confine.PR_SET_NO_NEW_PRIVS, 1)
    mark("no new privileges")
    confinement.filter_system_calls()
    mark("seccomp filter")
    confinement.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
    os.getppid()
    mark("parent-death signal")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPROF, signal.SIG_DFL)
    mark("stdio and signals")
    confine.apply_limits(limits)
    mark("rlimits")
    child = worker._Child(None)
    module, filename, text = source
    reply = child.handle({"op": "load", "module": module, "sources": {module: [filename, text]}})
    mark("load (compile, run the module)")
    name, args = call
    reply2 = child.handle({"op": "call", "name": name, "args": wire.encode(args),
                           "kwargs": wire.encode({})})
    mark("first call")
    ok = reply.get("ok") is True and reply2.get("ok") is True
    os.write(write_fd, json.dumps({"ok": ok, "stamps": stamps}).encode())
    os._exit(0)


def steps(rounds: int, exercise: str) -> dict[str, list[float]]:
    """Microseconds per step of each child (first three rounds left out: warming up)."""
    import numpy  # noqa: F401 - warm, as in the zygote
    for name in worker._PRELOADED:
        importlib.import_module(name)
    confinement = confine.ChildConfinement.prepare()
    confinement.prctl(confine.PR_SET_CHILD_SUBREAPER, 1)
    course = Course.installed()
    source = (exercise, f"{exercise}.py", course.solution_path(exercise).read_text("utf-8"))
    limits = {k: v for k, v in vars(Limits()).items() if k in confine._RLIMITS}
    found: dict[str, list[float]] = defaultdict(list)
    for n in range(rounds + 3):
        read_fd, write_fd = os.pipe()
        before = time.perf_counter_ns()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                _child_steps(write_fd, source, FIRST_CALL.get(exercise, ("nothing", [])),
                             confinement, limits)
            finally:
                os._exit(70)
        forked = time.perf_counter_ns()
        os.close(write_fd)
        data = b""
        while chunk := os.read(read_fd, 1 << 16):
            data += chunk
        os.close(read_fd)
        killing = time.perf_counter_ns()
        confine.end_child(pid, False)
        reaped = time.perf_counter_ns()
        report = json.loads(data)
        if not report["ok"]:
            raise SystemExit(f"the child could not load or call {exercise}")
        if n < 3:
            continue
        found["fork (in the parent)"].append((forked - before) / 1000)
        previous = before
        for label, stamp in report["stamps"]:
            found[label].append((stamp - previous) / 1000)
            previous = stamp
        found["kill and reap"].append((reaped - killing) / 1000)
    return found


def round_trips(rounds: int, exercise: str) -> tuple[dict[str, list[float]], str]:
    """Microseconds per request of a real worker host, as the grading process waits for it."""
    from nnex.sandbox.bubblewrap import make_host

    course = Course.installed()
    text = course.solution_path(exercise).read_text("utf-8")
    name, args = FIRST_CALL.get(exercise, ("nothing", []))
    found: dict[str, list[float]] = defaultdict(list)
    host = make_host("auto")
    try:
        for n in range(rounds + 3):
            started = time.perf_counter_ns()
            process = host.spawn()
            spawned = time.perf_counter_ns()
            process.request({"op": "load", "module": exercise,
                             "sources": {exercise: [f"{exercise}.py", text]}}, 10.0)
            loaded = time.perf_counter_ns()
            process.request({"op": "call", "name": name, "args": wire.encode(args),
                             "kwargs": wire.encode({})}, 10.0)
            called = time.perf_counter_ns()
            process.close()
            closed = time.perf_counter_ns()
            if n < 3:
                continue
            for label, a, b in (("spawn", started, spawned), ("load", spawned, loaded),
                                ("first call", loaded, called), ("close (kill, reap)",
                                                                 called, closed)):
                found[label].append((b - a) / 1000)
        return found, host.launcher.name
    finally:
        host.close()


def _print(found: dict[str, list[float]]) -> None:
    total = 0.0
    for label, values in found.items():
        median = statistics.median(values)
        total += median
        print(f"  {median:8.1f} µs  {label}")
    print(f"  {total:8.1f} µs  in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--exercise", default="ex05_backprop")
    args = parser.parse_args()
    print(f"one child's steps, forked from this process ({args.exercise}, median of "
          f"{args.rounds}):")
    _print(steps(args.rounds, args.exercise))
    found, isolation = round_trips(args.rounds, args.exercise)
    print(f"as the grading process waits for them ({isolation}, median of {args.rounds}):")
    _print(found)


if __name__ == "__main__":
    main()

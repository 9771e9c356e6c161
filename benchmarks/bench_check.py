"""How long a student waits for ``nnex check`` and for a notebook's check cell (figures printed,
not a test).

``nnex check`` runs as a student runs it: the ``nnex`` command, in a fresh process each time,
in a folder holding the reference solution of every exercise (all checks pass: the slowest
honest case) and in one holding the released stubs; once for every exercise, once for
ex01_relu alone. The check cell runs as in a fresh kernel whose setup cell has already imported
NumPy: the first run imports nnex's checking code, later runs in the same kernel do not.
Prints the median and the spread (fastest, slowest) of several runs; issue 11's target is a
median of 0.3 s for ``nnex check`` of every exercise on the solved folder.

The runs may write bytecode caches (``__pycache__``) even where ``PYTHONDONTWRITEBYTECODE`` is
set: a student's ``pip install`` of the kit compiles nnex's modules, so a run that compiled
them afresh each time would time the compiler, not ``nnex check``.

The floor — Python's start, and the libraries each of the two processes must import — is
timed alike, in fresh processes.

    python benchmarks/bench_check.py [--runs 9] [--skip-notebook]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nnex.course.content import Course

ONE_EXERCISE = "ex01_relu"
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
CELL = """\
import json, sys, time
import numpy as np
namespace = {{}}
exec(compile(open({solution!r}, encoding="utf-8").read(), "solution", "exec"), namespace)
times = []
for _ in range({repeats}):
    started = time.perf_counter()
    from nnex.kit.notebook_check import check
    result = check({exercise!r}, namespace)
    times.append(time.perf_counter() - started)
    assert result.score == result.max_score, repr(result)
print(json.dumps(times))
"""


def nnex_command() -> list[str]:
    """The ``nnex`` script next to this Python (what a student types), else ``python -m nnex``."""
    script = Path(sys.executable).with_name("nnex")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "nnex"]


def time_check(folder: Path, exercises: list[str], runs: int) -> list[float]:
    """Wall seconds of ``nnex check [exercises]`` in ``folder``, one per run (after a warm-up)."""
    command = [*nnex_command(), "check", *exercises]
    subprocess.run(command, cwd=folder, env=ENV, capture_output=True)  # warm the caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=folder, env=ENV, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def time_cell(course: Course, exercise_id: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds of the check cell on the reference solution: first runs in fresh kernels, and
    second runs in the same kernels."""
    first, again = [], []
    code = CELL.format(solution=str(course.solution_path(exercise_id)), exercise=exercise_id,
                       repeats=2)
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True,
                              text=True, check=True)
        times = json.loads(done.stdout.splitlines()[-1])
        first.append(times[0])
        again.append(times[1])
    return first, again


FLOOR = {
    "Python starts": ["-c", "pass"],
    "Python + NumPy (the worker's zygote)": ["-E", "-s", "-B", "-c", "import numpy"],
    "Python + NumPy, rich, PyYAML (the parent's libraries)":
        ["-c", "import numpy, rich.console, yaml"],
}
"""What no change to nnex removes: each a fresh process, as ``nnex check`` starts two."""


def time_floor(runs: int) -> dict[str, list[float]]:
    """Wall seconds of the processes in ``FLOOR``, one per run."""
    times: dict[str, list[float]] = {}
    for label, arguments in FLOOR.items():
        command = [sys.executable, *arguments]
        times[label] = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, env=ENV, check=True)
            times[label].append(time.perf_counter() - started)
    return times


def describe(times: list[float]) -> str:
    return (f"median {statistics.median(times):.3f} s  (min {min(times):.3f}, "
            f"max {max(times):.3f}, {len(times)} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--skip-notebook", action="store_true",
                        help="time nnex check and the floor only")
    args = parser.parse_args()
    course = Course.installed()
    exercises = course.exercise_ids()
    with tempfile.TemporaryDirectory() as temporary:
        for label, source in (("solved", course.solution_path), ("stubs", course.stub_path)):
            folder = Path(temporary) / label
            folder.mkdir()
            for exercise_id in exercises:
                shutil.copyfile(source(exercise_id), folder / f"{exercise_id}.py")
            for chosen, what in (([], f"{len(exercises)} exercises"),
                                 ([ONE_EXERCISE], ONE_EXERCISE)):
                times = time_check(folder, chosen, args.runs)
                print(f"nnex check, {what:13}, {label:6}: {describe(times)}", flush=True)
    for label, times in time_floor(args.runs).items():
        print(f"floor, {label}: {describe(times)}", flush=True)
    if args.skip_notebook:
        return
    for exercise_id in exercises:
        first, again = time_cell(course, exercise_id, args.runs)
        print(f"check cell, {exercise_id:22}: first run {describe(first)}; "
              f"run again median {statistics.median(again):.3f} s", flush=True)


if __name__ == "__main__":
    main()

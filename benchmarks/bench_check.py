"""How long a student waits for ``nnex check`` on every exercise (figures printed, not a test).

Runs the real command in a fresh process, as a student would, on a folder holding the reference
solution of every exercise (all checks pass: the slowest honest case) and on the released stubs.
Prints the median, fastest and slowest of several runs.

    python benchmarks/bench_check.py [--runs 9]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nnex.course.content import Course


def time_check(folder: Path, runs: int) -> list[float]:
    """Wall seconds of ``nnex check`` in ``folder``, one figure per run (after one warm-up)."""
    command = [sys.executable, "-m", "nnex", "check"]
    subprocess.run(command, cwd=folder, capture_output=True)  # warm the OS file cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=folder, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    course = Course.installed()
    exercises = course.exercise_ids()
    with tempfile.TemporaryDirectory() as temporary:
        for label, source in (("solved", course.solution_path), ("stubs", course.stub_path)):
            folder = Path(temporary) / label
            folder.mkdir()
            for exercise_id in exercises:
                shutil.copyfile(source(exercise_id), folder / f"{exercise_id}.py")
            times = time_check(folder, args.runs)
            print(f"nnex check, {len(exercises)} exercises, {label:6}: median "
                  f"{statistics.median(times):.3f} s  (min {min(times):.3f}, max "
                  f"{max(times):.3f}, {args.runs} runs)")


if __name__ == "__main__":
    main()

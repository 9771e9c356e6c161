"""How ``nnex grade`` scales: per-submission time for 1 and 2 workers and for 100 and 1,000
generated students, the peak memory of a grading process, and what a 10,000-student course needs.

    python benchmarks/bench_scaling.py [--quick] [--sizes 100 1000] [--workers 1 2]

Prints figures, asserts nothing. Each run grades a generated class (60 % correct, the rest with
one known-wrong exercise, as in bench_grade.py) of ex01–ex05 from scratch with the default
isolation, in a fresh Python process, and reports its wall time per submission (start-up
included) and the peak resident memory (ru_maxrss) of that process and of the largest process
it started (a grading process, the worker zygote or a student child). ``--quick`` grades 20 and
100 students. The projection assumes grading is CPU-bound and scales with cores, as 1 → 2
workers shows here, and counts three such processes per worker (grading process, zygote,
student child).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COURSE_STUDENTS = 10_000


def _one_run(students: int, workers: int) -> None:
    """Grade one generated class in this process and print a JSON line of figures."""
    import resource

    from benchmarks.bench_grade import CORE_EXERCISES, build_class, time_class
    from nnex.course.content import Course

    course = Course.installed()
    exercises = [e for e in course.exercise_ids() if e[:4] in CORE_EXERCISES]
    with tempfile.TemporaryDirectory(prefix="nnex-scaling-") as tmp:
        build_class(course, Path(tmp) / "class", students, exercises)
        wall, result = time_class(Path(tmp) / "class", Path(tmp) / "out", exercises, workers)
    print(json.dumps({
        "students": students, "workers": workers, "wall": wall,
        "graded": len(result.submissions), "isolation": result.isolation,
        "self_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "child_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def measure(students: int, workers: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--one", str(students), str(workers)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 and 100 students")
    parser.add_argument("--sizes", nargs="+", type=int, default=None)
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--one", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one_run(*args.one)
        return
    sizes = args.sizes or ([20, 100] if args.quick else [100, 1000])
    print(f"{'students':>8} {'workers':>7} {'wall s':>8} {'ms/submission':>13} "
          f"{'peak RSS MiB (parent / largest child)':>38}")
    rows = []
    for students in sizes:
        for workers in args.workers:
            row = measure(students, workers)
            rows.append(row)
            print(f"{students:8d} {workers:7d} {row['wall']:8.1f} "
                  f"{row['wall'] / students * 1000:13.0f} "
                  f"{row['self_mib']:18.0f} / {row['child_mib']:.0f}   ({row['isolation']})",
                  flush=True)
    largest = max(sizes)
    best = {r["workers"]: r["wall"] / r["students"] for r in rows if r["students"] == largest}
    one_core = best.get(1) or min(best.values())
    # A worker holds three processes at once: its grading process, its zygote and one student
    # child; each at most the largest single peak measured.
    memory = 3 * max(max(r["self_mib"], r["child_mib"]) for r in rows)
    core_hours = COURSE_STUDENTS * one_core / 3600
    print(f"\n{COURSE_STUDENTS:,} students at {one_core * 1000:.0f} ms each on one worker "
          f"({largest} students): {core_hours:.2f} core-hours.")
    if 1 in best and 2 in best:
        print(f"  2 workers: {best[2] * 1000:.0f} ms per submission, speed-up "
              f"{best[1] / best[2]:.2f}x on this machine's 2 cores")
    for cores in (1, 2, 8, 32):
        print(f"  on {cores:2d} cores: {core_hours / cores * 60:6.1f} min wall, memory about "
              f"{cores * memory / 1024:.1f} GiB ({memory:.0f} MiB per worker)")


if __name__ == "__main__":
    main()

"""How fast ``nnex grade`` is, with student code confined, against nbgrader's ``autograde``.

    python benchmarks/bench_grade.py [--students 200] [--nbgrader-students 40] [--nbgrader-loop]
    python benchmarks/bench_grade.py --same-work [--students 40] [--nbgrader-students 3]

Prints figures, asserts nothing. It builds a class from the reference solutions and the
project's catalogue of wrong implementations (every installed exercise among ex01–ex05), grades
it with ``isolation="auto"`` and the default number of workers, then measures the parts of the
floor (fork + load of a worker child, one call's round trip, pytest's cost per check), one
endless-loop submission, and — when nbgrader is installed — ``nbgrader autograde`` on notebooks
holding the same student code and the same checks as assert cells.

``--same-work`` (issue 11) measures instead one piece of work three ways, per student: the
reference solutions of ex01–ex05 (nnex grade's default exercises without the optional ex06),
graded with every public and hidden check by (a) the real ``nbgrader autograde`` on the course
``nnex nbgrader export`` writes, once with nbgrader's default steps (its Execute runs each
notebook in a Jupyter kernel) and once as exported (nnex's ConfinedChecks in place of Execute),
and (b) the ``nnex grade`` command on the same code as .py files, on one worker (nbgrader grades
on one) and on the default number; then the ratios.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnex.course.content import Course  # noqa: E402
from nnex.classgrade.grade import available_cores, grade_class  # noqa: E402
from tests.conftest import solution_sources, write_class  # noqa: E402

CORE_EXERCISES = ("ex01", "ex02", "ex03", "ex04", "ex05")
LOOP = "def {name}(*args, **kwargs):\n    while True:\n        pass\n"


def build_class(course: Course, root: Path, students: int, exercises: list[str],
                seed: int = 0) -> None:
    """``students`` submissions: 60 % fully correct, the rest with one known-wrong exercise."""
    solutions = {e: s for e, s in solution_sources(course).items() if e in exercises}
    wrong = {e: importlib.import_module(f"tests.catalogue.{e}").WRONG for e in exercises}
    rng = random.Random(seed)
    sources = {}
    for n in range(students):
        files = dict(solutions)
        if rng.random() >= 0.6:
            exercise = rng.choice(exercises)
            files[exercise] = rng.choice(wrong[exercise]).source
        sources[f"student{n:03d}"] = files
    write_class(root, sources)


def time_class(root: Path, out: Path, exercises: list[str], workers: int | None = None):
    """Grade ``root`` from scratch; (wall seconds, ClassResult)."""
    shutil.rmtree(out, ignore_errors=True)
    warnings: list[str] = []
    started = time.perf_counter()
    result = grade_class(root, out, exercise_ids=exercises, isolation="auto", workers=workers,
                         warn=warnings.append)
    for warning in warnings:
        print(f"  warning: {warning}")
    return time.perf_counter() - started, result


def per_submission_latency(course: Course, root: Path, exercises: list[str], count: int):
    """Median wall time per student inside one grading process (start-up excluded), and the
    number of worker round trips per student."""
    from nnex.sandbox import host as host_module
    from nnex.grading.runner import run_checks
    from nnex.sandbox.bubblewrap import make_host
    from nnex.grading.submissions import discover

    calls = [0, 0]  # round trips (a batch of calls is one), and those sending an array
    original = host_module.StudentProcess.exchange

    def counting(self, message, timeouts):
        replies, failure = original(self, message, timeouts)
        calls[0] += 1
        calls[1] += "__ndarray__" in json.dumps([message, replies])
        return replies, failure

    host_module.StudentProcess.exchange = counting
    stamps: list[float] = []
    host = make_host("auto")
    try:
        submissions = discover(root)[:count]
        run_checks(submissions, course.exercises(exercises), course=course, hidden=True,
                   host=host, on_result=lambda _: stamps.append(time.perf_counter()))
    finally:
        host.close()
        host_module.StudentProcess.exchange = original
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    return (statistics.median(gaps), calls[0] / len(stamps), calls[1] / len(stamps),
            host.launcher.name)


def per_exercise(course: Course, root: Path, exercises: list[str], count: int) -> None:
    """Print, per exercise, the median time per student in one grading process and the check
    that costs the most."""
    from nnex.grading.runner import run_checks
    from nnex.sandbox.bubblewrap import make_host
    from nnex.grading.submissions import discover

    host = make_host("auto")
    try:
        submissions = discover(root)[:count]
        for exercise in exercises:
            stamps: list[float] = []
            results = run_checks(submissions, course.exercises([exercise]), course=course,
                                 hidden=True, host=host,
                                 on_result=lambda _: stamps.append(time.perf_counter()))
            gaps = [b - a for a, b in zip(stamps, stamps[1:])]
            by_check: dict[str, list[float]] = {}
            for result in results:
                for check in result.exercises[0].checks:
                    by_check.setdefault(check.name, []).append(check.seconds)
            name, times = max(by_check.items(), key=lambda item: statistics.median(item[1]))
            print(f"    {exercise}: median {statistics.median(gaps) * 1000:.0f} ms per student; "
                  f"costliest check {name} {statistics.median(times) * 1000:.0f} ms")
    finally:
        host.close()


def floor_parts(course: Course) -> dict[str, float]:
    """Seconds for: fork + load of one child, one call with a number, one call with a 3×4
    array (both with ex01's ``relu``), and one pytest item."""
    import numpy as np

    from nnex.sandbox.bubblewrap import make_host
    from nnex.grading.student import StudentModule

    meta = course.exercise("ex01_relu")
    source = {"ex01_relu": course.solution_path("ex01_relu").read_text(encoding="utf-8")}
    array = np.arange(12.0).reshape(3, 4) - 6
    host = make_host("auto")
    timings: dict[str, float] = {}

    def best(name: str, seconds: float) -> None:  # floors: the least of three tries
        timings[name] = min(seconds, timings.get(name, seconds))

    try:
        StudentModule(host, meta, source).relu(1.0)  # warm up
        for _ in range(3):
            started = time.perf_counter()
            for _ in range(30):
                module = StudentModule(host, meta, source)
                module.relu(1.0)
                module.close()
            best("spawn", (time.perf_counter() - started) / 30)
            module = StudentModule(host, meta, source)
            for name, argument in (("scalar call", 1.0), ("array call", array)):
                started = time.perf_counter()
                for _ in range(200):
                    module.call("relu", argument, echo_args=False)
                best(name, (time.perf_counter() - started) / 200)
            module.close()
            best("pytest item", _pytest_item_overhead())
    finally:
        host.close()
    timings["fork+load"] = timings.pop("spawn") - timings["scalar call"]
    return timings


def _pytest_item_overhead(items: int = 600) -> float:
    """pytest's own cost per test item with nnex's session options and a parametrized fixture."""
    import pytest

    folder = Path(tempfile.mkdtemp(prefix="nnex-bench-items-"))
    (folder / "test_items.py").write_text(
        "import pytest\n"
        f"@pytest.fixture(params=range({items // 3}))\n"
        "def student(request):\n    return request.param\n"
        "def test_a(student): pass\ndef test_b(student): pass\ndef test_c(student): pass\n")
    args = [str(folder / "test_items.py"), "-s", "-p", "no:cacheprovider", "-p", "no:terminal",
            "-p", "no:stepwise", "-p", "no:logging", "-p", "no:unraisableexception",
            "-p", "no:threadexception"]
    started = time.perf_counter()
    pytest.main(args)
    seconds = (time.perf_counter() - started) / items
    shutil.rmtree(folder)
    return seconds


def time_endless_loop(course: Course, tmp: Path, exercises: list[str]) -> float:
    """Wall seconds to grade one student whose every function loops forever."""
    files = {}
    for exercise in exercises:
        meta = course.exercise(exercise)
        files[exercise] = "".join(LOOP.format(name=name) for name in meta.provides)
    root = write_class(tmp / "loop_class", {"endless_loop": files})
    seconds, result = time_class(root, tmp / "loop_out", exercises, workers=1)
    statuses = {e.exercise: f"{e.score:g}/{e.max_score:g}"
                for e in result.submissions[0].exercises}
    print(f"  scores of the endless loop: {statuses}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--exercises", nargs="+", metavar="ID",
                        help="exercises to grade (default: those installed among ex01–ex05)")
    parser.add_argument("--nbgrader-students", type=int, default=40,
                        help="notebooks for nbgrader autograde (0: skip nbgrader)")
    parser.add_argument("--nbgrader-loop", action="store_true",
                        help="also time nbgrader on one endless-loop notebook (minutes)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--same-work", action="store_true",
                        help="only compare nbgrader autograde and nnex grade on the reference "
                             "code of ex01–ex05, per student (issue 11)")
    args = parser.parse_args()
    if args.same_work:
        same_work(args)
        return
    course = Course.installed()
    exercises = args.exercises or [e for e in course.exercise_ids() if e[:4] in CORE_EXERCISES]
    tmp = Path(tempfile.mkdtemp(prefix="nnex-bench-"))
    try:
        root = tmp / "class"
        build_class(course, root, args.students, exercises)
        workers = args.workers or available_cores()
        print(f"class: {args.students} submissions × {len(exercises)} exercises "
              f"({', '.join(exercises)}); {workers} workers on {available_cores()} cores")
        wall, result = time_class(root, tmp / "out", exercises, args.workers)
        below = sum(r.score < r.max_score for r in result.submissions)
        print(f"nnex grade: isolation actually used: {result.isolation}")
        print(f"  total wall {wall:.2f} s for {len(result.submissions)} submissions "
              f"({below} below full marks) = {wall / args.students * 1000:.0f} ms per "
              f"submission, start-up included")
        print_floor(course, root, exercises)
        loop = time_endless_loop(course, tmp, exercises)
        print(f"  one endless-loop submission: {loop:.1f} s wall (start-up included)")
        if importlib.util.find_spec("nbgrader") is None:
            print("nbgrader: not installed (pip install nbgrader) — no comparison")
        elif args.nbgrader_students > 0:
            compare_nbgrader(course, root, tmp, args, exercises, wall)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def print_floor(course: Course, root: Path, exercises: list[str]) -> None:
    """Per-submission cost in one grading process, per exercise, against its floor."""
    median, calls, array_calls, isolation = per_submission_latency(course, root, exercises, 20)
    print(f"  one grading process ({isolation}): median {median * 1000:.0f} ms per "
          f"submission; {calls:.0f} worker round trips per submission, {array_calls:.0f} "
          "of them carrying arrays")
    per_exercise(course, root, exercises, 12)
    parts = floor_parts(course)
    checks = sum(len(course.exercise(e).checks) for e in exercises)
    calls -= len(exercises)  # the loads are in fork+load
    floor = (len(exercises) * parts["fork+load"] + calls * parts["scalar call"]
             + checks * parts["pytest item"])
    wire = array_calls * (parts["array call"] - parts["scalar call"])
    print("  floor parts (best of 3): "
          + ", ".join(f"{k} {v * 1000:.2f} ms" for k, v in parts.items()))
    print(f"  floor per submission = {len(exercises)} × fork+load + {calls:.0f} × scalar "
          f"call + {checks} × pytest item = {floor * 1000:.0f} ms, + {wire * 1000:.0f} ms "
          f"encoding arrays = {(floor + wire) * 1000:.0f} ms, before the graders' and the "
          f"students' own computing (measured median {median * 1000:.0f} ms)")


def compare_nbgrader(course: Course, root: Path, tmp: Path, args, exercises: list[str],
                     wall: float) -> None:
    """``nbgrader autograde`` on ex01 notebooks against nnex on ex01 and on everything."""
    from nbgrader_adapter import autograde_seconds  # beside this file

    count = min(args.nbgrader_students, args.students)
    nb_seconds = autograde_seconds(course, root, tmp / "nbgrader", count)
    ex01_wall, _ = time_class(root, tmp / "out_ex01", ["ex01_relu"], args.workers)
    per_nb, per_ex01 = nb_seconds / count, ex01_wall / args.students
    print(f"nbgrader autograde (ex01_relu notebooks, same code and checks): "
          f"{nb_seconds:.1f} s for {count} = {per_nb * 1000:.0f} ms per submission")
    print(f"  nnex ex01_relu only: {per_ex01 * 1000:.0f} ms per submission → "
          f"{per_nb / per_ex01:.0f}× nbgrader; all {len(exercises)} exercises: "
          f"{per_nb / (wall / args.students):.1f}×")
    if args.nbgrader_loop:
        loop_nb = autograde_seconds(course, root, tmp / "nbgrader_loop", 1, endless=True)
        print(f"  nbgrader on one endless-loop notebook: {loop_nb:.1f} s")


def same_work(args) -> None:
    """nbgrader autograde (kernel steps, and as exported) and nnex grade on the same code."""
    import csv
    import os
    import subprocess

    from nbgrader_adapter import autograde_course, kernel_pipeline_copy, same_work_course

    course = Course.installed()
    exercises = args.exercises or [e for e in course.exercise_ids() if e[:4] in CORE_EXERCISES]
    solutions = {e: s for e, s in solution_sources(course).items() if e in exercises}
    tmp = Path(tempfile.mkdtemp(prefix="nnex-bench-same-"))
    print(f"the same work: the reference solutions of {', '.join(exercises)}, every public and "
          f"hidden check; load average before: {os.getloadavg()[0]:.2f}")
    try:
        nbgrader: dict[str, float] = {}
        nnex: dict[str, float] = {}
        count = args.nbgrader_students
        if count > 0:
            exported = same_work_course(course, tmp / "nbgrader", exercises, count)
            kernel = kernel_pipeline_copy(exported, tmp / "nbgrader" / "kernel_course")
            for label, root in (("nbgrader autograde, nbgrader's Execute (kernel)", kernel),
                                ("nbgrader autograde, exported config (ConfinedChecks)",
                                 exported)):
                seconds, scores = autograde_course(root)
                nbgrader[label] = seconds / count
                print(f"{label}: {seconds:.1f} s for {count} students = "
                      f"{seconds / count:.2f} s per student; scores {_scores(scores)}")
        else:
            print("nbgrader autograde: skipped (--nbgrader-students 0)")
        root = write_class(tmp / "class", {f"student{n:03d}": solutions
                                           for n in range(args.students)})
        for workers in dict.fromkeys((1, args.workers or available_cores())):
            out = tmp / f"out{workers}"
            command = [sys.executable, "-m", "nnex", "grade", str(root), "--out", str(out),
                       "--workers", str(workers)]
            command += [a for e in exercises for a in ("-e", e)]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if done.returncode != 0:
                raise RuntimeError(
                    f"nnex grade failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
            totals: dict[str, list[float]] = {}
            with open(out / "scores.csv", encoding="utf-8", newline="") as file:
                for row in csv.DictReader(file):
                    total = totals.setdefault(row["student"], [0.0, 0.0])
                    total[0] += float(row["score"])
                    total[1] += float(row["max_score"])
            scores = [(score, top) for score, top in totals.values()]
            label = f"nnex grade, {workers} worker{'s' if workers > 1 else ''}"
            nnex[label] = seconds / args.students
            print(f"{label}: {seconds:.1f} s for {args.students} students = "
                  f"{seconds / args.students:.3f} s per student (start-up included); "
                  f"scores {_scores(scores)}")
        for nb_label, nb in nbgrader.items():
            for nnex_label, nx in nnex.items():
                print(f"ratio {nb_label} / {nnex_label}: {nb / nx:.1f}×")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _scores(scores: list[tuple[float, float]]) -> str:
    """The students' totals as 'least–most of the maximum'."""
    totals = [score for score, _ in scores]
    top = "/".join(sorted({f"{m:g}" for _, m in scores}))
    return f"{min(totals):g}–{max(totals):g} of {top} ({len(totals)} students)"


if __name__ == "__main__":
    main()

"""How long an all-endless-loops submission takes to grade, and that a correct one is untouched.

    python benchmarks/bench_loops.py [--exercises ex01 ex02 ex03 ex04 ex05] [--load N]

Prints figures, asserts nothing. It grades, in one class with one worker and the default
isolation, a generated submission whose every function of every exercise loops forever
(``while True: pass``), then the reference solutions, and prints the wall seconds and scores of
each. ``--load N`` runs N busy processes beside it, to show that a loaded machine stretches the
loops' wall time but never makes the correct submission time out (the per-call limit is CPU time).
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_grade import CORE_EXERCISES, LOOP, time_class  # noqa: E402
from nnex.course.content import Course  # noqa: E402
from tests.conftest import solution_sources, write_class  # noqa: E402


def _spin() -> None:
    while True:
        pass


def grade_one(course: Course, tmp: Path, name: str, files: dict[str, str],
              exercises: list[str]) -> float:
    root = write_class(tmp / name, {name: files})
    seconds, result = time_class(root, tmp / f"{name}_out", exercises, workers=1)
    scores = {e.exercise: f"{e.score:g}/{e.max_score:g}" for e in result.submissions[0].exercises}
    print(f"  {name}: {seconds:.2f} s wall (start-up included); scores {scores}")
    return seconds


def call_costs(course: Course, tmp: Path, exercises: list[str]) -> None:
    """The slowest call of each exercise for the reference and the catalogue's correct variants,
    graded with limits, beside the exercise's CPU limit per call (wall time from a call's request,
    or in a batch from the reply before, to its reply: an upper bound of the call's CPU time)."""
    from nnex.grading.runner import run_checks
    from nnex.grading.submissions import discover
    from nnex.sandbox import host as host_module
    from nnex.sandbox.bubblewrap import make_host

    slowest: dict[str, tuple[float, str]] = {}
    originals = (host_module.StudentProcess.exchange, host_module.StudentProcess._reply)
    asked: list[dict] = []  # the requests whose replies are awaited, a batch's calls each

    def exchange(self, message, timeouts):
        asked[:] = message["calls"] if message.get("op") == "batch" else [message]
        return originals[0](self, message, timeouts)

    def timed(self, buffer, timeout):  # one reply: one call's round trip
        started = time.perf_counter()
        message = asked.pop(0) if asked else {}
        try:
            return originals[1](self, buffer, timeout)
        finally:
            if message.get("op") == "call" and message.get("cpu_seconds", 0) <= current[1]:
                seconds = time.perf_counter() - started
                key = current[0]
                if seconds > slowest.get(key, (0.0, ""))[0]:
                    slowest[key] = (seconds, message["name"])

    current = ["", 0.0]  # the exercise, its per-call CPU limit (larger ones are a check's own)
    host_module.StudentProcess.exchange, host_module.StudentProcess._reply = exchange, timed
    try:
        for exercise in exercises:
            catalogue = importlib.import_module(f"tests.catalogue.{exercise}")
            variants = {"reference": course.solution_path(exercise).read_text(encoding="utf-8")}
            variants.update({f"correct_{c.name}": c.source for c in catalogue.CORRECT})
            root = write_class(tmp / f"costs_{exercise}", {n: {exercise: v}
                                                             for n, v in variants.items()})
            current[:] = [exercise, course.exercise(exercise).time_limit.call_seconds]
            host = make_host("auto")
            try:
                results = run_checks(discover(root), course.exercises([exercise]), course=course,
                                     hidden=True, host=host)
            finally:
                host.close()
            full = sum(r.exercises[0].score == r.exercises[0].max_score for r in results)
            limit = course.exercise(exercise).time_limit.call_seconds
            seconds, name = slowest.get(exercise, (0.0, "-"))
            print(f"  {exercise}: {full}/{len(variants)} correct variants full marks; slowest "
                  f"call {seconds * 1000:.1f} ms ({name}) vs the {limit:g} s CPU limit: "
                  f"{limit / max(seconds, 1e-9):.0f}x margin")
    finally:
        host_module.StudentProcess.exchange, host_module.StudentProcess._reply = originals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", nargs="+", default=list(CORE_EXERCISES))
    parser.add_argument("--load", type=int, default=0, help="busy processes to run beside it")
    parser.add_argument("--costs", action="store_true",
                        help="also time each call of the reference and the correct variants")
    args = parser.parse_args()
    course = Course.installed()
    exercises = [e for e in course.exercise_ids() if e.split("_")[0] in args.exercises]
    loops = {e: "".join(LOOP.format(name=n) for n in course.exercise(e).provides)
             for e in exercises}
    solutions = {e: s for e, s in solution_sources(course).items() if e in exercises}
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.load)]
    for spinner in spinners:
        spinner.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            print(f"{len(exercises)} exercises, {args.load} busy processes beside it")
            grade_one(course, Path(tmp), "endless_loops", loops, exercises)
            grade_one(course, Path(tmp), "reference", solutions, exercises)
            if args.costs:
                print("per-call cost (checks without their own timeout):")
                call_costs(course, Path(tmp), exercises)
    finally:
        for spinner in spinners:
            spinner.kill()


if __name__ == "__main__":
    main()

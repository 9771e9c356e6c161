"""Margins of ex05's circle-training check: the reference, the correct variants and the known
near-misses, for the grader's configuration or another one (figures printed, not a test).

    python benchmarks/bench_ex05_training.py [--samples N --rate R --seed S] [--scan 40]
        [--catalogue]

For one configuration (training samples, learning rate, seed of the task; the thresholds are
the grader's) it prints the reference's accuracy and inside-recall, the same with a start
nudged by 1e-6 (far more than any rounding difference), the demo's update order and training
stopped after 500 samples, each against the thresholds, and the reference's training time.
``--scan S`` prints the same for seeds 0…S-1 (to choose a seed with margins on both sides);
``--catalogue`` also trains every correct variant and every wrong implementation of
tests/catalogue/ex05_backprop.py (their own train()) and says which ones the check catches.
"""

from __future__ import annotations

import argparse
import sys
import time
import types
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnex.graders.ex05_backprop import test_hidden as hidden  # noqa: E402
from nnex.solutions import ex05_backprop as ref  # noqa: E402


def _copy(params):
    return {k: np.array(v, dtype=float) if k != "b2" else float(v) for k, v in params.items()}


def _nudged(params):
    rng = np.random.default_rng(0)
    return {k: v * (1 + 1e-6 * rng.standard_normal(np.shape(v))) if k != "b2" else v
            for k, v in params.items()}


NEAR_MISSES = {
    "reference": lambda p, s, r: ref.train(p, s, r),
    "reference, start nudged by 1e-6": lambda p, s, r: ref.train(_nudged(p), s, r),
    "demo's update order": lambda p, s, r: hidden.run_steps(hidden.demo_order_step, p, s, r),
    "training stopped after 500 samples": lambda p, s, r: ref.train(p, s[:500], r),
}


def verdict(train, task, rate) -> str:
    params, samples, (points, inside) = task
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trained = train(_copy(params), samples, rate)
            accuracy, recall = hidden.circle_scores(trained, points, inside)
    except Exception as exc:  # noqa: BLE001 - a wrong implementation may fail in any way
        return f"error ({type(exc).__name__}): caught by the other checks"
    passed = accuracy >= hidden.MIN_ACCURACY and recall >= hidden.MIN_INSIDE_RECALL
    return (f"accuracy {accuracy:.3f} ({accuracy - hidden.MIN_ACCURACY:+.3f}), inside-recall "
            f"{recall:.3f} ({recall - hidden.MIN_INSIDE_RECALL:+.3f}): "
            f"{'passes' if passed else 'FAILS'}")


def _train_of(source: str):
    module = types.ModuleType("student")
    exec(compile(source, "student.py", "exec"), module.__dict__)  # noqa: S102 - our catalogue
    return module.train


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=hidden.TRAINING_SAMPLES)
    parser.add_argument("--rate", type=float, default=hidden.TRAINING_RATE)
    parser.add_argument("--seed", type=int, default=hidden.TRAINING_SEED)
    parser.add_argument("--scan", type=int, default=0, help="also these many seeds from 0")
    parser.add_argument("--catalogue", action="store_true")
    args = parser.parse_args()
    print(f"{args.samples} samples, learning rate {args.rate}; pass: accuracy >= "
          f"{hidden.MIN_ACCURACY} and inside-recall >= {hidden.MIN_INSIDE_RECALL}")
    seeds = [args.seed, *(s for s in range(args.scan) if s != args.seed)]
    for seed in seeds:
        task = hidden.circle_task(seed, args.samples)
        print(f"seed {seed}{' (the grader’s)' if seed == hidden.TRAINING_SEED else ''}:")
        for name, train in NEAR_MISSES.items():
            print(f"  {name:36s} {verdict(train, task, args.rate)}")
    task = hidden.circle_task(args.seed, args.samples)
    started = time.process_time()
    ref.train(_copy(task[0]), task[1], args.rate)
    print(f"the reference's train() on seed {args.seed}: {time.process_time() - started:.2f} s "
          "CPU (in a student's process: the check's cost)")
    if args.catalogue:
        from tests.catalogue import ex05_backprop as catalogue
        print(f"catalogue, seed {args.seed}:")
        for entry in [*catalogue.CORRECT, *catalogue.WRONG]:
            kind = "correct" if entry in catalogue.CORRECT else f"wrong ({entry.hint})"
            try:
                train = _train_of(entry.source)
            except Exception as exc:  # noqa: BLE001
                print(f"  {entry.name:36s} {kind}: does not load ({type(exc).__name__})")
                continue
            print(f"  {entry.name:36s} {kind}: {verdict(train, task, args.rate)}")


if __name__ == "__main__":
    main()

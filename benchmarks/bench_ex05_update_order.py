"""How well the circle network trains with the exact gradient and with the demo's update order
(figures printed, not a test): the numbers ex05's statement quotes.

Two measurements, each for the reference train_step, the demo's train() order (w2 updated
before it is used to back-propagate) and plain ReLU's derivative in the hidden layer:

- the statement's own example (seed 3, 20,000 samples, learning rate 0.05), scored on 2,000
  new points drawn from the same generator afterwards;
- the grader's circle task (``circle_task``, its samples and learning rate) on seeds 0-39:
  accuracy and inside-recall, and how many seeds pass the grader's thresholds.

    python benchmarks/bench_ex05_update_order.py [--seeds 40]
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

from nnex.graders.ex05_backprop import test_hidden as hidden
from nnex.solutions import ex05_backprop as ref

STATEMENT_RATE = 0.05


def _hidden_relu_step(params, x, y, target, learning_rate):
    return hidden.variant_step(params, x, y, target, learning_rate,
                               **hidden.RELU_DERIVATIVE_HIDDEN)


STEPS = {"exact gradient (reference)": ref.train_step,
         "demo's update order": hidden.demo_order_step,
         "plain ReLU derivative, hidden layer": _hidden_relu_step}


def _copy(params):
    return {k: np.array(v, dtype=float) if k != "b2" else float(v) for k, v in params.items()}


def statement_example():
    """The statement's code (seed 3), then 2,000 new points from the same generator."""
    rng = np.random.default_rng(3)
    params = {"w1": rng.uniform(-1, 1, (8, 2)), "b1": rng.uniform(-1, 1, 8),
              "w2": rng.uniform(-1, 1, 8), "b2": 0.0}
    samples = []
    for _ in range(20000):
        x, y = rng.uniform(-1, 1, 2)
        samples.append((x, y, 1.0 if x * x + y * y < 0.25 else 0.0))
    points = rng.uniform(-1, 1, (2000, 2))
    return params, samples, (points, np.hypot(points[:, 0], points[:, 1]) < 0.5)


def scores(step, task, rate=STATEMENT_RATE):
    params, samples, (points, inside) = task
    trained = hidden.run_steps(step, _copy(params), samples, rate)
    return hidden.circle_scores(trained, points, inside)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40)
    args = parser.parse_args()
    example = statement_example()
    print("statement example (seed 3): accuracy / inside-recall on 2,000 new points")
    for name, step in STEPS.items():
        accuracy, recall = scores(step, example)
        print(f"  {name:38s} {accuracy:.3f} / {recall:.3f}")
    print(f"grader's circle task ({hidden.TRAINING_SAMPLES} samples, learning rate "
          f"{hidden.TRAINING_RATE}), seeds 0-{args.seeds - 1} (pass: accuracy >= "
          f"{hidden.MIN_ACCURACY} and inside-recall >= {hidden.MIN_INSIDE_RECALL})")
    for name, step in STEPS.items():
        runs = [scores(step, hidden.circle_task(seed), hidden.TRAINING_RATE)
                for seed in range(args.seeds)]
        accuracies = [a for a, _ in runs]
        passed = sum(a >= hidden.MIN_ACCURACY and r >= hidden.MIN_INSIDE_RECALL for a, r in runs)
        print(f"  {name:38s} passes {passed:2d}/{args.seeds}; accuracy median "
              f"{statistics.median(accuracies):.3f}, min {min(accuracies):.3f}, "
              f"max {max(accuracies):.3f}")


if __name__ == "__main__":
    main()

"""Why ex06 scales the pixels and the initial weights (figures printed, not a test): the test
accuracy of the reference's training on seeds 0-9 with the kit's load_data and init_params,
with raw 0-16 pixels instead, and with N(0, 1) weights instead - the range ex06's statement
quotes.

    python benchmarks/bench_ex06_preprocessing.py [--seeds 10]
"""

from __future__ import annotations

import argparse
import importlib.util

import numpy as np

from nnex.course.content import Course
from nnex.solutions import ex06_digits as ref

# The statement's training settings: learning rate 3.0, 20 epochs, mini-batches of 10.
RATE, EPOCHS, BATCH = 3.0, 20, 10
SIZES = (64, 16, 16, 10)


def given_code():
    """The stub's given code (load_data, init_params): the graders use the same."""
    spec = importlib.util.spec_from_file_location(
        "ex06_stub", Course.installed().stub_path("ex06_digits"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def trained_accuracy(params, X, y, X_test, y_test, seed):
    trained = ref.train(params, X, ref.one_hot(y), RATE, EPOCHS, BATCH, seed=seed)
    return ref.accuracy(trained, X_test, y_test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    given = given_code()
    runs = {"pixels in [0, 1], N(0, 1/n_in) weights": [], "raw 0-16 pixels": [],
            "N(0, 1) weights": []}
    for seed in range(args.seeds):
        X, y, X_test, y_test = given.load_data(seed=seed)
        scaled = given.init_params(SIZES, seed=seed)
        rng = np.random.default_rng(seed)
        unit = [(rng.normal(0.0, 1.0, (n_out, n_in)), np.zeros(n_out))
                for n_in, n_out in zip(SIZES, SIZES[1:])]
        setups = ((scaled, X, X_test), (scaled, X * 16, X_test * 16), (unit, X, X_test))
        for name, (params, train_X, test_X) in zip(runs, setups):
            params = [(W.copy(), b.copy()) for W, b in params]
            runs[name].append(trained_accuracy(params, train_X, y, test_X, y_test, seed))
    for name, accuracies in runs.items():
        print(f"{name:42s} test accuracy {min(accuracies):.3f}-{max(accuracies):.3f} "
              f"(seeds 0-{args.seeds - 1})")


if __name__ == "__main__":
    main()

"""Hostile: at import, writes outside its folder: the output folder, another student's file,
the repository, the host's /tmp and /dev/shm. The functions are correct (marks earned honestly);
none of those writes may reach the host.
"""

import os

import numpy as np

TARGETS = [
    "{{OUTPUT_DIR}}/scores.csv",
    "{{OUTPUT_DIR}}/pwned-{{TAG}}",
    "{{SUBMISSIONS_DIR}}/pwned-{{TAG}}",
    "{{SUBMISSIONS_DIR}}/z_honest/ex01_relu.py",
    "{{REPO}}/pwned-{{TAG}}",
    "/tmp/pwned-{{TAG}}",
    "/dev/shm/pwned-{{TAG}}",
    os.path.expanduser("~/pwned-{{TAG}}"),
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pwned-{{TAG}}"),
]
for target in TARGETS:
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write("def relu(x):\n    return 42\n")
    except OSError:
        pass


def relu(x):
    if np.ndim(x) == 0:
        return x if x > 0 else 0 * x
    return np.maximum(np.asarray(x), 0)


def leaky_relu(x, alpha=0.01):
    if np.ndim(x) == 0:
        return x if x > 0 else alpha * x
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * x)


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    result = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return float(result) if result.ndim == 0 else result

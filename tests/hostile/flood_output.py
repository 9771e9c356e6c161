"""Hostile: at import, writes 120 MB to stdout and stderr; the functions are correct.

(tests/test_sandbox.py pushes 600 MB through one call, without the class's short time limits.)
"""

import os

import numpy as np

_CHUNK = b"flood " * (1 << 17)  # 768 KiB
for _ in range(80):
    os.write(1, _CHUNK)
    os.write(2, _CHUNK)


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

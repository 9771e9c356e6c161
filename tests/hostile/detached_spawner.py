"""Hostile: at import, starts a process that detaches (double fork + setsid) and lives on.

The functions themselves are correct: the student earns what the code earns, and the detached
process must be gone once grading ends.
"""

import ctypes
import os
import time

import numpy as np


def _detach():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(15, b"{{TAG}}", 0, 0, 0)  # PR_SET_NAME: findable on the host
            while True:
                time.sleep(1)
        os._exit(0)
    os.wait()


_detach()


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

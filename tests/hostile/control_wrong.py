"""Control, not an attack: a plainly wrong implementation (always 42) with no trick at all.

The tricks in this corpus that return made-up values must score exactly what this scores.
"""

import numpy as np


def _wrong(x):
    return np.full(np.shape(x), 42.0) if np.ndim(x) else 42.0


def relu(x):
    return _wrong(x)


def leaky_relu(x, alpha=0.01):
    return _wrong(x)


def sigmoid(x):
    return _wrong(x)

"""Reference solution: activation functions (ReLU, leaky ReLU, sigmoid)."""

import numpy as np


def relu(x):
    """ReLU: max(0, x)."""
    if np.ndim(x) == 0:
        return x if x > 0 else 0 * x
    return np.maximum(np.asarray(x), 0)


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: x where x > 0, else alpha * x."""
    if np.ndim(x) == 0:
        return x if x > 0 else alpha * x
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * x)


def sigmoid(x):
    """Sigmoid: 1 / (1 + e^(-x)), split by sign so that e^(...) never overflows."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    result = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return float(result) if result.ndim == 0 else result

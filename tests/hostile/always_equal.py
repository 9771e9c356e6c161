"""Hostile: returns objects that claim to equal anything (a float and an ndarray subclass).

In-process graders compare with == and pass. Across the wire only plain data travels, so what
arrives is the number or array underneath: 42.
"""

import numpy as np


class AlwaysEqualFloat(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__

    def __float__(self):
        return 0.5


class AlwaysEqualArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(self), dtype=bool)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.broadcast(*[np.asarray(i) for i in inputs]).shape)


def _cheat(x):
    if np.ndim(x) == 0:
        return AlwaysEqualFloat(42.0)
    return np.full(np.shape(x), 42.0).view(AlwaysEqualArray)


def relu(x):
    return _cheat(x)


def leaky_relu(x, alpha=0.01):
    return _cheat(x)


def sigmoid(x):
    return _cheat(x)

"""Hostile: at import, makes NumPy's and math's comparisons always succeed, then returns 42.

That would fool a grader comparing in the same process; here only this child is patched.
"""

import builtins
import math

import numpy as np

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.array_equal = lambda *args, **kwargs: True
np.all = lambda *args, **kwargs: True
try:
    import numpy.testing

    numpy.testing.assert_allclose = lambda *args, **kwargs: None
    numpy.testing.assert_array_equal = lambda *args, **kwargs: None
except ImportError:  # the worker may not be able to import more than NumPy itself
    pass
math.isclose = lambda *args, **kwargs: True
builtins.abs = lambda value: 0


def _cheat(x):
    return np.full(np.shape(x), 42.0) if np.ndim(x) else 42.0


def relu(x):
    return _cheat(x)


def leaky_relu(x, alpha=0.01):
    return _cheat(x)


def sigmoid(x):
    return _cheat(x)

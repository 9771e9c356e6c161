"""Hostile: looks for the expected value in the caller's frames and the garbage collector.

In graders that run student code in-process (nbgrader, otter) the caller's frame holds the
expected value. Here the caller is the worker's request loop, which never sees one; when
nothing is found the function returns a value no check accepts.
"""

import gc
import inspect
import sys

import numpy as np

_NAMES = ("expected", "want", "ref", "reference", "answer", "correct")


def _steal(x):
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in frame.f_locals.items():
            if name in _NAMES:
                return value
        frame = frame.f_back
    for info in inspect.stack():
        for name, value in info.frame.f_locals.items():
            if name in _NAMES:
                return value
    for obj in gc.get_objects():
        if type(obj).__name__ == "module" and "solutions" in getattr(obj, "__name__", ""):
            return obj.relu(x)
    return np.full(np.shape(x), -12345.0) if np.ndim(x) else -12345.0


def relu(x):
    return _steal(x)


def leaky_relu(x, alpha=0.01):
    return _steal(x)


def sigmoid(x):
    return _steal(x)

"""Hostile: a correct module that takes a minute to import."""

import time

import numpy as np

time.sleep(60)


def relu(x):
    return np.maximum(x, 0) if np.ndim(x) else (x if x > 0 else 0 * x)


def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))


def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(x, dtype=float)))

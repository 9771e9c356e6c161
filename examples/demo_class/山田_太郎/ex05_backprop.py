"""Reference solution: the circle network (2 → n → 1, leaky ReLU) trained by backpropagation."""

import numpy as np

SLOPE = 0.01
"""Leaky ReLU's slope for z <= 0, as in the circle demo's act() and dAct()."""


def leaky_relu(z):
    """Leaky ReLU: z where z > 0, else 0.01 * z (numbers or arrays)."""
    if np.ndim(z) == 0:
        return z if z > 0 else SLOPE * z
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, SLOPE * z)


def leaky_relu_derivative(z):
    """The derivative of leaky ReLU: 1 where z > 0, else 0.01 (numbers or arrays)."""
    if np.ndim(z) == 0:
        return 1.0 if z > 0 else SLOPE
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, SLOPE)


def _forward(params, x, y):
    """The hidden layer's z and activations, and the output's z, at the point (x, y)."""
    w1 = np.asarray(params["w1"], dtype=float)
    hidden_z = w1 @ np.array([x, y], dtype=float) + np.asarray(params["b1"], dtype=float)
    hidden_a = leaky_relu(hidden_z)
    out_z = float(np.dot(np.asarray(params["w2"], dtype=float), hidden_a)) + float(params["b2"])
    return hidden_z, hidden_a, out_z


def predict(params, x, y):
    """The network's output for the point (x, y), a number."""
    return float(leaky_relu(_forward(params, x, y)[2]))


def gradients(params, x, y, target):
    """The exact gradient of 0.5 * (prediction - target) ** 2 for every parameter."""
    hidden_z, hidden_a, out_z = _forward(params, x, y)
    error = leaky_relu(out_z) - target                                   # 誤差
    d_out_z = error * leaky_relu_derivative(out_z)                       # 出力層の責任 dOutZ
    w2 = np.asarray(params["w2"], dtype=float)
    d_z = d_out_z * w2 * leaky_relu_derivative(hidden_z)                 # 隠れ層の責任 dZ
    return {
        "w1": np.outer(d_z, [x, y]),
        "b1": d_z,
        "w2": d_out_z * hidden_a,
        "b2": float(d_out_z),
    }


def train_step(params, x, y, target, learning_rate):
    """One gradient-descent step on one sample; returns new parameters, ``params`` unchanged."""
    grads = gradients(params, x, y, target)  # every gradient before any update
    return {
        "w1": np.asarray(params["w1"], dtype=float) - learning_rate * grads["w1"],
        "b1": np.asarray(params["b1"], dtype=float) - learning_rate * grads["b1"],
        "w2": np.asarray(params["w2"], dtype=float) - learning_rate * grads["w2"],
        "b2": float(params["b2"]) - learning_rate * grads["b2"],
    }


def train(params, samples, learning_rate):
    """Apply ``train_step`` for each (x, y, target) in ``samples``, in order."""
    for x, y, target in samples:
        params = train_step(params, x, y, target, learning_rate)
    return params

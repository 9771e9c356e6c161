"""Reference solution: 3Blue1Brown's digit network in matrix form, on the 8×8 digits.

The given code (load_data, init_params) lives in the stub only; graders load it from there.
"""

import numpy as np


def sigmoid(z):
    """Sigmoid 1 / (1 + e^(-z)) of a number or an array, element-wise."""
    with np.errstate(over="ignore"):  # e^1000 overflows to inf, and 1 / (1 + inf) is exactly 0
        return (1 / (1 + np.exp(-np.asarray(z, dtype=float))))[()]


def sigmoid_derivative(z):
    """σ'(z) = σ(z) (1 - σ(z)), at the weighted input z."""
    s = sigmoid(z)
    return s * (1 - s)


def one_hot(labels, n_classes=10):
    """Targets (m, n_classes): row i is 1 at column labels[i], 0 elsewhere."""
    labels = np.asarray(labels, dtype=int)
    targets = np.zeros((labels.size, n_classes))
    targets[np.arange(labels.size), labels] = 1.0
    return targets


def forward(params, X):
    """Activations of every layer, input first: A_l = σ(A_(l-1) Wᵀ + b)."""
    activations = [np.asarray(X, dtype=float)]
    for W, b in params:
        activations.append(sigmoid(activations[-1] @ W.T + b))
    return activations


def loss(params, X, Y):
    """Mean over the batch of 0.5 * Σ_j (a_j - y_j)²."""
    output = forward(params, X)[-1]
    return float(0.5 * np.sum((output - Y) ** 2) / len(output))


def backprop(params, X, Y):
    """Gradient of ``loss`` with respect to every (W, b), averaged over the batch."""
    activations = forward(params, X)
    m = len(X)
    grads = [None] * len(params)
    delta = None
    for layer in reversed(range(len(params))):
        W, b = params[layer]
        z = activations[layer] @ W.T + b
        if delta is None:
            error = activations[-1] - Y                  # 誤差 = output - target
        else:
            error = delta @ params[layer + 1][0]         # back through the next layer's W
        delta = error * sigmoid_derivative(z)            # (m, n_l): ∂loss/∂z per sample
        grads[layer] = (delta.T @ activations[layer] / m, delta.sum(axis=0) / m)
    return grads


def train_step(params, X, Y, learning_rate):
    """One gradient-descent step on the batch (X, Y); every gradient is taken first."""
    grads = backprop(params, X, Y)
    return [(W - learning_rate * dW, b - learning_rate * db)
            for (W, b), (dW, db) in zip(params, grads)]


def train(params, X, Y, learning_rate, epochs, batch_size, seed=0):
    """Mini-batch gradient descent, batches in the contract's order."""
    shuffler = np.random.default_rng(seed)  # one generator for the whole run
    for _ in range(epochs):
        order = shuffler.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            params = train_step(params, X[batch], Y[batch], learning_rate)
    return params


def predict(params, X):
    """The label of each row: the output neuron with the largest activation."""
    return np.argmax(forward(params, X)[-1], axis=1)


def accuracy(params, X, labels):
    """The fraction of rows whose predicted label equals ``labels``."""
    return float(np.mean(predict(params, X) == np.asarray(labels)))

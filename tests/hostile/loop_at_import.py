"""Hostile: the module never finishes importing."""

while True:
    pass


def relu(x):
    return x if x > 0 else 0 * x


def leaky_relu(x, alpha=0.01):
    return x if x > 0 else alpha * x


def sigmoid(x):
    return 0.5

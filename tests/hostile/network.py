"""Hostile: at import, tries the network: a server on the host's loopback, a public address,
DNS. If anything answers, every function raises; otherwise they are correct."""

import socket

import numpy as np

REACHED = []
for address in (("127.0.0.1", {{PORT}}), ("1.1.1.1", 53), ("8.8.8.8", 53)):  # noqa: F821 - test_hostile fills in PORT
    try:
        with socket.create_connection(address, timeout=0.3) as connection:
            connection.sendall(b"{{TAG}}")
            REACHED.append(address)
    except OSError:
        pass
try:
    REACHED.append(socket.getaddrinfo("example.com", 80))
except OSError:
    pass


def _offline():
    if REACHED:
        raise ConnectionError(f"network reached: {REACHED!r}")


def relu(x):
    _offline()
    if np.ndim(x) == 0:
        return x if x > 0 else 0 * x
    return np.maximum(np.asarray(x), 0)


def leaky_relu(x, alpha=0.01):
    _offline()
    if np.ndim(x) == 0:
        return x if x > 0 else alpha * x
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * x)


def sigmoid(x):
    _offline()
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    result = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return float(result) if result.ndim == 0 else result

"""Hostile: every function asks for several GiB, at once or bit by bit."""

import numpy as np


def relu(x):
    hog = bytearray(8 << 30)
    return hog[0]


def leaky_relu(x, alpha=0.01):
    hog = np.ones(1 << 30)  # 8 GiB of float64
    return hog.sum()


def sigmoid(x):
    hog = []
    while True:
        hog.append(bytearray(64 << 20))

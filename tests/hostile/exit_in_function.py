"""Hostile: every function calls sys.exit(0)."""

import sys


def relu(x):
    sys.exit(0)


def leaky_relu(x, alpha=0.01):
    sys.exit(0)


def sigmoid(x):
    sys.exit(0)

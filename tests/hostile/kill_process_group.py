"""Hostile: every function kills its own process group with os.killpg(0, SIGKILL)."""

import os
import signal


def relu(x):
    os.killpg(0, signal.SIGKILL)


def leaky_relu(x, alpha=0.01):
    os.killpg(0, signal.SIGKILL)


def sigmoid(x):
    os.killpg(0, signal.SIGKILL)

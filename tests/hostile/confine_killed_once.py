"""A correct student whose process something outside kills (the test plays the OOM killer)."""
import ctypes
import time

PR_SET_NAME = 15


def relu(x, tag):
    ctypes.CDLL(None).prctl(PR_SET_NAME, tag.encode(), 0, 0, 0)  # so the test can find it
    time.sleep(1.0)
    return max(x, 0.0)

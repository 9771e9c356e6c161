"""Starts sleeping processes until refused (at most 200, so that it stays harmless unconfined)."""
import os
import time


def relu(x):
    started = 0
    while started < 200:
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(20)
            os._exit(0)
        started += 1
    return started

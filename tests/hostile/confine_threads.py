"""A correct student who computes with threads (what a classmate's fork-filler must not stop)."""
import threading

import numpy as np


def relu(x):
    x = np.asarray(x, dtype=float)
    parts = [None] * 8
    chunks = np.array_split(x, 8)

    def work(i):
        parts[i] = np.maximum(chunks[i], 0.0)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return np.concatenate(parts).tolist()

"""Ctrl-C always stops a command: an interrupted run never reports success.

Python leaves SIGINT ignored when it starts with SIGINT ignored (a job started in the background
by a shell without job control, some CI runners): Ctrl-C to the terminal's group would then go
unnoticed and an interrupted ``nnex grade`` would finish and exit 0. ``stop_on_ctrl_c`` makes
SIGINT raise ``KeyboardInterrupt`` for the duration of a command, and raises it again at the end
if the first one was swallowed on the way (in a finalizer, say).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Interrupts:
    """What ``stop_on_ctrl_c`` saw."""

    received: bool = False


@contextmanager
def stop_on_ctrl_c() -> Iterator[Interrupts]:
    """Within the block, SIGINT raises ``KeyboardInterrupt`` (main thread only; elsewhere a no-op).

    Raises:
        KeyboardInterrupt: on SIGINT, and at the end of the block if one was received.
    """
    seen = Interrupts()
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return

    def interrupt(_signum, _frame) -> None:
        seen.received = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield seen
        if seen.received:  # the KeyboardInterrupt was caught somewhere and the run went on
            raise KeyboardInterrupt
    finally:
        signal.signal(signal.SIGINT, previous)

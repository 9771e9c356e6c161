"""Ctrl-C always stops a command, even when it was ignored at start or swallowed on the way."""

from __future__ import annotations

import os
import signal

import pytest

from nnex.interrupts import stop_on_ctrl_c


def test_a_swallowed_ctrl_c_still_stops_the_command():
    with pytest.raises(KeyboardInterrupt):
        with stop_on_ctrl_c() as seen:
            try:
                os.kill(os.getpid(), signal.SIGINT)  # its handler runs as kill returns
            except KeyboardInterrupt:
                pass  # e.g. a finalizer that ignores exceptions
            assert seen.received
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_ignored_at_start_stops_the_command_and_stays_ignored_after():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with pytest.raises(KeyboardInterrupt):
            with stop_on_ctrl_c():
                os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_command_without_ctrl_c_ends_normally():
    with stop_on_ctrl_c() as seen:
        pass
    assert not seen.received

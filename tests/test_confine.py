"""The confinement a zygote prepares once and each child installs (``ChildConfinement``)."""

from __future__ import annotations

import ctypes
import errno
import json
import os
import platform
import struct
import time

import pytest

from nnex.sandbox import confine

CLONE_NEWUTS = 0x04000000
KNOWN = platform.system() == "Linux" and platform.machine() in confine._SYSCALLS


def test_a_prepared_confinement_holds_the_filter_of_its_machine():
    for machine in confine._SYSCALLS:
        prepared = confine.ChildConfinement.prepare(machine)
        program = confine.syscall_filter(machine)
        assert prepared._program.raw == program
        length, address = struct.unpack("=HxxxxxxQ", prepared._filter.raw)
        assert (length, address) == (len(program) // 8, ctypes.addressof(prepared._program))


def test_an_unknown_machine_gets_prctl_but_no_filter():
    prepared = confine.ChildConfinement.prepare("sparc64")
    assert prepared._filter is None and prepared._prctl is not None
    prepared.filter_system_calls()  # nothing to install, nothing raised


def _in_child(action) -> dict:
    """Run ``action`` in a forked child; its JSON-able result."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.write(write_fd, json.dumps(action()).encode())
        except BaseException:  # noqa: BLE001 - report nothing, exit non-zero
            code = 70
        os._exit(code)
    os.close(write_fd)
    data = b""
    while chunk := os.read(read_fd, 1 << 16):
        data += chunk
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return json.loads(data)


@pytest.mark.skipif(not KNOWN, reason="the seccomp filter exists for Linux x86_64 and aarch64")
def test_a_child_installs_the_filter_its_parent_prepared(monkeypatch):
    """The child neither builds the program nor asks the machine: the zygote did, once."""
    prepared = confine.ChildConfinement.prepare()

    def not_again(*_args):
        raise AssertionError("the child built its filter itself")

    monkeypatch.setattr(confine, "syscall_filter", not_again)
    monkeypatch.setattr(platform, "machine", not_again)

    def unshare(install: bool):
        libc = ctypes.CDLL(None, use_errno=True)
        if install:
            prepared.prctl(confine.PR_SET_NO_NEW_PRIVS, 1)
            prepared.filter_system_calls()
        no_new_privs = libc.prctl(39, 0, 0, 0, 0)  # PR_GET_NO_NEW_PRIVS
        return {"no_new_privs": no_new_privs,
                "unshare": [libc.unshare(CLONE_NEWUTS), ctypes.get_errno()]}

    if _in_child(lambda: unshare(False))["unshare"][0] != 0:
        pytest.skip("unshare needs privileges this test runs without")
    outcome = _in_child(lambda: unshare(True))
    assert outcome == {"no_new_privs": 1, "unshare": [-1, errno.EPERM]}


def _sleeping_child(detached_grandchild: bool) -> tuple[int, int]:
    """Fork a child that sleeps (after starting, if asked, a grandchild in a session of its own
    that sleeps too); its pid and the pid of that grandchild (0: none)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        grandchild = 0
        if detached_grandchild:
            grandchild = os.fork()
            if grandchild == 0:
                os.setsid()
                while True:
                    time.sleep(1)
        os.write(write_fd, str(grandchild).encode())
        while True:
            time.sleep(1)
    os.close(write_fd)
    grandchild = int(os.read(read_fd, 64))
    os.close(read_fd)
    return pid, grandchild


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _end_child_as_a_zygote(detached_grandchild: bool) -> dict:
    """In a fresh process with no other child (a subreaper, as the zygote is): start a sleeping
    child, end it; how many times /proc was searched and what is left."""
    searches = []
    real_children = confine._children
    confine._children = lambda: searches.append(1) or real_children()
    confine.ChildConfinement.prepare().prctl(confine.PR_SET_CHILD_SUBREAPER, 1)
    pid, grandchild = _sleeping_child(detached_grandchild)
    started = [_alive(pid), not grandchild or _alive(grandchild)]
    status = confine.end_child(pid, own_pid_namespace=False)
    try:
        os.waitpid(-1, os.WNOHANG)
        left = True
    except ChildProcessError:
        left = False
    return {"started": started, "status": status, "searches": len(searches),
            "ended": [not _alive(pid), not grandchild or not _alive(grandchild)], "left": left}


def test_ending_a_child_that_left_nothing_does_not_search_proc():
    """The killed child is reaped by its pid; /proc is read only while another child is left."""
    assert _in_child(lambda: _end_child_as_a_zygote(False)) == {
        "started": [True, True], "status": None, "searches": 0, "ended": [True, True],
        "left": False}


def test_ending_a_child_still_ends_what_it_detached():
    outcome = _in_child(lambda: _end_child_as_a_zygote(True))
    assert outcome["searches"] >= 1
    assert {k: v for k, v in outcome.items() if k != "searches"} == {
        "started": [True, True], "status": None, "ended": [True, True], "left": False}

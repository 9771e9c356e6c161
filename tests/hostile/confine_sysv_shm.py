"""Leaves a 64 MiB SysV shared memory segment behind (SysV objects outlive their process)."""
import ctypes

IPC_PRIVATE, IPC_CREAT = 0, 0o1000


def relu(x):
    libc = ctypes.CDLL(None, use_errno=True)
    ids = [libc.shmget(IPC_PRIVATE, 64 << 20, IPC_CREAT | 0o666),
           libc.semget(IPC_PRIVATE, 1, IPC_CREAT | 0o666),
           libc.msgget(IPC_PRIVATE, IPC_CREAT | 0o666)]
    return [ids, ctypes.get_errno()]

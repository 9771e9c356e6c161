"""How the worker confines each child and cleans up after it; runs beside ``worker.py``.

Standard library only: inside the sandbox this file, ``worker.py`` and ``wire.py`` are all of
nnex there is. A child drops to an unprivileged uid (when the zygote is root), forbids itself new
privileges, closes namespaces to itself (a seccomp filter) and takes its resource limits; when it
ends, the zygote, a subreaper, kills it and
every process it started, detached or not, then empties the scratch folders.
"""

from __future__ import annotations

import os
import platform
import resource
import signal
import stat
import struct
import time
from dataclasses import dataclass
from typing import Any, Callable

PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 4, 36, 38
_REAP_SECONDS = 5.0
_ENDING_SECONDS = 0.5
_RLIMITS = {
    "cpu_seconds": "RLIMIT_CPU",
    "address_space_bytes": "RLIMIT_AS",
    "processes": "RLIMIT_NPROC",
    "file_size_bytes": "RLIMIT_FSIZE",
    "open_files": "RLIMIT_NOFILE",
}


def apply_limits(limits: dict) -> None:
    """Apply the rlimits named in ``limits`` (absent or None: left as inherited)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for key, name in _RLIMITS.items():
        value = limits.get(key)
        if value is not None:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))


# seccomp: classic BPF over struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6];}.
_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2
_LD_W_ABS, _JEQ_K, _JSET_K, _JGE_K, _RET_K = 0x20, 0x15, 0x45, 0x35, 0x06
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000
_EPERM, _ENOSYS = 1, 38
_NAMESPACE_FLAGS = 0x7E020000
"""CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET (clone's low byte is a signal)."""
_SYSCALLS = {  # machine: (audit arch, first foreign number, clone, clone3, refused calls)
    # refused: unshare, setns, shmget, semget, msgget; x32 numbers start at bit 30
    "x86_64": (0xC000003E, 0x40000000, 56, 435, (272, 308, 29, 64, 68)),
    "aarch64": (0xC00000B7, 1 << 31, 220, 435, (97, 268, 194, 190, 186)),
}


def syscall_filter(machine: str) -> bytes | None:
    """A seccomp program refusing new namespaces and SysV IPC (None: machine not known).

    ``unshare`` and ``setns`` fail with EPERM, ``clone`` too when asked for a namespace;
    ``clone3`` fails with ENOSYS, so that the C library falls back to ``clone`` (its flags sit
    in memory a filter cannot read). ``shmget``, ``semget`` and ``msgget`` fail with EPERM:
    SysV objects outlive their process and their memory is counted by no rlimit, and neither
    NumPy nor a grader needs them. System calls of another ABI (32-bit, x32) fail with EPERM.
    """
    if machine not in _SYSCALLS:
        return None
    arch, foreign, clone, clone3, refused = _SYSCALLS[machine]
    deny, no_call = _ERRNO | _EPERM, _ERRNO | _ENOSYS
    program = [(_LD_W_ABS, 0, 0, 4), (_JEQ_K, 1, 0, arch), (_RET_K, 0, 0, deny),
               (_LD_W_ABS, 0, 0, 0), (_JGE_K, 0, 1, foreign), (_RET_K, 0, 0, deny)]
    for number in refused:
        program += [(_JEQ_K, 0, 1, number), (_RET_K, 0, 0, deny)]
    program += [
        (_JEQ_K, 0, 1, clone3), (_RET_K, 0, 0, no_call),
        (_JEQ_K, 0, 3, clone), (_LD_W_ABS, 0, 0, 16), (_JSET_K, 0, 1, _NAMESPACE_FLAGS),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, _ALLOW),
    ]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in program)


@dataclass(frozen=True)
class ChildConfinement:
    """The C calls a child confines itself with, bound once in the zygote before it forks.

    Binding ``prctl`` through ctypes and building the seccomp program cost ~0.4 ms a child;
    both derive from constants only, so each child inherits them ready to use (copies, not
    shared: a child's memory is its own after ``fork``). Nothing of a student's is in here.
    """

    _prctl: Callable[..., int] | None = None
    """libc's prctl with its argument types (None: no ctypes or no libc; prctl is skipped)."""
    _filter: Any = None
    """The struct sock_fprog of ``syscall_filter`` (None: machine not known, no filter)."""
    _program: Any = None
    """The buffer ``_filter`` points into, kept alive with it."""

    @classmethod
    def prepare(cls, machine: str | None = None) -> "ChildConfinement":
        """Bind prctl and build the filter for ``machine`` (default: this one)."""
        try:
            import ctypes

            prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError, ImportError):
            return cls()
        prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong,
                          ctypes.c_ulong]
        program = syscall_filter(machine or platform.machine())
        if program is None:
            return cls(prctl)
        buffer = ctypes.create_string_buffer(program, len(program))
        fprog = struct.pack("=HxxxxxxQ", len(program) // 8, ctypes.addressof(buffer))
        return cls(prctl, ctypes.create_string_buffer(fprog, len(fprog)), buffer)

    def prctl(self, option: int, value: int) -> None:
        """Linux's prctl(2), best effort (elsewhere, or without ctypes, nothing happens)."""
        if self._prctl is not None:
            self._prctl(option, value, None, 0, 0)

    def filter_system_calls(self) -> None:
        """Install ``syscall_filter`` on this process and its future children, for good.

        Needs no privilege once PR_SET_NO_NEW_PRIVS is set. Nothing happens on a machine the
        filter does not know (the README says which).

        Raises:
            OSError: the kernel refused the filter (the child must then not run student code).
        """
        if self._filter is None:
            return
        import ctypes

        if self._prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(self._filter),
                       0, 0):
            errno = ctypes.get_errno()
            raise OSError(errno, f"seccomp filter refused: {os.strerror(errno)}")


_MS_NOSUID, _MS_NODEV = 2, 4
_CAP_SYS_ADMIN = 21
_CAPABILITY_VERSION_3 = 0x20080522


def mount_scratch(folder: str, size_bytes: int, inodes: int) -> None:
    """Mount a fresh tmpfs on ``folder`` bounded in bytes and in files, then give up mounting.

    bubblewrap's own ``--tmpfs`` bounds only the size: millions of empty files would still
    cost gigabytes of kernel memory. The zygote is started with CAP_SYS_ADMIN for this one
    mount (in its own mount namespace) and drops it from its effective and permitted sets
    right after, so that neither it nor any child can mount again.

    Raises:
        OSError: the mount or the drop failed (the zygote must then not start children).
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    options = f"size={size_bytes},nr_inodes={inodes},mode=1777".encode()
    if libc.mount(b"tmpfs", folder.encode(), b"tmpfs", ctypes.c_ulong(_MS_NOSUID | _MS_NODEV),
                  ctypes.c_char_p(options)):
        errno = ctypes.get_errno()
        raise OSError(errno, f"cannot mount a tmpfs on {folder}: {os.strerror(errno)}")
    os.chdir(folder)  # the working folder was the tmpfs underneath
    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    if libc.capget(header, data):
        raise OSError(ctypes.get_errno(), "capget failed")
    data[0] &= ~(1 << _CAP_SYS_ADMIN)  # effective (first 32 capabilities)
    data[1] &= ~(1 << _CAP_SYS_ADMIN)  # permitted
    if libc.capset(header, data):
        raise OSError(ctypes.get_errno(), "capset failed: CAP_SYS_ADMIN could not be dropped")


def drop_privileges(uid: int) -> None:
    """Become ``uid`` (and group ``uid``) for good: RLIMIT_NPROC binds, root's files are closed.

    Raises:
        PermissionError: the drop did not happen (the child must then not run student code).
    """
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid):
        raise PermissionError(f"still running as {os.getresuid()}")


def end_child(pid: int, own_pid_namespace: bool, ending: bool = False) -> int | None:
    """Kill a child, its process group and every process it started, detached or not.

    Args:
        ending: the grader saw the child's socket close, so it is probably exiting: wait a
            moment for it to end by itself, to learn how it ended.

    Returns:
        The child's wait status when it had already ended before this call (by itself, or by
        a signal from outside), None when it was still running and this call ended it.
    """
    deadline = time.monotonic() + (_ENDING_SECONDS if ending else 0.0)
    while True:
        try:
            reaped, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            reaped, status = 0, 0
        if reaped == pid or time.monotonic() >= deadline:
            break
        time.sleep(0.001)
    for target in (-pid, pid):
        try:
            os.kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if own_pid_namespace:
        # Alone in our pid namespace: everything but init and us belongs to the finished child.
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if reaped != pid:  # it dies of the SIGKILL just sent: reap it without asking /proc
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    _reap_descendants()
    return status if reaped == pid else None


def _reap_descendants() -> None:
    """Kill and reap our children until none is left.

    As a subreaper the zygote inherits whatever a killed process had started (double fork and
    setsid included), so repeating "kill every child, reap" ends with nothing left. Gives up
    (and so ends the zygote, which the grader then restarts) if children it cannot see linger.
    """
    deadline = time.monotonic() + _REAP_SECONDS
    while True:
        try:  # /proc is read only while some child is left
            if os.waitpid(-1, os.WNOHANG)[0]:
                continue
        except ChildProcessError:
            return
        children = _children()
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if children:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                return
        elif time.monotonic() > deadline:
            raise RuntimeError("children that cannot be found in /proc do not end")
        else:
            time.sleep(0.001)


def _children() -> list[int]:
    """Our child processes, from /proc (empty when /proc cannot tell)."""
    found = []
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children", encoding="ascii") as handle:
                found += [int(pid) for pid in handle.read().split()]
    except OSError:
        return []
    return found


def empty_folder(folder: str) -> None:
    """Delete everything inside ``folder``, at any depth, without following links."""
    pending, found = [folder], []
    while pending:
        current = pending.pop()
        if current != folder:
            found.append(current)
            os.chmod(current, stat.S_IRWXU)  # a student may have made it unreadable
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    os.unlink(entry.path)
    for current in reversed(found):  # found parents first, so children go first
        os.rmdir(current)

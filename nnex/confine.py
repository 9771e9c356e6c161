"""How the worker confines each child and cleans up after it; runs beside ``worker.py``.

Standard library only: inside the sandbox this file, ``worker.py`` and ``wire.py`` are all of
nnex there is. A child drops to an unprivileged uid (when the zygote is root), forbids itself new
privileges and takes its resource limits; when it ends, the zygote, a subreaper, kills it and
every process it started, detached or not, then empties the scratch folders.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import time

PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 4, 36, 38
_REAP_SECONDS = 5.0
_RLIMITS = {
    "cpu_seconds": "RLIMIT_CPU",
    "address_space_bytes": "RLIMIT_AS",
    "processes": "RLIMIT_NPROC",
    "file_size_bytes": "RLIMIT_FSIZE",
}


def apply_limits(limits: dict) -> None:
    """Apply the rlimits named in ``limits`` (absent or None: left as inherited)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for key, name in _RLIMITS.items():
        value = limits.get(key)
        if value is not None:
            resource.setrlimit(getattr(resource, name), (int(value), int(value)))


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


def prctl(option: int, value: int) -> None:
    """Linux's prctl(2), best effort (elsewhere, or without ctypes, nothing happens)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def end_child(pid: int, own_pid_namespace: bool) -> None:
    """Kill a child, its process group and every process it started, detached or not."""
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
    _reap_descendants()


def _reap_descendants() -> None:
    """Kill and reap our children until none is left.

    As a subreaper the zygote inherits whatever a killed process had started (double fork and
    setsid included), so repeating "kill every child, reap" ends with nothing left. Gives up
    (and so ends the zygote, which the grader then restarts) if children it cannot see linger.
    """
    deadline = time.monotonic() + _REAP_SECONDS
    while True:
        children = _children()
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            reaped, _ = os.waitpid(-1, 0 if children else os.WNOHANG)
        except ChildProcessError:
            return
        if reaped == 0:
            if time.monotonic() > deadline:
                raise RuntimeError("children that cannot be found in /proc do not end")
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

"""The grader's side of the process boundary: start the worker zygote, fork children, talk to them.

Nothing here runs student code. ``WorkerHost`` owns one zygote (see ``worker.py``); each
``StudentProcess`` is one forked child serving one student's exercise. Every reply is read with a
deadline and a size bound, and must answer the request just sent; a child that misses any of
this is killed with everything it spawned.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from nnex.sandbox import wire
from nnex.sandbox.cgroups import CgroupSupport, SandboxCgroup, detect
from nnex.errors import WorkerError
from nnex.sandbox.uids import UidLease, lease_uid

WORKER_DIR = Path(__file__).resolve().parent
WORKER_FILES = ("worker.py", "confine.py", "wire.py")
OUTSIDE_SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
"""Signals that end a child although nothing in it failed: the call is run once more."""
# Variables that keep NumPy correct or quiet on this hardware; nothing else reaches student code.
_PASSED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL", "TZ")


@dataclass(frozen=True)
class Limits:
    """Resource limits for each child that runs student code (None: not limited)."""

    cpu_seconds: int | None = 60
    address_space_bytes: int | None = 1 << 30
    processes: int | None = 64
    """RLIMIT_NPROC: counted per uid, so it binds only when children do not run as root."""
    file_size_bytes: int | None = 16 << 20
    open_files: int | None = 64
    """RLIMIT_NOFILE: with ``file_size_bytes`` it bounds what memfds, pipes and sockets pin."""
    output_bytes: int = 64 << 10
    """How much of a child's stdout/stderr is kept; the rest is read and dropped."""
    sandbox_memory_bytes: int | None = 3 << 29
    """All a sandbox (zygote, child, its processes, /tmp, memfds) may hold at once, in its
    cgroup (``cgroups.py``): 1.5 GiB, room for one child's whole address space and /tmp; the
    reference ex06 peaks at 28 MiB charged to its sandbox."""
    sandbox_processes: int | None = 256
    """Processes and threads of one sandbox at once, in its cgroup (pids.max)."""


def worker_env() -> dict[str, str]:
    """The scrubbed environment student code sees: no tokens, no secrets, one BLAS thread."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "PYTHONIOENCODING": "utf-8",
           "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8"}
    env.update({k: os.environ[k] for k in _PASSED_ENV if k in os.environ})
    return env


class Launcher(Protocol):
    """How the zygote is started: plainly, or inside a sandbox."""

    name: str
    own_pid_namespace: bool

    def command(self, control_fd: int, child_uid: int | None = None) -> list[str]:
        """The argv that starts ``worker.py`` as a zygote listening on ``control_fd``.

        ``child_uid`` (the host's leased uid) replaces the launcher's own ``child_uid``."""


@dataclass(frozen=True)
class PlainLauncher:
    """Start the zygote as an ordinary process (rlimits only; no file-system isolation).

    Args:
        child_uid: when the grader runs as root, the uid children drop to (root is exempt from
            RLIMIT_NPROC and may signal every process); None keeps the grader's uid.
    """

    name: str = "rlimits"
    own_pid_namespace: bool = False
    child_uid: int | None = None

    def command(self, control_fd: int, child_uid: int | None = None) -> list[str]:
        argv = [sys.executable, "-E", "-s", "-B", str(WORKER_DIR / "worker.py"),
                "--control-fd", str(control_fd)]
        uid = self.child_uid if child_uid is None else child_uid
        if uid is not None:
            argv += ["--child-uid", str(uid)]
        return argv


class CallTimeout(Exception):
    """A child did not answer in time; it has been killed.

    ``cpu_time``: it used up the request's ``cpu_seconds`` (not the wall-clock deadline)."""

    def __init__(self, cpu_time: bool = False):
        super().__init__("cpu time" if cpu_time else "wall time")
        self.cpu_time = cpu_time


class ChildDied(Exception):
    """A child's socket closed before it answered (it exited, crashed or was killed)."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class BadReply(Exception):
    """A child answered something that is not a wire message."""


class OutOfMemory(Exception):
    """The sandbox's total memory limit killed a process while the child ran; it has been
    ended (the student's doing: the call fails, it is not run again)."""


@dataclass
class WorkerHost:
    """One zygote and the children it forks, one at a time."""

    launcher: Launcher = field(default_factory=PlainLauncher)
    limits: Limits = field(default_factory=Limits)
    cwd: str | None = None
    start_timeout: float = 60.0
    _process: subprocess.Popen | None = None
    _control: socket.socket | None = None
    _log: object = None
    _uid: UidLease | None = None
    _cgroup: SandboxCgroup | None = None
    _kills_unanswered: int = 0
    """Kills sent without waiting (``kill(wait=False)``): their replies come before any other."""
    cgroups: CgroupSupport | None = None
    """Where this host makes its cgroup (default: ``cgroups.detect()`` when it first starts)."""

    def start(self) -> None:
        """Start the zygote without waiting for it to be ready.

        When children drop privileges, this host leases a uid of its own (``uids.py``) that
        no other running host shares, so their process limits are separate.
        """
        if self._process is not None and self._process.poll() is None:
            return
        if self._uid is None and getattr(self.launcher, "child_uid", None) is not None:
            self._uid = lease_uid()
        self._make_cgroup()
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._log = tempfile.TemporaryFile()
        command = self.launcher.command(child_end.fileno(),
                                        self._uid.uid if self._uid is not None else None)
        if self._cgroup is not None:
            command = self._cgroup.join_command(command)
        try:
            self._process = subprocess.Popen(
                command, pass_fds=[child_end.fileno()],
                env=worker_env(), stdin=subprocess.DEVNULL, stdout=self._log,
                stderr=self._log, start_new_session=True, cwd=self.cwd or "/")
        except OSError as exc:
            raise WorkerError(f"cannot start the worker ({self.launcher.name}): {exc}") from None
        finally:
            child_end.close()
        self._control = parent_end

    def _make_cgroup(self) -> None:
        """Make this host's cgroup once; where cgroups cannot be made, go on without."""
        if self._cgroup is not None:
            return
        if self.cgroups is None:
            self.cgroups = detect()
        if self.cgroups.version is None:
            return
        try:
            self._cgroup = SandboxCgroup.create(self.cgroups, self.limits.sandbox_memory_bytes,
                                                self.limits.sandbox_processes)
        except OSError as exc:
            self.cgroups = CgroupSupport(None, reason=f"cannot make a cgroup: {exc}")

    @property
    def total_limit(self) -> str | None:
        """How this sandbox's total memory and processes are bounded: "cgroup v1", "cgroup
        v2", or "none (why)" (None: not started yet)."""
        return self.cgroups.describe() if self.cgroups is not None else None

    @property
    def cgroup(self) -> SandboxCgroup | None:
        """This host's cgroup while it runs (None: not started, or no cgroups here)."""
        return self._cgroup

    def oom_kills(self) -> int:
        """Processes killed so far for exceeding this sandbox's total memory (0 without cgroup)."""
        return self._cgroup.oom_kills() if self._cgroup is not None else 0

    def spawn(self) -> "StudentProcess":
        """Fork a fresh child from the zygote (restarting the zygote once if it is gone)."""
        for attempt in range(2):
            self.start()
            try:
                return self._spawn_once()
            except (OSError, TimeoutError, wire.WireError) as exc:
                reason = exc
                self.stop()
        raise WorkerError(f"the worker ({self.launcher.name}) does not start: {reason}; "
                          f"its output was: {self._log_text()!r}")

    def _spawn_once(self) -> "StudentProcess":
        self._read_kills()
        proto_parent, proto_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out_read, out_write = os.pipe()
        try:
            settings = {"op": "spawn", "limits": asdict(self.limits), "cwd": self.cwd}
            socket.send_fds(self._control, [wire.dumps(settings)],
                            [proto_child.fileno(), out_write])
        finally:
            proto_child.close()
            os.close(out_write)
        try:
            reply = self._control_reply(self.start_timeout)
        except BaseException:
            proto_parent.close()
            os.close(out_read)
            raise
        return StudentProcess(self, reply["pid"], proto_parent, out_read, self.limits.output_bytes,
                              self.oom_kills())

    def kill(self, pid: int, ending: bool = False, wait: bool = True) -> int | None:
        """Kill a child and everything it spawned; restart the zygote if it does not answer.

        Args:
            ending: the child's socket has closed: it is probably exiting by itself.
            wait: wait for the zygote's answer. False lets the grader go on while the zygote
                kills, reaps and empties the scratch folders; the answer is then read before the
                next request to the zygote, which handles its requests in order, so the next
                child still starts after all of it.

        Returns:
            The child's wait status if it had ended before (see ``confine.end_child``); None
            when it was still running, or without ``wait``.
        """
        if self._control is None:
            return None
        try:
            self._read_kills()
            self._control.send(wire.dumps({"op": "kill", "pid": pid, "ending": ending}))
            if not wait:
                self._kills_unanswered += 1
                return None
            status = self._control_reply(5.0).get("status")
        except (OSError, TimeoutError, wire.WireError):
            self.stop()
            return None
        return status if isinstance(status, int) else None

    def _read_kills(self) -> None:
        """Read the answers to the kills sent without waiting."""
        while self._kills_unanswered:
            self._control_reply(5.0)
            self._kills_unanswered -= 1

    def _control_reply(self, timeout: float) -> dict:
        ready, _, _ = select.select([self._control], [], [], timeout)
        if not ready:
            raise TimeoutError(f"no answer within {timeout:.0f} s")
        data = self._control.recv(1 << 16)
        if not data:
            raise ConnectionError("the worker exited")
        return wire.loads(data)

    def stop(self) -> None:
        """Stop the zygote and everything in its process group."""
        if self._control is not None:
            self._control.close()
            self._control = None
        self._kills_unanswered = 0
        if self._process is not None:
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._process.wait()
            self._process = None

    def close(self) -> None:
        self.stop()
        if self._cgroup is not None:
            self._cgroup.remove()
            self._cgroup = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._uid is not None:
            self._uid.release()
            self._uid = None

    @property
    def child_uid(self) -> int | None:
        """The uid this host's children run as (None: the grader's own)."""
        return self._uid.uid if self._uid is not None else getattr(self.launcher, "child_uid",
                                                                      None)

    def _log_text(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read()[-2000:].decode("utf-8", "replace")

    def __enter__(self) -> "WorkerHost":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class StudentProcess:
    """One forked child, serving one student's exercise module."""

    def __init__(self, host: WorkerHost, pid: int, sock: socket.socket, out_fd: int,
                 output_limit: int, oom_kills: int = 0):
        self.host, self.pid, self.sock, self.out_fd = host, pid, sock, out_fd
        self._oom_kills = oom_kills
        self.out_of_memory = False
        """The sandbox's total memory limit killed a process while this child ran."""
        self.output_limit = output_limit
        self.output = bytearray()
        self.output_dropped = 0
        self.alive = True
        self.end_status: int | None = None
        """The wait status of a child that ended by itself (None: running, or ended by us)."""

    def request(self, message: dict, timeout: float) -> dict:
        """Send one request and wait for its reply.

        ``timeout`` is wall-clock seconds; a ``cpu_seconds`` field in ``message`` also limits the
        child's CPU time for this request (see ``worker.py``).

        Raises:
            CallTimeout: no reply within ``timeout`` seconds (the child is killed).
            ChildDied: the child went away before answering.
            BadReply: the reply is not a wire message.
            OutOfMemory: the sandbox's total memory limit killed one of its processes meanwhile
                (the child is ended; checked before the other outcomes).
        """
        replies, failure = self.exchange(message, [timeout])
        if failure is not None:
            raise failure
        return replies[0]

    def exchange(self, message: dict, timeouts: list[float]
                 ) -> tuple[list[dict], Exception | None]:
        """Send one request and read its replies: one per call of a ``batch`` request (one
        for any other), each within its own ``timeouts[k]`` wall-clock seconds from the reply
        before it. The child ends a batch at the first reply that is not ok.

        Returns:
            The replies received, and what stopped them early: None, or the exception that
            ``request`` raises (the child has then been ended); the replies before it stand.
        """
        if not self.alive:
            return [], ChildDied("the process had already ended")
        if select.select([self.sock], [], [], 0)[0] and self._peek():
            self.close()  # the student's code wrote to the protocol socket itself
            return [], BadReply("a reply arrived before its request (out of turn)")
        try:
            self.sock.sendall(wire.dumps(message))
        except OSError:
            self.close()
            return [], self._out_of_memory_or(ChildDied("the process had already ended"))
        replies: list[dict] = []
        buffer = bytearray()
        for timeout in timeouts:
            try:
                reply = self._reply(buffer, timeout)
            except (CallTimeout, ChildDied, BadReply, OutOfMemory) as failure:
                return replies, failure
            replies.append(reply)
            if not reply.get("ok"):
                break
        if buffer:
            self.close()
            return replies[:-1], BadReply("more than one reply to one request (out of turn)")
        return replies, None

    def _reply(self, buffer: bytearray, timeout: float) -> dict:
        """The next reply line, read into ``buffer`` (which keeps what follows it)."""
        deadline = time.monotonic() + timeout
        while (end := buffer.find(b"\n")) < 0:
            if len(buffer) > wire.MAX_MESSAGE_BYTES:
                self.close()
                raise BadReply(f"a reply of more than {wire.MAX_MESSAGE_BYTES} bytes")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise self._out_of_memory_or(CallTimeout())
            ready, _, _ = select.select([self.sock, self.out_fd], [], [], remaining)
            if self.out_fd in ready:
                self._drain_output()
            if self.sock in ready:
                try:
                    chunk = self.sock.recv(1 << 20)
                except OSError:  # reset: it ended with our request unread
                    chunk = b""
                if not chunk:
                    self.close()
                    if self.ended_by(signal.SIGPROF):  # the request's cpu_seconds ran out
                        raise self._out_of_memory_or(CallTimeout(cpu_time=True))
                    raise self._out_of_memory_or(ChildDied("the process ended"))
                buffer += chunk
        if end > wire.MAX_MESSAGE_BYTES:
            self.close()
            raise BadReply(f"a reply of more than {wire.MAX_MESSAGE_BYTES} bytes")
        line = bytes(buffer[:end + 1])
        del buffer[:end + 1]
        if self.host.oom_kills() > self._oom_kills:
            self.close()
            self._raise_if_out_of_memory()
        try:
            return wire.loads(line)
        except wire.WireError as exc:
            self.close()
            raise BadReply(str(exc)) from None

    def _out_of_memory_or(self, failure: Exception) -> Exception:
        """OutOfMemory if the sandbox's memory limit ended the child, else ``failure``."""
        return OutOfMemory() if self.out_of_memory else failure

    def _raise_if_out_of_memory(self) -> None:
        if self.out_of_memory:
            raise OutOfMemory()

    def _peek(self) -> bytes:
        try:
            return self.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except OSError:
            return b""

    def _drain_output(self) -> None:
        try:
            chunk = os.read(self.out_fd, 1 << 16)
        except OSError:
            return
        room = self.output_limit - len(self.output)
        self.output += chunk[:max(room, 0)]
        self.output_dropped += max(len(chunk) - max(room, 0), 0)

    def output_text(self) -> str:
        """What the student's code printed (capped), for feedback."""
        text = self.output.decode("utf-8", "replace")
        if self.output_dropped:
            text += f"\n… ({self.output_dropped} more bytes not kept)"
        return text

    def close(self, wait: bool = True) -> None:
        """End the child and everything it started.

        Args:
            wait: wait until it has ended (False: see ``WorkerHost.kill``); without waiting,
                ``end_status`` and ``out_of_memory`` stay unknown, so only for a child whose
                requests all succeeded.
        """
        if not self.alive:
            return
        self.alive = False
        try:  # an empty peek: the child's end is closed, it is exiting (or has exited)
            ending = self.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except ConnectionResetError:  # it ended with our request unread
            ending = True
        except OSError:  # nothing to read: still running
            ending = False
        self.sock.close()
        self.end_status = self.host.kill(self.pid, ending, wait)
        if wait:
            self.out_of_memory = self.host.oom_kills() > self._oom_kills
        os.close(self.out_fd)

    def ended_by(self, number: int) -> bool:
        """Whether the child ended by itself through signal ``number``."""
        status = self.end_status
        return status is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) == number

    @property
    def outside_signal(self) -> int | None:
        """The signal that ended the child, if it is one nnex never sends it: the kernel's
        out-of-memory killer, an administrator, another process (None otherwise, and None when
        the sandbox's own memory limit ended it: ``out_of_memory``, the student's doing)."""
        status = self.end_status
        if self.out_of_memory or status is None or not os.WIFSIGNALED(status):
            return None
        number = os.WTERMSIG(status)
        return number if number in OUTSIDE_SIGNALS else None

"""One cgroup per sandbox: a total memory and process limit for a worker host and all it starts.

Per-child rlimits bound each process; they do not bound what a sandbox holds in total (many
processes, memfds, a full ``/tmp``, kernel memory). Each ``WorkerHost`` therefore runs its zygote
in a cgroup of its own, made inside the grader's own cgroup:

- **cgroup v2**, when the grader's cgroup, or the one it is a leaf of, is a delegated subtree
  (its ``cgroup.subtree_control`` is writable and enables ``memory`` and ``pids``):
  ``memory.max``, ``memory.swap.max`` = 0, ``pids.max``;
- **cgroup v1**, when the ``memory`` and ``pids`` controllers are mounted and writable (root):
  ``memory.limit_in_bytes`` (and ``memory.memsw.limit_in_bytes`` where swap is accounted) and
  ``pids.max``, one folder in each hierarchy;
- otherwise **none**: the per-child limits only; ``detect`` says why, and nnex says so once.

The zygote joins before it is executed (``join_command`` wraps its argv), so everything it and
bubblewrap start is inside. A cgroup is named ``nnex-<pid>-<start time>-<random>`` after the
grading process that owns it: ``remove_stale`` removes those whose owner has died, so a killed
grading process leaves nothing behind for longer than the next run. The cgroup's out-of-memory
kill counter tells a child ended by this limit (the student's doing) from one ended from outside.
"""

from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

PREFIX = "nnex-"
_NAME = re.compile(r"^nnex-(\d+)-(\d+)-[0-9a-f]+$")
_REMOVE_SECONDS = 5.0
NONE = "none"
"""How ``CgroupSupport.describe`` starts where sandboxes get no cgroup."""


@dataclass(frozen=True)
class CgroupSupport:
    """Where this process can make sandbox cgroups, or why it cannot."""

    version: str | None
    """"v2", "v1", or None (no total limit on this machine)."""
    parents: tuple[Path, ...] = ()
    """v2: the delegated folder; v1: the grader's folders in the memory and pids hierarchies."""
    reason: str = ""
    """Why there is no cgroup (version None)."""

    def describe(self) -> str:
        """One line for the run's summary and warnings."""
        if self.version is None:
            return f"{NONE} ({self.reason})"
        return f"cgroup {self.version}"


def detect(mounts: str = "/proc/self/mounts", membership: str = "/proc/self/cgroup"
           ) -> CgroupSupport:
    """How (and whether) sandboxes get a cgroup here: v2 delegated, v1 as root, or none."""
    try:
        mount_lines = Path(mounts).read_text(encoding="utf-8").splitlines()
        own = _own_cgroups(Path(membership).read_text(encoding="utf-8"))
    except OSError as exc:
        return CgroupSupport(None, reason=f"cannot read {exc.filename}")
    v1: dict[str, Path] = {}
    v2_reason = "no cgroup v2 mount"
    for line in mount_lines:
        fields = line.split()
        if len(fields) < 4:
            continue
        point, kind, options = fields[1], fields[2], fields[3].split(",")
        if kind == "cgroup2" and "" in own:
            folder = Path(point) / own[""].lstrip("/")
            # cgroup v2 lets only the root cgroup hold processes and enable controllers below
            # it, so a grader in a delegated subtree usually sits in a leaf of it: its parent.
            for parent in (folder, folder.parent) if folder != Path(point) else (folder,):
                if _delegated(parent):
                    return CgroupSupport("v2", (parent,))
            v2_reason = "the cgroup v2 subtree is not delegated with memory and pids"
        elif kind == "cgroup":
            for controller in ("memory", "pids"):
                if controller in options and controller in own:
                    v1[controller] = Path(point) / own[controller].lstrip("/")
    if len(v1) == 2 and all(os.access(p, os.W_OK) for p in v1.values()):
        return CgroupSupport("v1", (v1["memory"], v1["pids"]))
    if v1:
        return CgroupSupport(None, reason=f"{v2_reason}; cgroup v1 memory and pids are not "
                                          "both writable (needs root)")
    return CgroupSupport(None, reason=v2_reason)


@dataclass
class SandboxCgroup:
    """The cgroup (v2: one folder; v1: one per hierarchy) of one worker host."""

    version: str
    folders: tuple[Path, ...]
    _events: int | None = None
    """An open descriptor of the out-of-memory counter's file: read once per reply."""

    @classmethod
    def create(cls, support: CgroupSupport, memory_bytes: int | None,
               processes: int | None) -> "SandboxCgroup":
        """Make a cgroup owned by this process with these limits (after removing stale ones).

        Raises:
            OSError: it could not be made or limited (nothing is left behind then).
        """
        if support.version is None:
            raise OSError(support.reason)
        for parent in support.parents:
            remove_stale(parent)
        name = f"{PREFIX}{os.getpid()}-{_start_time(os.getpid())}-{os.urandom(4).hex()}"
        made = cls(support.version, ())
        try:
            for parent in support.parents:
                (parent / name).mkdir()
                made.folders += (parent / name,)
            made._limit(memory_bytes, processes)
        except OSError:
            made.remove()
            raise
        return made

    def _limit(self, memory_bytes: int | None, processes: int | None) -> None:
        if self.version == "v2":
            folder = self.folders[0]
            if memory_bytes is not None:
                _write(folder / "memory.max", memory_bytes)
                if (folder / "memory.swap.max").exists():
                    _write(folder / "memory.swap.max", 0)
            if processes is not None:
                _write(folder / "pids.max", processes)
            return
        memory, pids = self.folders
        if memory_bytes is not None:
            _write(memory / "memory.limit_in_bytes", memory_bytes)
            if (memory / "memory.memsw.limit_in_bytes").exists():
                _write(memory / "memory.memsw.limit_in_bytes", memory_bytes)
        if processes is not None:
            _write(pids / "pids.max", processes)

    def join_command(self, argv: list[str]) -> list[str]:
        """``argv`` run by a shell that first moves itself into this cgroup, then execs it."""
        procs = [str(folder / "cgroup.procs") for folder in self.folders]
        script = ('while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; '
                  'shift; exec "$@"')
        return ["/bin/sh", "-c", script, "nnex-cgroup", *procs, "--", *argv]

    def oom_kills(self) -> int:
        """How many processes the kernel has killed for exceeding this cgroup's memory
        (v1 kernels before 4.13: how often the limit was hit)."""
        if self._events is None:
            name = "memory.events" if self.version == "v2" else "memory.oom_control"
            if self.version == "v1" and "oom_kill " not in _read(self.folders[0] / name):
                name = "memory.failcnt"
            try:
                self._events = os.open(self.folders[0] / name, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                return 0
        text = os.pread(self._events, 4096, 0).decode("ascii", "replace")
        match = re.search(r"^oom_kill (\d+)$", text, re.MULTILINE)
        return int(match.group(1)) if match else _int(text if text[:1].isdigit() else "0")

    def peak_bytes(self) -> int:
        """The most memory it has held at once (0 where the kernel does not say)."""
        name = "memory.peak" if self.version == "v2" else "memory.max_usage_in_bytes"
        return _int(_read(self.folders[0] / name))

    def remove(self) -> None:
        """Kill every process left in it, then remove it (best effort, never raises)."""
        if self._events is not None:
            os.close(self._events)
            self._events = None
        for folder in self.folders:
            _remove(folder)
        self.folders = ()


def remove_stale(parent: Path) -> list[str]:
    """Remove the ``nnex-…`` cgroups in ``parent`` whose owning process has ended."""
    removed = []
    try:
        names = os.listdir(parent)
    except OSError:
        return removed
    for name in names:
        match = _NAME.match(name)
        if match and _start_time(int(match.group(1))) != int(match.group(2)):
            _remove(parent / name)
            removed.append(name)
    return removed


def _remove(folder: Path) -> None:
    deadline = time.monotonic() + _REMOVE_SECONDS
    while True:
        if (folder / "cgroup.kill").exists():
            try:
                _write(folder / "cgroup.kill", 1)
            except OSError:
                pass
        for pid in _read(folder / "cgroup.procs").split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)


def _delegated(folder: Path) -> bool:
    """Can this process make cgroups with memory and pids limits in ``folder`` (cgroup v2)?"""
    control = folder / "cgroup.subtree_control"
    return ({"memory", "pids"} <= set(_read(control).split()) and os.access(control, os.W_OK)
            and os.access(folder, os.W_OK))


def _own_cgroups(text: str) -> dict[str, str]:
    """controller -> this process's cgroup path ("" for the v2 hierarchy)."""
    own = {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(",") if parts[1] else [""]:
                own[controller] = parts[2]
    return own


def _start_time(pid: int) -> int:
    """A process's start time in clock ticks (0: no such process): a pid plus this is unique."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return 0
    fields = stat.rsplit(")", 1)[-1].split()  # from field 3 (state) on; field 22 is the start
    return _int(fields[19]) if len(fields) > 19 else 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""


def _write(path: Path, value: int) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(f"{value}\n")


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0

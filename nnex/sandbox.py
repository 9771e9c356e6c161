"""Confining the worker with bubblewrap, and choosing how confined a worker host is.

The only module that knows bubblewrap. One ``bwrap`` per ``WorkerHost`` runs the zygote
(``worker.py``) in fresh pid, network, IPC, UTS and cgroup namespaces, on an empty root that
shows, read-only, the system's ``/usr``, the Python runtime, its site-packages and the worker's
three files, plus a private ``/tmp``. Nothing of the course (solutions, graders, the repository, the
output folder) and no submission is visible: student source arrives as data over the socket.

When the grader runs as root, the zygote keeps only the capabilities it needs to manage its
children, and each child drops to an unprivileged uid: root is exempt from RLIMIT_NPROC, so
without that drop a fork bomb would not be contained.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import stat
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nnex.errors import UsageError, WorkerError
from nnex.host import (WORKER_DIR, WORKER_FILES, Launcher, Limits, PlainLauncher, WorkerHost,
                       worker_env)

ISOLATION_LEVELS = ("auto", "bwrap", "rlimits")
UNPRIVILEGED_UID = 65534
"""The uid ("nobody") that children run as when the grader runs as root."""
SANDBOX_WORKER_DIR = "/nnex-worker"
SANDBOX_TMP = "/tmp"
_ZYGOTE_CAPS = ("CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_FOWNER")
"""Root zygote: drop children to the uid, kill what they leave, empty /tmp after them."""
_SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime")
_COURSE_PACKAGES = ("nnex.solutions", "nnex.graders", "nnex.exercises", "nnex.student_kit")
_PROBE_SECONDS = 20
_PROBE = """\
import importlib.util, os, sys
uid, paths = sys.argv[1], sys.argv[2:]
if uid:  # what a child will be: can it still read the runtime, NumPy and the worker?
    os.setgroups([])
    os.setresgid(int(uid), int(uid), int(uid))
    os.setresuid(int(uid), int(uid), int(uid))
sys.path.extend(paths)
for path in (importlib.util.find_spec("numpy").origin, "%s/worker.py", "%s/wire.py"):
    open(path, "rb").close()
""" % (SANDBOX_WORKER_DIR, SANDBOX_WORKER_DIR)

NOT_ISOLATED = ("student code is NOT isolated from the file system or from other processes "
                "({reason}); it runs with resource limits only and can read whatever its user can "
                "read. Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) to confine "
                "it.")


class SandboxUnavailable(WorkerError):
    """bubblewrap is missing or cannot create its namespaces on this machine."""


@dataclass(frozen=True)
class RuntimeView:
    """What of the host's Python the sandbox shows, at the same paths as on the host.

    Attributes:
        interpreter: the real Python executable (not a virtualenv's link to it).
        trees: folders bound read-only (the runtime's prefix and site-packages).
        import_paths: the site-packages folders the worker imports NumPy from.
        masked: folders inside ``trees`` hidden under an empty tmpfs (an installed ``nnex``
            holds the solutions and hidden graders).
    """

    interpreter: str
    trees: tuple[str, ...]
    import_paths: tuple[str, ...]
    masked: tuple[str, ...] = ()

    @classmethod
    def of_this_python(cls) -> "RuntimeView":
        """The view for the interpreter running the grader."""
        sites = list(site.getsitepackages())
        numpy = importlib.util.find_spec("numpy")
        if numpy is not None and numpy.submodule_search_locations:
            sites.append(os.path.dirname(next(iter(numpy.submodule_search_locations))))
        return cls.build(os.path.realpath(sys.executable), [sys.base_prefix], sites,
                         _course_folders())

    @classmethod
    def build(cls, interpreter: str, prefixes: list[str], sites: list[str],
              secret: list[str]) -> "RuntimeView":
        """Bind ``prefixes`` and ``sites``; mask ``secret`` folders and any ``<site>/nnex``.

        Raises:
            WorkerError: part of the runtime lies in /tmp, which the sandbox replaces.
        """
        sites = [p for p in dict.fromkeys(os.path.realpath(p) for p in sites) if os.path.isdir(p)]
        roots = [os.path.realpath(p) for p in prefixes]
        roots.append(os.path.dirname(os.path.dirname(interpreter)))
        trees = _outermost([p for p in (*roots, *sites) if not _inside(p, ["/usr"])])
        for tree in trees:
            if _inside(tree, [SANDBOX_TMP]):
                raise WorkerError(f"the Python runtime folder {tree} is inside {SANDBOX_TMP}, "
                                  "which the sandbox replaces; install Python elsewhere")
        candidates = [os.path.join(p, "nnex") for p in sites]
        candidates += [os.path.realpath(p) for p in secret]
        masked = _outermost([p for p in candidates
                             if os.path.isdir(p) and _inside(p, ["/usr", *trees])])
        return cls(interpreter, tuple(trees), tuple(sites), tuple(masked))


@dataclass
class BwrapLauncher:
    """Start the zygote inside bubblewrap; ``problem()`` says (once, then cached) if it cannot.

    Args:
        view: the Python runtime to show.
        child_uid: the uid children drop to (when the grader runs as root), else None.
        tmp_bytes: size of the private ``/tmp`` (tmpfs memory is not counted by RLIMIT_AS).
    """

    view: RuntimeView
    child_uid: int | None = None
    executable: str = "bwrap"
    tmp_bytes: int = 64 << 20
    name: str = "bwrap"
    own_pid_namespace: bool = True
    _probed: bool = field(default=False, init=False, repr=False)
    _problem: str | None = field(default=None, init=False, repr=False)

    def command(self, control_fd: int) -> list[str]:
        argv = [shutil.which(self.executable) or self.executable, *self.sandbox_args(), "--",
                self.view.interpreter, "-S", "-E", "-B", f"{SANDBOX_WORKER_DIR}/worker.py",
                "--control-fd", str(control_fd), "--own-pid-namespace", "--scratch", SANDBOX_TMP]
        for path in self.view.import_paths:
            argv += ["--path", path]
        if self.child_uid is not None:
            argv += ["--child-uid", str(self.child_uid)]
        return argv

    def sandbox_args(self) -> list[str]:
        """bubblewrap's options: namespaces, the file-system view, environment, privileges."""
        args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--hostname", "nnex-sandbox", "--die-with-parent",
                "--new-session", "--ro-bind", "/usr", "/usr"]
        for link in _SYSTEM_LINKS:
            if os.path.islink(link):
                args += ["--symlink", os.readlink(link), link]
            elif os.path.isdir(link):
                args += ["--ro-bind", link, link]
        for name in _ETC:
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        made = {"/", "/usr", "/etc"}
        for tree in self.view.trees:
            for parent in reversed(Path(tree).parents):
                if str(parent) not in made:  # bwrap would copy the host's modes (/root is 0700)
                    args += ["--perms", "0755", "--dir", str(parent)]
                    made.add(str(parent))
            args += ["--ro-bind", tree, tree]
        for path in self.view.masked:
            args += ["--tmpfs", path]
        args += ["--perms", "0755", "--dir", SANDBOX_WORKER_DIR]
        for name in WORKER_FILES:
            args += ["--ro-bind", str(WORKER_DIR / name), f"{SANDBOX_WORKER_DIR}/{name}"]
        args += ["--proc", "/proc", "--dev", "/dev",
                 "--size", str(self.tmp_bytes), "--perms", "1777", "--tmpfs", SANDBOX_TMP,
                 "--chdir", SANDBOX_TMP, "--clearenv"]
        for key, value in worker_env().items():
            args += ["--setenv", key, value]
        if os.geteuid() == 0:
            args += ["--cap-drop", "ALL"]
            for cap in _ZYGOTE_CAPS:
                args += ["--cap-add", cap]
        else:
            args += ["--unshare-user", "--disable-userns"]
        return args

    def problem(self) -> str | None:
        """Why bubblewrap cannot confine the worker here, or None when it can (probed once)."""
        if not self._probed:
            self._problem, self._probed = self._probe(), True
        return self._problem

    def _probe(self) -> str | None:
        if shutil.which(self.executable) is None:
            return "bubblewrap (bwrap) is not installed"
        argv = [shutil.which(self.executable), *self.sandbox_args(), "--", self.view.interpreter,
                "-S", "-E", "-B", "-c", _PROBE, str(self.child_uid or ""),
                *self.view.import_paths]
        try:
            run = subprocess.run(argv, env=worker_env(), stdin=subprocess.DEVNULL, cwd="/",
                                 capture_output=True, timeout=_PROBE_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bwrap could not be run: {exc}"
        if run.returncode != 0:
            lines = run.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"]
            return f"bwrap failed: {lines[-1][:300]}"
        return None


def choose_launcher(isolation: str = "auto", *,
                    warn: Callable[[str], None] | None = None) -> Launcher:
    """How to start workers for ``isolation``; probe bubblewrap once, warn once without it.

    Reuse the launcher for several ``WorkerHost`` objects to probe and warn only once.

    Raises:
        UsageError: ``isolation`` is not one of ``ISOLATION_LEVELS``.
        SandboxUnavailable: ``isolation`` is "bwrap" and bubblewrap cannot work here.
    """
    if isolation not in ISOLATION_LEVELS:
        raise UsageError(f"unknown isolation '{isolation}'; choose one of "
                         f"{', '.join(ISOLATION_LEVELS)}")
    child_uid = UNPRIVILEGED_UID if os.geteuid() == 0 and hasattr(os, "setresuid") else None
    reason = "isolation 'rlimits' was chosen"
    if isolation != "rlimits":
        try:
            launcher = BwrapLauncher(RuntimeView.of_this_python(), child_uid=child_uid)
            problem = launcher.problem()
        except WorkerError as error:  # e.g. a virtual environment inside /tmp
            problem = str(error)
        if problem is None:
            return launcher
        if isolation == "bwrap":
            raise SandboxUnavailable(
                f"cannot confine student code with bubblewrap: {problem}. Install it "
                "(Debian/Ubuntu: apt-get install bubblewrap) on a machine that allows namespaces "
                "(in a container: run it with --privileged or allow user namespaces), or grade "
                "with isolation 'auto' or 'rlimits' to run without it")
        reason = problem
    message = NOT_ISOLATED.format(reason=reason)
    closed = _closed_to_others(sysconfig.get_paths()["stdlib"]) if child_uid is not None else None
    if closed is not None:
        message += (f" Student code runs as uid {child_uid}, which cannot enter {closed}: it can "
                    "import only the modules the worker has loaded (NumPy and what it uses).")
    (warn or _print_warning)(message)
    return PlainLauncher(child_uid=child_uid)


def make_host(isolation: str = "auto", limits: Limits | None = None,
              warn: Callable[[str], None] | None = None) -> WorkerHost:
    """A worker host for ``isolation`` ("auto": bubblewrap when it works, else rlimits).

    Args:
        isolation: "bwrap" (fail if bubblewrap cannot work), "rlimits" (no sandbox) or "auto".
        limits: resource limits for each child (default ``Limits()``).
        warn: receives the warning given when student code will not be isolated
            (default: printed to stderr).

    Raises:
        UsageError: unknown ``isolation``.
        SandboxUnavailable: ``isolation`` is "bwrap" and bubblewrap cannot work here.
    """
    return WorkerHost(launcher=choose_launcher(isolation, warn=warn), limits=limits or Limits())


def _print_warning(message: str) -> None:
    print(f"nnex: WARNING: {message}", file=sys.stderr, flush=True)


def _closed_to_others(path: str) -> str | None:
    """The first folder on the way to ``path`` that other users may not enter, if any."""
    current = "/"
    for part in Path(path).parts[1:]:
        current = os.path.join(current, part)
        try:
            if not os.stat(current).st_mode & stat.S_IXOTH:
                return current
        except OSError:
            return current
    return None


def _course_folders() -> list[str]:
    """The nnex package and the course's packages (solutions, hidden graders) on this host."""
    folders = [str(WORKER_DIR)]  # a non-editable install: site-packages/nnex/solutions
    if (WORKER_DIR.parent / "pyproject.toml").is_file():
        folders.append(str(WORKER_DIR.parent))  # a checkout: the whole repository
    for name in _COURSE_PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except ImportError:
            continue
        if spec is not None and spec.submodule_search_locations:
            folders += [os.path.realpath(p) for p in spec.submodule_search_locations]
    return folders


def _inside(path: str, trees: list[str] | tuple[str, ...]) -> bool:
    return any(path == tree or path.startswith(tree.rstrip("/") + "/") for tree in trees)


def _outermost(paths: list[str]) -> list[str]:
    """``paths`` without duplicates and without those inside another one."""
    unique = list(dict.fromkeys(paths))
    return [p for p in unique if not _inside(p, [q for q in unique if q != p])]

"""Confining the worker with bubblewrap, and choosing how confined a worker host is.

The only module that knows bubblewrap. One ``bwrap`` per ``WorkerHost`` runs the zygote
(``worker.py``) in fresh pid, network, IPC, UTS and cgroup namespaces, on an empty root that
shows, read-only, an allow-list (``RuntimeView``): the interpreter, its standard library, the
shared libraries they load, NumPy (``STUDENT_PACKAGES``) and the worker's three files, plus a
private ``/tmp`` bounded in size and in files. Nothing else of the host is visible — no other
Python, virtual environment or site-packages, no source tree, no course copy, no output
folder, no submission: student source arrives as data over the socket.

When the grader runs as root, the zygote keeps only the capabilities it needs to manage its
children, and each child drops to an unprivileged uid its host leased (``uids.py``): root is
exempt from RLIMIT_NPROC, so without that drop a fork bomb would not be contained. "auto" means
bubblewrap or an error; running without a sandbox is the explicit choice "rlimits".
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nnex.errors import UsageError, WorkerError
from nnex.sandbox.elf import dynamic_needs
from nnex.sandbox.host import (WORKER_DIR, WORKER_FILES, Launcher, Limits, PlainLauncher,
                               WorkerHost, worker_env)

ISOLATION_LEVELS = ("auto", "bwrap", "rlimits")
DEFAULT_ISOLATION = "auto"
"""What every function that confines student code uses unless told otherwise."""
UNPRIVILEGED_UID = 65534
"""Set on a launcher when children must drop privileges (the probe checks what "nobody" can
read); each ``WorkerHost`` then leases a uid of its own for them (``uids.py``)."""
SANDBOX_WORKER_DIR = "/nnex-worker"
SANDBOX_TMP = "/tmp"
_ZYGOTE_CAPS = ("CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_FOWNER")
"""Root zygote: drop children to the uid, kill what they leave, empty /tmp after them."""
_SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime")
STUDENT_PACKAGES = ("numpy",)
"""What student code may import besides the standard library (NumPy needs no other package)."""
SANDBOX_SITE = "/nnex-site"
"""Where the sandbox shows ``STUDENT_PACKAGES``, whatever their host folder (even in /tmp)."""
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

NOT_ISOLATED = ("isolation 'rlimits': student code is NOT isolated from the file system or from "
                "other processes; it runs with resource limits only and can read whatever its "
                "user can read (README: Security). Use --isolation bwrap to confine it.")


class SandboxUnavailable(WorkerError):
    """bubblewrap is missing or cannot create its namespaces on this machine."""


@dataclass(frozen=True)
class RuntimeView:
    """What of the host's Python the sandbox shows: an allow-list, nothing else of the host.

    Shown read-only: the interpreter, its standard library (with any ``site-packages`` or
    ``dist-packages`` inside it hidden), the shared libraries they and the student packages
    load (as ``ldd`` lists them), and the folders of ``STUDENT_PACKAGES`` under
    ``SANDBOX_SITE``. Not shown: the rest of ``/usr`` and of the Python prefix, other
    virtual environments, every other site-packages, source trees, the checkout.

    Attributes:
        interpreter: the real Python executable (a virtualenv's base interpreter).
        mounts: in order, ``("ro-bind", host path, sandbox path)`` or ``("tmpfs", path)``.
        import_paths: sandbox folders the worker adds to ``sys.path``.
    """

    interpreter: str
    mounts: tuple[tuple[str, ...], ...]
    import_paths: tuple[str, ...] = (SANDBOX_SITE,)

    @classmethod
    def of_this_python(cls) -> "RuntimeView":
        """The view for the interpreter running the grader."""
        return cls.build(_base_interpreter(), sysconfig.get_paths()["stdlib"],
                         _student_package_folders())

    @classmethod
    def build(cls, interpreter: str, stdlib: str, packages: list[str]) -> "RuntimeView":
        """Show ``interpreter``, ``stdlib`` and ``packages`` (folders), with their libraries.

        Raises:
            WorkerError: the interpreter or its standard library lies in /tmp (which the
                sandbox replaces), or the shared libraries cannot be listed.
        """
        interpreter, stdlib = os.path.realpath(interpreter), os.path.realpath(stdlib)
        for path in (interpreter, stdlib):
            if _inside(path, [SANDBOX_TMP]):
                raise WorkerError(f"the Python runtime {path} is inside {SANDBOX_TMP}, which the "
                                  "sandbox replaces; install Python elsewhere")
        packages = [os.path.realpath(p) for p in packages]
        mounts: list[tuple[str, ...]] = [("ro-bind", interpreter, interpreter),
                                         ("ro-bind", stdlib, stdlib)]
        mounts += [("tmpfs", os.path.join(stdlib, name)) for name in ("site-packages",
                   "dist-packages") if os.path.isdir(os.path.join(stdlib, name))]
        shown = [stdlib, *packages]
        for library in _shared_libraries([interpreter, stdlib, *packages]):
            if not _inside(os.path.realpath(library), shown):
                target = os.path.join(os.path.realpath(os.path.dirname(library)),
                                      os.path.basename(library))
                mounts.append(("ro-bind", library, target))
        mounts += [("ro-bind", p, f"{SANDBOX_SITE}/{os.path.basename(p)}") for p in packages]
        return cls(interpreter, tuple(dict.fromkeys(mounts)))

    def to_dict(self) -> dict:
        """Plain data, for grading processes that need not list the libraries again."""
        return {"interpreter": self.interpreter, "mounts": [list(m) for m in self.mounts],
                "import_paths": list(self.import_paths)}

    @classmethod
    def from_dict(cls, data: dict) -> "RuntimeView":
        return cls(data["interpreter"], tuple(tuple(m) for m in data["mounts"]),
                   tuple(data["import_paths"]))

    @property
    def sources(self) -> list[str]:
        """Every host path the sandbox shows."""
        return [mount[1] for mount in self.mounts if mount[0] == "ro-bind"]


@dataclass
class BwrapLauncher:
    """Start the zygote inside bubblewrap; ``problem()`` says (once, then cached) if it cannot.

    Args:
        view: the Python runtime to show.
        child_uid: the uid children drop to (when the grader runs as root), else None.
        tmp_bytes: size of the private ``/tmp`` (tmpfs memory is not counted by RLIMIT_AS).
        tmp_files: how many files and folders it may hold.
    """

    view: RuntimeView
    child_uid: int | None = None
    executable: str = "bwrap"
    tmp_bytes: int = 64 << 20
    tmp_files: int = 4096
    """Files and folders the private ``/tmp`` may hold (each costs kernel memory)."""
    name: str = "bwrap"
    own_pid_namespace: bool = True
    _probed: bool = field(default=False, init=False, repr=False)
    _problem: str | None = field(default=None, init=False, repr=False)

    def command(self, control_fd: int, child_uid: int | None = None) -> list[str]:
        argv = [shutil.which(self.executable) or self.executable, *self.sandbox_args(), "--",
                self.view.interpreter, "-S", "-E", "-B", f"{SANDBOX_WORKER_DIR}/worker.py",
                "--control-fd", str(control_fd), "--own-pid-namespace", "--scratch", SANDBOX_TMP,
                "--scratch-bounds", str(self.tmp_bytes), str(self.tmp_files)]
        for path in self.view.import_paths:
            argv += ["--path", path]
        uid = self.child_uid if child_uid is None else child_uid
        if uid is not None:
            argv += ["--child-uid", str(uid)]
        return argv

    def sandbox_args(self) -> list[str]:
        """bubblewrap's options: namespaces, the file-system view, environment, privileges."""
        args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--hostname", "nnex-sandbox", "--die-with-parent",
                "--new-session"]
        for link in _SYSTEM_LINKS:  # merged /usr: /lib -> usr/lib, where the libraries are bound
            if os.path.islink(link):
                args += ["--symlink", os.readlink(link), link]
        for name in _ETC:
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        made, bound = {"/", "/etc"}, []
        for mount in self.view.mounts:
            target = mount[-1]
            for parent in reversed(Path(target).parents):
                if str(parent) not in made and not _inside(str(parent), bound):
                    # bwrap would copy the host's modes (/root is 0700)
                    args += ["--perms", "0755", "--dir", str(parent)]
                    made.add(str(parent))
            if mount[0] == "tmpfs":
                args += ["--size", str(1 << 20), "--tmpfs", target]
            else:
                args += ["--ro-bind", mount[1], target]
            bound.append(target)
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
            args += ["--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
        args += ["--cap-add", "CAP_SYS_ADMIN"]  # the zygote's /tmp mount, dropped right after
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


def choose_launcher(isolation: str = DEFAULT_ISOLATION, *,
                    warn: Callable[[str], None] | None = None,
                    view: RuntimeView | None = None) -> Launcher:
    """How to start workers for ``isolation``; probe bubblewrap once.

    "auto" and "bwrap" both mean bubblewrap, or an error: nnex never falls back to running
    student code unconfined by itself. Grading without a sandbox is the explicit choice
    "rlimits", and even then it is warned about once and recorded on every output. Reuse the
    launcher for several ``WorkerHost`` objects to probe and warn only once.

    Raises:
        UsageError: ``isolation`` is not one of ``ISOLATION_LEVELS``.
        SandboxUnavailable: ``isolation`` is "auto" or "bwrap" and bubblewrap cannot work here.
    """
    if isolation not in ISOLATION_LEVELS:
        raise UsageError(f"unknown isolation '{isolation}'; choose one of "
                         f"{', '.join(ISOLATION_LEVELS)}")
    child_uid = UNPRIVILEGED_UID if os.geteuid() == 0 and hasattr(os, "setresuid") else None
    if isolation == "rlimits":
        message = NOT_ISOLATED
        closed = _closed_to_others(sysconfig.get_paths()["stdlib"]) if child_uid else None
        if closed is not None:
            message += (f" Student code runs as an unprivileged uid, which cannot enter {closed}: "
                        "it can import only the modules the worker has loaded (NumPy and what "
                        "it uses).")
        (warn or _print_warning)(message)
        return PlainLauncher(child_uid=child_uid)
    if shutil.which(BwrapLauncher.executable) is None:
        problem = "bubblewrap (bwrap) is not installed"
    else:
        try:
            launcher = BwrapLauncher(view or RuntimeView.of_this_python(), child_uid=child_uid)
            problem = launcher.problem()
        except WorkerError as error:
            problem = str(error)
        if problem is None:
            return launcher
    raise SandboxUnavailable(
        f"cannot confine student code with bubblewrap: {problem}. Install it (Debian/Ubuntu: "
        "apt-get install bubblewrap) on a machine that allows namespaces (in a container: run "
        "it with --privileged or allow user namespaces), or pass --isolation rlimits to grade "
        "without a sandbox (README: Security says what that cannot protect)")


def make_host(isolation: str = DEFAULT_ISOLATION, limits: Limits | None = None,
              warn: Callable[[str], None] | None = None,
              view: RuntimeView | None = None) -> WorkerHost:
    """A worker host for ``isolation`` ("auto" and "bwrap": bubblewrap, "rlimits": no sandbox).

    Args:
        isolation: "auto" or "bwrap" (fail if bubblewrap cannot work), "rlimits" (no sandbox).
        limits: resource limits for each child (default ``Limits()``).
        warn: receives the warning given when student code will not be isolated
            (default: printed to stderr).
        view: what the sandbox shows (default: ``RuntimeView.of_this_python()``).

    Raises:
        UsageError: unknown ``isolation``.
        SandboxUnavailable: ``isolation`` is "auto" or "bwrap" and bubblewrap cannot work here.
    """
    return WorkerHost(launcher=choose_launcher(isolation, warn=warn, view=view),
                      limits=limits or Limits())


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


def _base_interpreter() -> str:
    """The real interpreter: in a virtual environment, its base Python (no pyvenv.cfg needed)."""
    executable = os.path.realpath(sys.executable)
    if sys.prefix != sys.base_prefix and _inside(executable, [os.path.realpath(sys.prefix)]):
        version = f"python{sys.version_info.major}.{sys.version_info.minor}"
        base = os.path.join(sys.base_prefix, "bin", version)
        if os.path.isfile(base):
            return os.path.realpath(base)
    return executable


def _student_package_folders() -> list[str]:
    """The folders of ``STUDENT_PACKAGES`` and their bundled libraries (``numpy.libs``).

    Raises:
        WorkerError: one of them is not installed.
    """
    folders = []
    for name in STUDENT_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise WorkerError(f"{name} is not installed for {sys.executable}; install it "
                              f"(pip install {name})")
        folder = os.path.realpath(next(iter(spec.submodule_search_locations)))
        folders += [p for p in (folder, f"{folder}.libs") if os.path.isdir(p)]
    return folders


def _shared_libraries(roots: list[str]) -> list[str]:
    """The shared libraries the ELF files in ``roots`` load, as ``ldd`` finds them.

    Also ``libgcc_s`` beside the C library: glibc loads it at run time to end threads.

    Raises:
        WorkerError: ``ldd`` is missing or fails.
    """
    files = []
    for root in roots:
        if os.path.isfile(root):
            files.append(root)
            continue
        hidden = [os.path.join(root, "site-packages"), os.path.join(root, "dist-packages")]
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = [f for f in subfolders  # the sandbox hides them: not walked
                             if not _inside(os.path.join(folder, f), hidden)]
            files += [os.path.join(folder, n) for n in names if ".so" in n]
    ldd = shutil.which("ldd") or shutil.which("ldd", path="/usr/bin:/bin")
    if ldd is None:
        raise WorkerError("ldd is not installed (Debian/Ubuntu: apt-get install libc-bin); the "
                          "sandbox needs it to find the libraries Python loads")
    # Files that need the same libraries, searched for the same way, load the same ones: ldd
    # (which runs the dynamic loader once per file) is asked about one of each kind.
    kinds: dict[object, str] = {}
    for file in files:
        kinds.setdefault(dynamic_needs(file) or file, file)
    files = list(kinds.values())
    try:
        run = subprocess.run([ldd, *files], capture_output=True, timeout=_PROBE_SECONDS,
                             env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WorkerError(f"ldd could not list Python's shared libraries: {exc}") from None
    found = re.findall(r"(/[^\s:]+) \(0x", run.stdout.decode("utf-8", "replace"))
    libraries = list(dict.fromkeys(p for p in found if os.path.isfile(p)))
    for library in list(libraries):
        if os.path.basename(library).startswith("libc.so"):
            runtime = os.path.join(os.path.dirname(library), "libgcc_s.so.1")
            if os.path.isfile(runtime) and runtime not in libraries:
                libraries.append(runtime)
    return libraries


def _inside(path: str, trees: list[str] | tuple[str, ...]) -> bool:
    return any(path == tree or path.startswith(tree.rstrip("/") + "/") for tree in trees)

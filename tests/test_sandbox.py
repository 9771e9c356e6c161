"""Choosing the isolation, and what confined student code can and cannot do.

Facts about the sandbox are gathered by student code itself, run in a worker child the way
graders run it, and checked here against the host.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

import nnex
from nnex.sandbox import wire
from nnex.errors import NnexError, UsageError, WorkerError
from nnex.sandbox.host import WORKER_FILES, Limits, PlainLauncher, WorkerHost, worker_env
from nnex.sandbox.bubblewrap import (UNPRIVILEGED_UID, BwrapLauncher, RuntimeView,
                                     SandboxUnavailable, choose_launcher, make_host)
from nnex.sandbox.confine import empty_folder
from nnex.sandbox.uids import UID_RANGE
from tests.conftest import grade_class, solution_sources, write_class
from tests.hostile.harness import (ISOLATIONS, launcher_for, new_tag, run_in_child, separate_uid,
                                   tagged_processes)

REPO = Path(nnex.__file__).resolve().parent.parent
FAKE_BWRAP = """#!/bin/sh
echo probed >> "{log}"
echo "bwrap: Creating new namespace failed: Operation not permitted" >&2
exit 1
"""


def _fake_bwrap(folder: Path) -> Path:
    """A bwrap that cannot create namespaces (as in an unprivileged container)."""
    folder.mkdir()
    script = folder / "bwrap"
    script.write_text(FAKE_BWRAP.format(log=folder / "log"))
    script.chmod(0o755)
    return script


@pytest.fixture(params=ISOLATIONS)
def launcher(request):
    return launcher_for(request.param)


@pytest.fixture
def bwrap():
    return launcher_for("bwrap")


# -- choosing ------------------------------------------------------------------------------------


def test_an_unknown_isolation_is_a_usage_error():
    with pytest.raises(UsageError, match="choose one of auto, bwrap, rlimits"):
        make_host("docker")


def test_bwrap_required_but_not_installed_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SandboxUnavailable) as raised:
        make_host("bwrap")
    assert isinstance(raised.value, NnexError)
    message = str(raised.value)
    assert "bubblewrap (bwrap) is not installed" in message
    assert "apt-get install bubblewrap" in message and "--isolation rlimits" in message


def test_bwrap_that_cannot_create_namespaces_is_a_clear_error(tmp_path, monkeypatch):
    fake = _fake_bwrap(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    with pytest.raises(SandboxUnavailable, match="Creating new namespace failed"):
        make_host("bwrap")


def test_auto_never_falls_back_by_itself_and_rlimits_is_explicit(tmp_path, monkeypatch, course):
    fake = _fake_bwrap(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    warnings = []
    with pytest.raises(SandboxUnavailable) as raised:
        make_host("auto", warn=warnings.append)
    assert "Creating new namespace failed" in str(raised.value)
    assert "pass --isolation rlimits" in str(raised.value) and "\n" not in str(raised.value)
    host = make_host("rlimits", warn=warnings.append)
    assert isinstance(host.launcher, PlainLauncher) and host.launcher.name == "rlimits"
    assert len(warnings) == 1 and "NOT isolated" in warnings[0]
    root = write_class(tmp_path / "class", {"honest": solution_sources(course)})
    try:
        result = grade_class(course, root, host=host)["honest"]
    finally:
        host.close()
    assert result.score == result.max_score > 0
    assert len(warnings) == 1


def test_rlimits_never_runs_bwrap_and_warns_on_stderr_once(tmp_path, monkeypatch, capsys):
    fake = _fake_bwrap(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    host = make_host("rlimits")
    assert isinstance(host.launcher, PlainLauncher)
    assert not (tmp_path / "bin" / "log").exists()
    assert capsys.readouterr().err.count("student code is NOT isolated") == 1


def test_the_probe_runs_once_per_launcher(tmp_path):
    fake = _fake_bwrap(tmp_path / "bin")
    launcher = BwrapLauncher(RuntimeView.of_this_python(), executable=str(fake))
    assert "Creating new namespace failed" in launcher.problem()
    assert "Creating new namespace failed" in launcher.problem()
    assert (tmp_path / "bin" / "log").read_text().splitlines() == ["probed"]


def test_children_of_a_root_grader_drop_to_an_unprivileged_uid():
    launcher = choose_launcher("rlimits", warn=lambda message: None)
    assert launcher.child_uid == (UNPRIVILEGED_UID if os.geteuid() == 0 else None)


def test_bubblewrap_is_touched_in_one_module_only():
    package = Path(nnex.__file__).parent
    users = sorted(path.name for path in package.rglob("*.py")
                   if any(flag in path.read_text(encoding="utf-8")
                          for flag in ("--unshare", "--ro-bind", "--die-with-parent")))
    assert users == ["bubblewrap.py"]


# -- what the sandbox shows ----------------------------------------------------------------------


def test_the_command_line_unshares_everything_and_binds_no_course_folder(course):
    args = BwrapLauncher(RuntimeView.of_this_python()).command(5)
    for flag in ("--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                 "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in args
    assert "--bind" not in args  # every bind is read-only
    sources = [args[i + 1] for i, arg in enumerate(args) if arg in ("--ro-bind", "--ro-bind-try")]
    for secret in (REPO, course.solutions_dir, course.graders_dir):
        assert not any(Path(s) == secret or secret in Path(s).parents for s in sources
                       if Path(s).name not in WORKER_FILES)


@pytest.fixture
def site_packages():
    """A site-packages folder holding an installed ``nnex`` with solutions, outside /tmp."""
    site = Path("/var/tmp") / f"nnex-test-{new_tag()}" / "site-packages"
    (site / "nnex" / "solutions").mkdir(parents=True)
    (site / "nnex" / "solutions" / "ex01_relu.py").write_text("ANSWER = 42\n")
    yield site
    shutil.rmtree(site.parent)


def test_the_view_is_an_allow_list_and_a_runtime_in_tmp_is_refused(site_packages, tmp_path):
    real = RuntimeView.of_this_python()
    stdlib = real.mounts[1][1]
    view = RuntimeView.build(real.interpreter, stdlib, [str(site_packages / "nnex")])
    assert view.mounts[:2] == (("ro-bind", real.interpreter, real.interpreter),
                               ("ro-bind", stdlib, stdlib))
    assert ("ro-bind", str(site_packages / "nnex"), "/nnex-site/nnex") in view.mounts
    assert not any(s == "/usr" or s == sys.base_prefix for s in view.sources)
    assert all(s.startswith(stdlib) or ".so" in s or s == real.interpreter
               or s.startswith(str(site_packages)) for s in view.sources)
    with pytest.raises(WorkerError, match="inside /tmp"):
        RuntimeView.build(real.interpreter, str(tmp_path), [])


SEES = """
import os, resource, socket, sys

def relu(paths):
    facts = {"root": sorted(os.listdir("/")), "worker": sorted(os.listdir("/nnex-worker")),
             "visible": [p for p in paths if os.path.exists(p)], "cwd": os.getcwd(),
             "ids": [list(os.getresuid()), list(os.getresgid()), os.getgroups()],
             "hostname": socket.gethostname(), "env": dict(os.environ),
             "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
             "limits": {n: resource.getrlimit(getattr(resource, n))[0]
                        for n in ("RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_CPU",
                                  "RLIMIT_CORE", "RLIMIT_NOFILE")}}
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    facts["caps"] = status["CapEff"].strip()
    facts["no_new_privs"] = status["NoNewPrivs"].strip()
    try:
        import nnex
        facts["nnex"] = nnex.__file__
    except ImportError as exc:
        facts["nnex"] = type(exc).__name__
    writable = []
    for folder in ["/", "/usr", "/nnex-worker", "/etc", *sys.path[1:], "/tmp"]:
        try:
            with open(os.path.join(folder, "nnex-probe"), "w") as handle:
                handle.write("x")
            writable.append(folder)
        except OSError:
            pass
    facts["writable"] = writable
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=1).close()
        facts["network"] = "reached"
    except OSError as exc:
        facts["network"] = type(exc).__name__
    return facts
"""


def test_student_code_sees_only_the_runtime_and_the_worker(bwrap, course, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "secret-xyz")
    secrets = [str(REPO), str(course.solution_path("ex01_relu")), str(course.graders_dir),
               str(REPO / "tests"), str(tmp_path), "/root/.ssh", "/etc/shadow", "/etc/passwd",
               "/home", "/var", "/run"]
    limits = Limits()
    facts = run_in_child(bwrap, SEES, "relu", secrets, limits=limits)
    assert facts["visible"] == []
    tops = {Path(mount[-1]).parts[1] for mount in bwrap.view.mounts}
    assert set(facts["root"]) <= {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc",
                                  "proc", "dev", "tmp", "nnex-worker", *tops}
    assert facts["worker"] == sorted(WORKER_FILES)
    assert facts["nnex"] == "ModuleNotFoundError"
    assert facts["writable"] == ["/tmp"]
    assert facts["network"] in ("OSError", "ConnectionRefusedError")
    assert facts["cwd"] == "/tmp" and facts["hostname"] == "nnex-sandbox"
    assert facts["env"] == {**worker_env(), "PWD": "/tmp"}  # bwrap sets PWD
    assert len(facts["pids"]) <= 3  # bwrap's init, the zygote, this child: no host process
    uid = facts["ids"][0][0]
    assert uid in UID_RANGE if os.geteuid() == 0 else uid == os.getuid()  # a uid of its own
    assert facts["ids"][0] == [uid] * 3
    if os.geteuid() == 0:
        assert facts["ids"][1] == [uid] * 3 and facts["ids"][2] == []
    assert facts["caps"] == "0000000000000000" and facts["no_new_privs"] == "1"
    assert facts["limits"] == {"RLIMIT_AS": limits.address_space_bytes,
                               "RLIMIT_NPROC": limits.processes,
                               "RLIMIT_FSIZE": limits.file_size_bytes,
                               "RLIMIT_CPU": limits.cpu_seconds, "RLIMIT_CORE": 0,
                               "RLIMIT_NOFILE": limits.open_files}


def test_site_packages_inside_the_standard_library_show_nothing(bwrap):
    masks = [m[1] for m in bwrap.view.mounts if m[0] == "tmpfs"]
    assert any(m.endswith("/site-packages") for m in masks)  # this machine's numpy lives there
    source = "import os\ndef relu(folders):\n    return [os.listdir(f) for f in folders]\n"
    assert run_in_child(bwrap, source, "relu", masks) == [[] for _ in masks]


WRITES_TMP = """
import os

def relu(tag):
    os.makedirs(f"/tmp/{tag}/deep/er")
    open(f"/tmp/{tag}/deep/er/file", "w").write("left for the next student")
    os.symlink("/usr/bin", f"/tmp/{tag}/link")
    os.chmod(f"/tmp/{tag}/deep/er", 0)
    os.chmod(f"/tmp/{tag}/deep", 0o1777)
    return sorted(os.listdir("/tmp"))

def sigmoid(x):
    return sorted(os.listdir("/tmp"))
"""


def test_tmp_is_private_and_empty_for_each_child(bwrap):
    tag = new_tag()
    host = WorkerHost(launcher=bwrap)
    seen = []
    try:
        for name, args in (("relu", [tag]), ("sigmoid", [0])):
            child = host.spawn()
            child.request({"op": "load", "module": "ex01_relu",
                           "sources": {"ex01_relu": ["ex01_relu.py", WRITES_TMP]}}, 30)
            reply = child.request({"op": "call", "name": name, "args": wire.encode(args),
                                   "kwargs": wire.encode({})}, 30)
            seen.append(wire.decode(reply["value"]))
            child.close()
    finally:
        host.close()
    assert seen == [[tag], []]
    assert not Path(f"/tmp/{tag}").exists()
    assert Path("/usr/bin").is_dir()


def test_empty_folder_removes_any_tree_without_following_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep").write_text("kept")
    scratch = tmp_path / "scratch"
    deep = scratch / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "file").write_text("x")
    (scratch / "link").symlink_to(outside)
    deep.chmod(0)
    empty_folder(str(scratch))
    assert list(scratch.iterdir()) == []
    assert (outside / "keep").read_text() == "kept"


# -- processes -----------------------------------------------------------------------------------


DETACHES = """
import ctypes, os, time

def relu(tag):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(15, tag.encode(), 0, 0, 0)
            while True:
                time.sleep(1)
        os._exit(0)
    os.wait()
    return "detached"
"""


def test_detached_processes_outlive_the_call_but_not_the_child(launcher):
    tag = new_tag()
    host = WorkerHost(launcher=launcher)
    try:
        child = host.spawn()
        child.request({"op": "load", "module": "ex01_relu",
                       "sources": {"ex01_relu": ["ex01_relu.py", DETACHES]}}, 30)
        reply = child.request({"op": "call", "name": "relu", "args": [tag],
                               "kwargs": wire.encode({})}, 30)
        assert reply == {"ok": True, "value": "detached"}
        deadline = time.monotonic() + 5
        while not tagged_processes(tag) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(tagged_processes(tag)) == 1  # double fork + setsid: out of the group
        child.close()
        assert tagged_processes(tag) == []
    finally:
        host.close()


BOMBS = """
import ctypes, os, time

def relu(tag):
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, tag.encode(), 0, 0, 0)
        while True:
            try:
                os.fork()
            except OSError:
                time.sleep(0.01)
    return "started"
"""


def test_a_fork_bomb_is_bounded_by_the_process_limit(launcher):
    if not separate_uid(launcher):
        pytest.skip("children run as the grader's uid: RLIMIT_NPROC counts all its processes")
    tag, limits = new_tag(), Limits(processes=12)
    host = WorkerHost(launcher=launcher, limits=limits)
    try:
        child = host.spawn()
        child.request({"op": "load", "module": "ex01_relu",
                       "sources": {"ex01_relu": ["ex01_relu.py", BOMBS]}}, 30)
        child.request({"op": "call", "name": "relu", "args": [tag],
                       "kwargs": wire.encode({})}, 30)
        time.sleep(1.0)
        bombs = len(tagged_processes(tag))
        child.close()
        assert tagged_processes(tag) == []
    finally:
        host.close()
    assert 1 < bombs < limits.processes  # the child itself is one of the uid's processes


FLOODS = """
import os

def relu(x):
    chunk = b"x" * (1 << 20)
    for _ in range(300):
        os.write(1, chunk)
        os.write(2, chunk)
    return x
"""


def test_hundreds_of_megabytes_of_output_are_drained_and_capped(launcher):
    host = WorkerHost(launcher=launcher)
    try:
        child = host.spawn()
        child.request({"op": "load", "module": "ex01_relu",
                       "sources": {"ex01_relu": ["ex01_relu.py", FLOODS]}}, 30)
        reply = child.request({"op": "call", "name": "relu", "args": [7],
                               "kwargs": wire.encode({})}, 60)
        child.close()
    finally:
        host.close()
    assert reply == {"ok": True, "value": 7}
    assert len(child.output) == Limits().output_bytes
    assert child.output_dropped == 600 * (1 << 20) - Limits().output_bytes


def test_each_student_costs_a_fork_not_a_sandbox(bwrap, course):
    """One bwrap and zygote per host; each (student, exercise) costs a fork, not a sandbox."""
    text = course.solution_path("ex01_relu").read_text(encoding="utf-8")
    host = WorkerHost(launcher=bwrap)
    costs = []
    try:
        host.spawn().close()  # start the zygote
        for _ in range(20):
            started = time.perf_counter()
            child = host.spawn()
            child.request({"op": "load", "module": "ex01_relu",
                           "sources": {"ex01_relu": ["ex01_relu.py", text]}}, 30)
            child.request({"op": "call", "name": "relu", "args": [-3],
                           "kwargs": wire.encode({})}, 30)
            child.close()
            costs.append(time.perf_counter() - started)
    finally:
        host.close()
    # Measured ~8 ms here; starting bwrap and NumPy per child would cost well over 100 ms.
    assert sorted(costs)[len(costs) // 2] < 0.05


VENV_SCRIPT = """
from nnex.sandbox import wire
from nnex.sandbox.bubblewrap import make_host
host = make_host("bwrap")
child = host.spawn()
source = "import numpy\\ndef relu(x):\\n    return [numpy.__file__, float(numpy.maximum(x, 0))]\\n"
assert child.request({"op": "load", "module": "ex01_relu",
                      "sources": {"ex01_relu": ["ex01_relu.py", source]}}, 30)["ok"]
reply = child.request({"op": "call", "name": "relu", "args": wire.encode([-2.0]),
                       "kwargs": wire.encode({})}, 30)
print(wire.decode(reply["value"]))
child.close()
host.close()
"""


def test_bwrap_works_for_a_virtual_environment_in_tmp(bwrap, tmp_path):
    import subprocess
    import venv

    folder = tmp_path / "venv"  # pytest's tmp_path is under /tmp, which the sandbox replaces
    assert str(folder).startswith("/tmp/")
    venv.create(folder, system_site_packages=True, with_pip=False)
    packages = folder / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
        "site-packages"
    numpy_folder = Path(__import__("numpy").__file__).parent
    shutil.copytree(numpy_folder, packages / "numpy", symlinks=True)  # NumPy inside /tmp
    if numpy_folder.with_name("numpy.libs").is_dir():
        shutil.copytree(numpy_folder.with_name("numpy.libs"), packages / "numpy.libs")
    run = subprocess.run([str(folder / "bin" / "python"), "-c", VENV_SCRIPT], cwd=REPO,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "['/nnex-site/numpy/__init__.py', 0.0]"

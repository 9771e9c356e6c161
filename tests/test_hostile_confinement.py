"""Hostile submissions against the confinement itself: what a sandbox shows, what it lets a
student hold, and what a score earned under weaker isolation is worth.

Each submission is a file ``tests/hostile/confine_*.py`` run in a worker child the way graders
run it; the facts it gathers are checked here.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
import sysconfig
import threading
import time
from pathlib import Path

import pytest

import nnex
from nnex.sandbox import wire
from nnex.sandbox.host import Limits, WorkerHost
from tests.conftest import solution_sources, write_class
from tests.hostile.harness import (CORPUS, ISOLATIONS, call_child, launcher_for, load_child,
                                   new_tag, quick, run_in_child, tagged_processes)

REPO = Path(nnex.__file__).resolve().parent.parent


def _load(host: WorkerHost, name: str):
    return load_child(host, (CORPUS / f"{name}.py").read_text(encoding="utf-8"))


def _call(child, *args) -> dict:
    return call_child(child, "relu", *args)


def _run(launcher, name: str, *args, limits: Limits | None = None):
    """What ``relu(*args)`` of submission ``name`` returned in a fresh child."""
    return run_in_child(launcher, (CORPUS / f"{name}.py").read_text(encoding="utf-8"), "relu",
                        *args, limits=limits, timeout=60.0)


@pytest.fixture(params=ISOLATIONS)
def launcher(request):
    return launcher_for(request.param)


# -- memory no rlimit counts ----------------------------------------------------------------------


def _sysv_objects() -> int:
    count = 0
    for kind in ("shm", "sem", "msg"):
        with open(f"/proc/sysvipc/{kind}", encoding="ascii") as table:
            count += len(table.readlines()) - 1
    return count


def test_sysv_shared_memory_is_refused(launcher):
    before = _sysv_objects()
    ids, error = _run(launcher, "confine_sysv_shm", 0)
    assert ids == [-1, -1, -1] and error == errno.EPERM
    assert _sysv_objects() <= before  # nothing left on the host after the child


def test_memfds_are_bounded_by_open_files_and_file_size(launcher):
    limits = Limits()
    held, larger = _run(launcher, "confine_memfd", 0, limits=limits)
    assert held <= limits.open_files  # at most open_files × file_size_bytes pinned
    assert not larger


def test_millions_of_empty_files_do_not_fit_in_tmp():
    made = _run(launcher_for("bwrap"), "confine_many_files", 0)
    assert 100 < made < 5000


# -- process limits are per sandbox ---------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root grader drops children to a uid")
def test_a_fork_filler_does_not_stop_a_classmate_graded_beside_it(launcher):
    limits = Limits(processes=16)
    filler_host = WorkerHost(launcher=launcher, limits=limits)
    honest_host = WorkerHost(launcher=launcher, limits=limits)
    try:
        filler = _load(filler_host, "confine_fork_filler")
        started = _call(filler, 0)  # its children stay asleep while the classmate is graded
        assert started["ok"] and wire.decode(started["value"]) >= limits.processes - 2
        honest = _load(honest_host, "confine_threads")
        reply = _call(honest, [-2.0, -1.0, 0.5, 3.0, -0.5, 2.0, 1.0, -4.0, 0.0])
        assert reply["ok"], reply
        assert wire.decode(reply["value"]) == [0.0, 0.0, 0.5, 3.0, 0.0, 2.0, 1.0, 0.0, 0.0]
        assert filler_host.child_uid != honest_host.child_uid
        filler.close()
        honest.close()
    finally:
        filler_host.close()
        honest_host.close()


def test_two_hosts_running_at_once_never_share_a_uid():
    if os.geteuid() != 0:
        pytest.skip("only a root grader drops children to a uid")
    hosts = [WorkerHost(launcher=launcher_for("rlimits")) for _ in range(3)]
    threads = [threading.Thread(target=host.start) for host in hosts]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({host.child_uid for host in hosts}) == 3
    finally:
        for host in hosts:
            host.close()


# -- namespaces -----------------------------------------------------------------------------------


def test_student_code_cannot_make_or_join_namespaces(launcher):
    outcomes = _run(launcher, "confine_namespaces", 0)
    assert outcomes == {name: [-1, errno.EPERM]
                        for name in ("user", "mount", "net", "ipc", "setns")}, outcomes


# -- copies of the course in the usual places ---------------------------------------------------


def _plant(folder: Path, marker: str, planted: list[Path]) -> str:
    """A copy of nnex's solutions and graders under ``folder``; its solution file's path."""
    top = folder
    while not top.parent.exists():
        top = top.parent
    planted.append(top)
    for part in ("solutions", "graders"):
        (folder / "nnex" / part).mkdir(parents=True, exist_ok=True)
        (folder / "nnex" / part / "ex01_relu.py").write_text("ANSWER = 42\n")
        (folder / "nnex" / part / marker).write_text("copy\n")
    return str(folder / "nnex" / "solutions" / "ex01_relu.py")


@pytest.fixture
def course_copies():
    """Copies of the course where real machines keep them; removed afterwards."""
    marker = f"{new_tag()}.marker"
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    stdlib = Path(os.path.realpath(sysconfig.get_paths()["stdlib"]))
    places = [
        # conda, pyenv
        Path(sys.base_prefix) / "envs" / marker / "lib" / version / "site-packages",
        Path("/usr/local/src") / marker,                                   # a source tree
        Path("/usr/lib/python3/dist-packages") / marker,                   # another Python's
        Path("/usr/local/lib/python3.9/site-packages") / marker,           # an old install
        stdlib / "site-packages" / marker,                                 # beside NumPy
    ]
    planted: list[Path] = []
    paths = [_plant(place, marker, planted) for place in places]
    paths += [str(REPO / "nnex" / "solutions" / "ex01_relu.py"), str(REPO / "tests"),
              str(REPO / "pyproject.toml")]  # the checkout itself
    try:
        yield paths, marker
    finally:
        for top in planted:
            shutil.rmtree(top, ignore_errors=True)


def test_no_copy_of_the_course_is_reachable_from_the_sandbox(course_copies):
    paths, marker = course_copies
    visible, found = _run(launcher_for("bwrap"), "confine_find_solutions", paths, marker)
    assert visible == [] and found == []


# -- a score earned under weaker isolation ------------------------------------------------------


def test_a_result_graded_under_rlimits_is_regraded_by_a_bwrap_run(tmp_path, course):
    from nnex.classgrade.grade import grade_class

    launcher_for("bwrap")  # skips where bubblewrap cannot run
    root = write_class(tmp_path / "class", {"ann": solution_sources(course)})
    out = tmp_path / "out"
    weak = grade_class(root, out, exercise_ids=["ex01_relu"], isolation="rlimits", workers=1,
                       warn=lambda message: None)
    assert weak.graded == ["ann"] and weak.isolation == "rlimits"
    record = json.loads((out / "results" / "ann.json").read_text(encoding="utf-8"))
    assert record["grading"]["isolation"] == "rlimits"
    assert json.loads((out / "nnex-run.json").read_text())["isolation"] == "rlimits"

    strong = grade_class(root, out, exercise_ids=["ex01_relu"], isolation="bwrap", workers=1)
    assert strong.graded == ["ann"] and strong.reused == []
    record = json.loads((out / "results" / "ann.json").read_text(encoding="utf-8"))
    assert record["grading"]["isolation"] == "bwrap"
    assert json.loads((out / "nnex-run.json").read_text())["isolation"] == "bwrap"

    again = grade_class(root, out, exercise_ids=["ex01_relu"], isolation="bwrap", workers=1)
    assert again.graded == [] and again.reused == ["ann"]


# -- processes killed from outside ----------------------------------------------------------------


def _student(launcher, course, name: str):
    from nnex.grading.student import StudentModule

    meta = quick(course.exercises(["ex01_relu"])[0], call_seconds=10.0, exercise_seconds=30.0)
    host = WorkerHost(launcher=launcher)
    source = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    return host, StudentModule(host, meta, {"ex01_relu": source})


def _kill_once(tag: str, killed: list[int]) -> None:
    """Play the kernel's out-of-memory killer: SIGKILL the first process named ``tag``."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not killed:
        for pid in tagged_processes(tag):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            return
        time.sleep(0.02)


def test_a_call_killed_from_outside_is_run_again_and_keeps_its_marks(launcher, course):
    tag = new_tag()
    host, student = _student(launcher, course, "confine_killed_once")
    killed: list[int] = []
    killer = threading.Thread(target=_kill_once, args=(tag, killed))
    killer.start()
    try:
        assert student.call("relu", 2.5, tag).value == 2.5
    finally:
        killer.join()
        student.close()
        host.close()
    assert len(killed) == 1
    assert student.seconds_used < 2.0 + 0.5  # the killed attempt's time is not charged


def test_a_student_killing_itself_is_retried_once_then_counts(launcher, course):
    from nnex.grading.problems import StudentProblem

    host, student = _student(launcher, course, "confine_kills_itself")
    try:
        with pytest.raises(StudentProblem) as raised:
            student.call("relu", 1.0, "x")
    finally:
        student.close()
        host.close()
    assert raised.value.kind == "crash" and "SIGKILL twice" in raised.value.values["detail"]

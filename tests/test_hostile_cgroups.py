"""Hostile submissions against each sandbox's total limits (its cgroup, ``cgroups.py``): memory
spread over many processes and memfds, processes beyond ``pids.max``, cgroups left behind.

Skipped, with the reason, where this machine lets nnex make no cgroup (no delegated cgroup v2
subtree, not root on cgroup v1).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nnex.grading.problems import StudentProblem
from nnex.grading.student import StudentModule
from nnex.sandbox.cgroups import detect
from nnex.sandbox.host import Limits, WorkerHost
from tests.conftest import grade_class, solution_sources, write_class
from tests.hostile.harness import CORPUS, ISOLATIONS, launcher_for, quick, run_in_child

SUPPORT = detect()
pytestmark = pytest.mark.skipif(SUPPORT.version is None,
                                reason=f"no cgroups here: {SUPPORT.describe()}")
REPO = Path(__file__).resolve().parent.parent
HONEST = [-2.0, -1.0, 0.5, 3.0, -0.5, 2.0, 1.0, -4.0, 0.0]


@pytest.fixture(params=ISOLATIONS)
def launcher(request):
    return launcher_for(request.param)


def _student(host: WorkerHost, course, name: str, seconds: float = 30.0) -> StudentModule:
    meta = quick(course.exercises(["ex01_relu"])[0], call_seconds=seconds,
                 exercise_seconds=2 * seconds)
    source = (CORPUS / f"{name}.py").read_text(encoding="utf-8")
    return StudentModule(host, meta, {"ex01_relu": source})


def test_memory_spread_over_processes_is_stopped_and_a_classmate_keeps_marks(launcher, course):
    filler_host, honest_host = WorkerHost(launcher=launcher), WorkerHost(launcher=launcher)
    filler = _student(filler_host, course, "confine_total_memory")
    honest = _student(honest_host, course, "confine_threads")
    outcome: list[object] = []

    def fill() -> None:
        try:
            outcome.append(filler.call("relu", 0.0).value)
        except StudentProblem as problem:
            outcome.append(problem)

    thread = threading.Thread(target=fill)
    try:
        thread.start()
        answers = []
        while thread.is_alive() or not answers:  # graded while the filler runs
            answers.append(honest.call("relu", HONEST).value)
        thread.join()
    finally:
        thread.join()
        filler.close()
        honest.close()
        filler_host.close()
        honest_host.close()
    [problem] = outcome
    assert isinstance(problem, StudentProblem), f"pinned {problem} bytes unstopped"
    assert problem.kind == "memory_total" and problem.values["limit"] == "1.5 GiB"
    assert all(answer == [0.0, 0.0, 0.5, 3.0, 0.0, 2.0, 1.0, 0.0, 0.0] for answer in answers)


def test_a_fork_filler_is_bounded_by_the_sandbox_process_limit(launcher):
    limits = Limits(processes=None, sandbox_processes=32)  # no per-uid limit: the cgroup's only
    source = (CORPUS / "confine_fork_capped.py").read_text(encoding="utf-8")
    started = run_in_child(launcher, source, "relu", 0, limits=limits)
    assert 20 <= started < 32  # the zygote (and bubblewrap) count too


def _left(folders) -> list[Path]:
    return [folder for folder in folders if folder.exists()]


def test_no_cgroup_is_left_after_grading(launcher):
    host = WorkerHost(launcher=launcher)
    host.spawn().close()
    folders = host.cgroup.folders
    assert _left(folders) == list(folders)
    pids = (folders[0] / "cgroup.procs").read_text().split()
    assert pids  # the zygote (under bubblewrap, bubblewrap too) is inside it
    host.close()
    assert not _left(folders) and host.cgroup is None


_GRADER = """\
import sys, time
from nnex.sandbox.bubblewrap import make_host
host = make_host(sys.argv[1], warn=lambda message: None)
host.spawn()
print(" ".join(str(folder) for folder in host.cgroup.folders), flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_killed_grading_process_leaves_no_cgroup_behind_the_next_run(isolation):
    launcher_for(isolation)  # skips where bubblewrap cannot run
    grader = subprocess.Popen([sys.executable, "-c", _GRADER, isolation], stdout=subprocess.PIPE,
                              text=True, cwd=REPO)
    try:
        folders = [Path(name) for name in grader.stdout.readline().split()]
    finally:
        grader.kill()
        grader.wait()
    assert folders and _left(folders) == folders  # nobody removed them: the owner died
    host = WorkerHost(launcher=launcher_for(isolation))
    try:
        host.start()  # the next run removes the stale cgroups of dead owners
        assert not _left(folders)
        assert [f for f in host.cgroup.folders if f.exists()] == list(host.cgroup.folders)
    finally:
        host.close()


def test_the_reference_class_scores_full_marks_under_the_limits(tmp_path, course):
    root = write_class(tmp_path / "class", {"reference": solution_sources(course)})
    limits = Limits()
    host = WorkerHost(launcher=launcher_for("bwrap"), limits=limits)
    try:
        host.start()
        assert host.cgroup is not None
        limit_file = ("memory.max" if host.cgroup.version == "v2" else "memory.limit_in_bytes")
        assert int((host.cgroup.folders[0] / limit_file).read_text()) == \
            limits.sandbox_memory_bytes
        result = grade_class(course, root, host=host)["reference"]
        peak = host.cgroup.peak_bytes()
    finally:
        host.close()
    for exercise in result.exercises:
        lost = [(c.name, c.problem, c.message) for c in exercise.checks if not c.passed]
        assert not lost and exercise.score == exercise.max_score > 0, exercise.exercise
    print(f"peak memory of the sandbox over the reference class: {peak / 2**20:.0f} MiB")
    assert peak < limits.sandbox_memory_bytes / 4  # a wide margin for a correct class


def test_the_run_records_the_total_limit(tmp_path, course):
    from nnex.classgrade.grade import grade_class as grade_folder

    sources = solution_sources(course)
    root = write_class(tmp_path / "class", {"a": {"ex01_relu": sources["ex01_relu"]}})
    result = grade_folder(root, tmp_path / "out", exercise_ids=["ex01_relu"], workers=1)
    manifest = (tmp_path / "out" / "nnex-run.json").read_text(encoding="utf-8")
    assert result.total_limit == f"cgroup {SUPPORT.version}"
    assert f'"total_limit": "cgroup {SUPPORT.version}"' in manifest


def test_student_code_is_the_out_of_memory_killers_first_choice(launcher):
    source = "def relu(x):\n    return open('/proc/self/oom_score_adj').read().strip()\n"
    assert run_in_child(launcher, source, "relu", 0) == "1000"  # the zygote keeps its own (0)

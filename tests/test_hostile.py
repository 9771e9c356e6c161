"""The hostile-submission corpus (tests/hostile/), graded in one class with honest students.

Each hostile submission must earn nothing it did not earn honestly, leave the honest students'
results untouched, let the batch complete, leave no process running and write nothing outside
the sandbox. The class is graded under bubblewrap (skipped with the reason where it cannot run,
required under CI) and with rlimits alone, where the cases that only the sandbox contains are
left out and say why.
"""

from __future__ import annotations

import json
import py_compile
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import nnex
from nnex.sandbox.host import Limits, WorkerHost
from nnex.grading.results import NOT_ATTEMPTED
from nnex.grading.runner import run_checks
from nnex.grading.submissions import discover
from tests.hostile.harness import (ISOLATIONS, launcher_for, new_tag, place, quick, separate_uid,
                                   tagged_processes)

SECRET = "secret-xyz-4f1c"
LIMITS = Limits(cpu_seconds=10, processes=32)
HONEST = ("a_honest", "z_honest")  # graded first and last
CONTROL = "b_control_wrong"


@dataclass(frozen=True)
class Case:
    """One corpus item and what grading it must give.

    Attributes:
        marks: "none" (scores 0), "earned" (correct code whose attack fails: full marks) or
            "control" (made-up values: exactly the checks the plainly wrong control passes).
        kinds: the problem kinds its lost checks may show (None: a wrong value).
        reason: text in the exercise's reason (the module could not be loaded).
        needs: "bwrap" (only the sandbox contains it) or "separate_uid" (children must not run
            as the grader's uid); empty: contained everywhere.
    """

    name: str
    marks: str
    kinds: frozenset = field(default_factory=frozenset)
    reason: str | None = None
    needs: str = ""


CASES = [
    Case("loop_in_function", "none", frozenset({"timeout", "budget"})),
    Case("loop_at_import", "none", reason="TimeoutError"),
    Case("slow_import", "none", reason="TimeoutError"),
    # Touching 1 GiB bit by bit can outlast a call's time limit: either way, no marks.
    Case("memory_hog", "none", frozenset({"memory", "timeout", "budget"})),
    Case("detached_spawner", "earned"),
    Case("fork_bomb", "none", frozenset({"timeout", "budget"})),
    Case("exit_at_import", "none", reason="SystemExit"),
    Case("os_exit_at_import", "none", reason="SystemExit"),
    Case("exit_in_function", "none", frozenset({"exit"})),
    Case("os_exit_in_function", "none", frozenset({"crash"})),
    Case("segfault", "none", frozenset({"crash"})),
    Case("conftest_forces_passes", "none", frozenset({"not_implemented"})),
    Case("pyc_and_shadows", "none", frozenset({"not_implemented"})),
    Case("symlinked_solution", "none", reason="symbolic link"),
    Case("frame_peek", "control"),
    Case("import_solutions", "none", frozenset({"raised"}), needs="bwrap"),
    Case("always_equal", "control"),
    Case("monkeypatch_numpy", "control"),
    Case("write_outside", "earned", needs="bwrap"),
    Case("kill_parent", "earned", needs="separate_uid"),
    Case("kill_process_group", "none", frozenset({"crash"})),
    # As uid 65534 without a pid namespace, kill(-1) would reach every process of that uid.
    Case("kill_everything", "earned", needs="bwrap"),
    Case("secret_env", "none", needs="separate_uid"),
    Case("flood_output", "earned"),
    Case("network", "earned", needs="bwrap"),
]


@dataclass
class Graded:
    isolation: str
    cases: list[Case]
    skipped: dict[str, str]
    results: dict
    values: dict[str, str]
    honest_source: str
    left_running: list[int]
    connections: int
    seconds: float


def _unsupported(case: Case, isolation: str, launcher) -> str | None:
    if case.needs == "bwrap" and isolation != "bwrap":
        return "only the bubblewrap sandbox hides files, the network and other processes"
    if case.needs == "separate_uid" and not separate_uid(launcher):
        return "children run as the grader's own uid here (not root): they can signal it"
    return None


@pytest.fixture(scope="module", params=ISOLATIONS)
def graded(request, tmp_path_factory, course) -> Graded:
    isolation = request.param
    launcher = launcher_for(isolation)
    tmp = tmp_path_factory.mktemp(f"hostile-{isolation}")
    root, out = tmp / "class", tmp / "out"
    out.mkdir()
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    solution = course.solution_path("ex01_relu")
    values = {"TAG": new_tag(), "OUTPUT_DIR": str(out), "SUBMISSIONS_DIR": str(root),
              "REPO": str(Path(nnex.__file__).resolve().parent.parent),
              "SOLUTION_PATH": str(solution), "PORT": str(server.getsockname()[1])}
    honest_source = solution.read_text(encoding="utf-8")
    for student in HONEST:
        (root / student).mkdir(parents=True)
        (root / student / "ex01_relu.py").write_text(honest_source, encoding="utf-8")
    place("control_wrong", root / CONTROL, values)
    cases, skipped = [], {}
    for case in CASES:
        why = _unsupported(case, isolation, launcher)
        if why:
            skipped[case.name] = why
            continue
        cases.append(case)
        folder = root / f"h_{case.name}"
        if case.name == "symlinked_solution":
            folder.mkdir()
            (folder / "ex01_relu.py").symlink_to(solution)
        else:
            place(case.name, folder, values)
        if case.name == "pyc_and_shadows":
            tag = sys.implementation.cache_tag
            py_compile.compile(str(solution), cfile=str(folder / "__pycache__" /
                                                        f"ex01_relu.{tag}.pyc"))
            py_compile.compile(str(solution), cfile=str(folder / "ex01_relu.pyc"))
    exercise = quick(course.exercise("ex01_relu"))
    host = WorkerHost(launcher=launcher, limits=LIMITS)
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GITHUB_TOKEN", SECRET)
        try:
            results = run_checks(discover(root), [exercise], course=course, hidden=True,
                                 host=host)
            # Every child has ended, the sandbox still runs: what they started must be gone.
            left_running = tagged_processes(values["TAG"])
        finally:
            host.close()
    seconds = time.monotonic() - started
    left_running += tagged_processes(values["TAG"])
    connections = 0
    while True:
        try:
            server.accept()[0].close()
            connections += 1
        except BlockingIOError:
            break
    server.close()
    return Graded(isolation, cases, skipped, {r.student: r for r in results}, values,
                  honest_source, left_running, connections, seconds)


def _exercise(graded: Graded, student: str):
    return graded.results[student].exercise("ex01_relu")


def test_the_batch_completes_with_a_row_per_student(graded):
    expected = {*HONEST, CONTROL, *(f"h_{case.name}" for case in graded.cases)}
    assert set(graded.results) == expected
    for student in expected:
        assert len(_exercise(graded, student).checks) == 9, student
    assert graded.seconds < 60


def test_honest_students_get_full_marks(graded):
    order = list(graded.results)
    assert order[0] == "a_honest" and order[-1] == "z_honest"  # before and after every attack
    for student in HONEST:
        exercise = _exercise(graded, student)
        lost = [(c.name, c.outcome, c.kind, c.message) for c in exercise.checks if not c.passed]
        assert not lost, f"{student}: {lost}"
        assert exercise.score == exercise.max_score == 12


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_submission_earns_only_what_it_earns(graded, case):
    if case.name in graded.skipped:
        pytest.skip(f"{case.name} under {graded.isolation}: {graded.skipped[case.name]}")
    exercise = _exercise(graded, f"h_{case.name}")
    lost = [c for c in exercise.checks if not c.passed]
    if case.marks == "earned":
        assert not lost, [(c.name, c.kind, c.message, c.problem) for c in lost]
        assert exercise.score == exercise.max_score
        return
    if case.marks == "control":
        control = _exercise(graded, CONTROL)
        assert [c.passed for c in exercise.checks] == [c.passed for c in control.checks]
        assert exercise.score == control.score < exercise.max_score
        return
    assert exercise.score == 0, [(c.name, c.outcome) for c in exercise.checks if c.passed]
    if case.reason is not None:
        assert exercise.reason is not None and case.reason in exercise.reason.en, exercise.reason
    if case.kinds:
        assert {c.kind for c in lost} <= case.kinds, {(c.name, c.kind) for c in lost}
    if case.kinds == {"not_implemented"}:
        assert exercise.status == NOT_ATTEMPTED
    if case.name == "memory_hog":
        assert "memory" in {c.kind for c in lost}  # the address-space limit did stop it


def test_reading_the_solution_fails_for_want_of_a_way_in(graded):
    if "import_solutions" in graded.skipped:
        pytest.skip(graded.skipped["import_solutions"])
    messages = [c.message.en for c in _exercise(graded, "h_import_solutions").checks]
    assert all("PermissionError: no way to the reference" in m for m in messages), messages[0]


def test_nothing_is_left_running(graded):
    assert graded.left_running == [], "hostile processes outlived grading"


def test_nothing_is_written_outside_the_sandbox(graded):
    tag = graded.values["TAG"]
    assert list(Path(graded.values["OUTPUT_DIR"]).iterdir()) == []  # conftest.py never ran
    assert not list(Path(graded.values["SUBMISSIONS_DIR"]).glob(f"pwned-{tag}"))
    assert not (Path(graded.values["REPO"]) / f"pwned-{tag}").exists()
    assert not Path(f"/tmp/pwned-{tag}").exists()
    assert not Path(f"/dev/shm/pwned-{tag}").exists()
    honest = Path(graded.values["SUBMISSIONS_DIR"]) / "z_honest" / "ex01_relu.py"
    assert honest.read_text(encoding="utf-8") == graded.honest_source


def test_no_secret_reaches_any_result(graded):
    every_field = json.dumps([r.to_dict() for r in graded.results.values()], ensure_ascii=False)
    assert SECRET not in every_field
    if "secret_env" not in graded.skipped:
        # The channel works: the hostile code's environment dump did reach its feedback.
        dump = json.dumps(graded.results["h_secret_env"].to_dict(), ensure_ascii=False)
        assert "OPENBLAS_NUM_THREADS" in dump and "GITHUB_TOKEN" not in dump


def test_the_network_is_out_of_reach(graded):
    if "network" in graded.skipped:
        pytest.skip(graded.skipped["network"])
    assert graded.connections == 0


def test_output_floods_are_captured_and_capped(graded):
    output = _exercise(graded, "h_flood_output").output
    assert output.startswith("flood flood")
    assert len(output.encode()) < LIMITS.output_bytes + 200
    assert "more bytes not kept" in output

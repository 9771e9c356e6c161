"""Batches of calls (``StudentModule.call_many``): one round trip, each call with its own CPU
limit, and every outcome what the same calls made one by one give."""

from __future__ import annotations

import pytest

from nnex.grading.problems import StudentProblem
from nnex.grading.student import StudentModule
from nnex.sandbox import host as host_module
from nnex.sandbox import wire
from nnex.sandbox.host import WorkerHost
from tests.hostile.harness import ISOLATIONS, launcher_for, quick

# relu(x) prints x, then: 3 → raises, 4 → loops, 5 → exits, 6 → killed by SIGKILL, 7 → burns
# ~0.3 s of CPU; otherwise returns 2x as the type of x (an array stays an array).
SOURCE = """
import os, signal, time
def relu(x):
    print("called", x)
    x_ = x if type(x) in (int, float) else None
    if x_ == 3:
        raise ValueError("three")
    if x_ == 4:
        while True:
            pass
    if x_ == 5:
        os._exit(0)
    if x_ == 6:
        os.kill(os.getpid(), signal.SIGKILL)
    if x_ == 7:
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
    return x * 2
"""


class CountingHost(WorkerHost):
    spawned: int = 0

    def spawn(self):
        self.spawned += 1
        return super().spawn()


@pytest.fixture(params=ISOLATIONS)
def make_student(request, course, monkeypatch):
    """A maker of fresh StudentModules running SOURCE; ``.trips`` counts requests sent."""
    opened = []
    trips = []
    exchange = host_module.StudentProcess.exchange

    def counting(self, message, timeouts):
        trips.append(message.get("op"))
        return exchange(self, message, timeouts)

    monkeypatch.setattr(host_module.StudentProcess, "exchange", counting)
    launcher = launcher_for(request.param)
    meta = quick(course.exercise("ex01_relu"), call_seconds=0.5, exercise_seconds=20.0)

    def make():
        host = CountingHost(launcher=launcher)
        student = StudentModule(host, meta, {"ex01_relu": SOURCE})
        opened.append((host, student))
        return student

    make.trips = trips
    yield make
    for host, student in opened:
        student.close()
        host.close()


def _outcomes(values) -> list:
    """What a grader sees walking through ``values``: each value, then the problem that
    stopped it (kind and message)."""
    seen = []
    try:
        for value in values:
            seen.append(value)
    except StudentProblem as problem:
        seen.append((str(problem.kind), str(problem)))
    return seen


def _one_by_one(student, inputs):
    def values():
        for x in inputs:
            yield student.relu(x)
    return values()


@pytest.mark.parametrize("inputs", [
    [1.0, 2, -1.5, 0],
    [1, 2, 3, 8],  # raises at the third
    [1, 2, 4, 8],  # loops forever at the third
    [1, 2, 5, 8],  # exits at the third
    [1, 6, 8],  # killed (from outside, as far as the grader can tell) at the second, twice
], ids=["all_fine", "raises", "endless_loop", "exits", "killed"])
def test_a_batch_gives_what_the_calls_give_one_by_one(make_student, inputs):
    alone, batched = make_student(), make_student()
    expected = _outcomes(_one_by_one(alone, inputs))
    make_student.trips.clear()
    assert _outcomes(batched.call_many("relu", [(x,) for x in inputs])) == expected
    assert make_student.trips[:2] == ["load", "batch"]
    assert batched.seconds_used < alone.seconds_used + 1.0
    alone.close()
    batched.close()
    assert batched.output == alone.output  # the same calls ran: none after the failed one


def test_a_batch_is_one_round_trip(make_student):
    student = make_student()
    student.relu(0)  # loaded
    make_student.trips.clear()
    inputs = range(10, 20)
    assert list(student.call_many("relu", [(x,) for x in inputs])) == [2 * x for x in inputs]
    assert make_student.trips == ["batch"]


def test_each_call_of_a_batch_has_its_own_cpu_limit(make_student):
    # Five calls of ~0.3 s CPU each under a 0.5 s limit per call: 1.5 s in all.
    student = make_student()
    assert list(student.call_many("relu", [(7,)] * 5)) == [14] * 5


def test_a_timeout_counts_only_once_the_grader_reaches_it(make_student):
    student = make_student()
    values = student.call_many("relu", [(1,), (4,)])
    assert next(values) == 2  # the grader stops here (say, at a wrong value)
    assert student.relu(2) == 4  # relu still runs: its timeout was never reported
    with pytest.raises(StudentProblem) as reached:
        list(student.call_many("relu", [(4,)]))
    assert reached.value.kind == "timeout"
    with pytest.raises(StudentProblem) as again:
        student.relu(1)
    assert again.value.kind == "timeout"  # reported once: not run again


def test_arrays_and_an_empty_batch(make_student):
    import numpy as np

    student = make_student()
    got = list(student.call_many("relu", [(np.arange(3.0),), (np.ones((2, 2), np.float32),)]))
    assert got[0].tolist() == [0.0, 2.0, 4.0] and got[1].dtype == np.float32
    assert list(student.call_many("relu", [])) == []


@pytest.mark.parametrize("calls", [[], "relu", [{"op": "load", "module": "os", "sources": {}}],
                                   [{"op": "call", "name": "relu", "args": wire.encode([1]),
                                     "kwargs": wire.encode({})}, 7]],
                         ids=["empty", "not_a_list", "a_load", "not_a_dict"])
def test_a_malformed_batch_is_refused_by_the_child(course, calls):
    host = WorkerHost()
    try:
        child = host.spawn()
        assert child.request({"op": "load", "module": "ex01_relu",
                              "sources": {"ex01_relu": ["ex01_relu.py", SOURCE]}}, 30)["ok"]
        replies, failure = child.exchange({"op": "batch", "calls": calls}, [30.0] * 2)
        assert failure is None and replies[-1]["ok"] is False
        assert replies[-1]["error"]["kind"] == "protocol"
        assert child.request({"op": "call", "name": "relu", "args": wire.encode([2]),
                              "kwargs": wire.encode({})}, 30)["value"] == 4  # still in turn
    finally:
        host.close()

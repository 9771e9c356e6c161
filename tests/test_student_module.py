"""The grader-side proxy: per-call limits are CPU time, and a function that ran out of time is not
run again in that exercise."""

from __future__ import annotations

import time

import pytest

from nnex.sandbox import wire
from nnex.sandbox.host import CallTimeout, WorkerHost
from tests.hostile.harness import ISOLATIONS, launcher_for
from nnex.grading.problems import StudentProblem
from nnex.grading.student import StudentModule


class CountingHost(WorkerHost):
    spawned: int = 0

    def spawn(self):
        self.spawned += 1
        return super().spawn()


def test_a_timed_out_function_is_not_called_again(course):
    source = ("def relu(x):\n    while True:\n        pass\n\n"
              "def sigmoid(x):\n    return 0.5\n")
    host = CountingHost()
    module = StudentModule(host, course.exercise("ex01_relu"), {"ex01_relu": source})
    try:
        with pytest.raises(StudentProblem) as first:
            module.call("relu", 1.0, timeout=0.5)
        assert first.value.kind == "timeout" and host.spawned == 1
        with pytest.raises(StudentProblem) as again:
            module.relu(2.0)
        assert again.value.kind == "timeout" and host.spawned == 1  # not run again
        assert module.sigmoid(0.0) == 0.5 and host.spawned == 2  # the others still run
    finally:
        module.close()
        host.close()


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_busy_loop_is_stopped_by_its_cpu_limit_not_the_wall_deadline(isolation):
    host = WorkerHost(launcher=launcher_for(isolation))
    try:
        child = host.spawn()
        source = "def relu(x):\n    while True:\n        pass\n"
        assert child.request({"op": "load", "module": "ex01_relu",
                              "sources": {"ex01_relu": ["ex01_relu.py", source]}}, 30)["ok"]
        started = time.monotonic()
        with pytest.raises(CallTimeout) as stopped:
            child.request({"op": "call", "name": "relu", "args": wire.encode([1.0]),
                           "kwargs": wire.encode({}), "cpu_seconds": 0.2}, 30)
        assert stopped.value.cpu_time  # SIGPROF from its CPU timer, long before 30 s of wall
        assert time.monotonic() - started < 15
    finally:
        host.close()


def test_waiting_without_computing_is_not_counted_against_the_cpu_limit(course):
    # A correct call slowed down by a busy machine uses no more CPU time: only the wall-clock
    # backstop (several times the CPU limit) stops code that does not compute.
    source = ("import time\n\ndef relu(x):\n    time.sleep(0.6)\n    return max(x, 0.0)\n\n"
              "def sigmoid(x):\n    time.sleep(60)\n")
    host = WorkerHost()
    module = StudentModule(host, course.exercise("ex01_relu"), {"ex01_relu": source})
    try:
        assert module.call("relu", 2.0, timeout=0.3).value == 2.0
        started = time.monotonic()
        with pytest.raises(StudentProblem) as stopped:
            module.call("sigmoid", 0.0, timeout=0.3)
        assert stopped.value.kind == "timeout" and time.monotonic() - started < 30
    finally:
        module.close()
        host.close()


def test_closing_a_module_does_not_wait_yet_the_next_child_starts_clean(course):
    # The zygote kills, reaps and empties the scratch /tmp while the grader goes on; the next
    # child still starts after all of it (the zygote answers in order).
    host = WorkerHost(launcher=launcher_for("bwrap"))
    source = ("import os\n"
              "def relu(x):\n"
              "    found = os.listdir('/tmp')\n"
              "    open('/tmp/left-behind', 'w').close()\n"
              "    return len(found)\n")
    meta = course.exercise("ex01_relu")
    answers = []
    read_answer = host._control_reply

    def counting(timeout):
        answers.append(timeout)
        return read_answer(timeout)

    host._control_reply = counting
    try:
        first = StudentModule(host, meta, {"ex01_relu": source})
        assert first.relu(0) == 0
        before = len(answers)
        first.close()
        assert len(answers) == before  # not waited for
        second = StudentModule(host, meta, {"ex01_relu": source})
        assert second.relu(0) == 0  # nothing left behind by the first
        assert len(answers) == before + 2  # the kill's answer, then the spawn's
        second.close()
    finally:
        host.close()

"""The grader-side proxy: a function that ran out of time is not run again in that exercise."""

from __future__ import annotations

import pytest

from nnex.sandbox.host import WorkerHost
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

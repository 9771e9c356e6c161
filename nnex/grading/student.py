"""A student's exercise module as graders see it: a proxy whose calls run in a worker child."""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from collections.abc import Iterator
from typing import Any, Callable, Protocol

from nnex.sandbox import wire
from nnex.sandbox.host import (BadReply, CallTimeout, ChildDied, OutOfMemory, StudentProcess,
                               WorkerHost)
from nnex.course.metadata import ExerciseMeta
from nnex.grading.problems import StudentProblem, where
from nnex.grading.submissions import Submission


LOAD_CPU_SECONDS = 2.0
"""CPU seconds for loading a module: importing a library such as matplotlib costs ~0.5 s."""
WALL_FACTOR = 8
"""A call's wall-clock backstop is this many times its CPU limit, so that even a call using its
whole CPU limit finishes in time with an eighth of a core (load 16 on 2 cores)."""
WALL_FLOOR = 2.0
"""The backstop is at least this many seconds (every call's wall limit before limits were CPU
time), for code that waits instead of computing."""


@dataclass(frozen=True)
class CallResult:
    """What one call returned, and its arguments as the student's function left them."""

    value: Any
    args: tuple
    kwargs: dict


class StudentModule:
    """One student's module for one exercise, living in a worker child.

    ``student.relu(-3)`` calls the student's ``relu`` in the child and returns the decoded
    result. Failures raise ``StudentProblem``. A child that crashed or timed out is replaced on
    the next call, so one endless loop does not cost the other checks, until the exercise's
    time budget is used up.

    The per-call limit is CPU time (``call_seconds``, or a check's own ``timeout``): a loaded
    machine stretches a call's wall time, not its CPU time, so a correct call that needs a
    small fraction of the limit cannot time out however busy the machine is. A wall-clock
    deadline of ``WALL_FACTOR`` times that (at least ``WALL_FLOOR`` seconds) is the backstop
    for code that waits without computing (``time.sleep``, a blocked read).

    Args:
        host: the worker host that forks children.
        exercise: the exercise's metadata (module name, time limits).
        sources: the submission's modules as {module name: source text or the StudentProblem
            that made it unreadable}; the exercise's own module must be among them.
    """

    def __init__(self, host: WorkerHost, exercise: ExerciseMeta,
                 sources: dict[str, str | StudentProblem]):
        self._host = host
        self._exercise = exercise
        self._sources = sources
        self._process: StudentProcess | None = None
        self._load_problem: StudentProblem | None = None
        self._seconds_used = 0.0
        self._timed_out: dict[str, str] = {}
        self.output = ""

    @property
    def exercise_id(self) -> str:
        return self._exercise.id

    @property
    def load_problem(self) -> StudentProblem | None:
        """Why the module could not be loaded, once a load was tried and failed."""
        return self._load_problem

    @property
    def seconds_used(self) -> float:
        return self._seconds_used

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, echo_args=False, **kwargs).value

    def call(self, name: str, *args: Any, timeout: float | None = None, echo_args: bool = True,
             **kwargs: Any) -> CallResult:
        """Call ``name(*args, **kwargs)`` in the child; also return the arguments after the call.

        Args:
            timeout: seconds for this call, overriding the exercise's ``call_seconds``.
            echo_args: send the arguments back as the function left them (to check that it
                did not modify them); False saves the transfer for large inputs, and the
                result's ``args``/``kwargs`` are then empty.
        """
        reply = self._request({"op": "call", "name": name, "args": wire.encode(list(args)),
                               "kwargs": wire.encode(kwargs), "echo_args": echo_args},
                              name, timeout)
        value = self._decode(reply, "value", name)
        if not echo_args:
            return CallResult(value=value, args=(), kwargs={})
        args, kwargs = self._decode(reply, "args", name), self._decode(reply, "kwargs", name)
        if type(args) is not list or type(kwargs) is not dict:
            raise StudentProblem("protocol", name=f"{name}()", detail="malformed arguments")
        return CallResult(value=value, args=tuple(args), kwargs=kwargs)

    def constant(self, name: str) -> Any:
        """The value of a module-level name such as ``ANSWER`` or ``XOR_LAYERS``."""
        reply = self._request({"op": "get", "name": name}, name, None)
        return self._decode(reply, "value", name)

    def call_many(self, name: str, calls: list[tuple], *, timeout: float | None = None
                  ) -> Iterator[Any]:
        """``name(*args)`` for each ``args`` in ``calls``, sent to the child in one round trip.

        Yields the values in order, as ``getattr(student, name)(*args)`` returns them one by
        one (arguments not echoed). Each call has its own CPU limit (``timeout``, or the
        exercise's ``call_seconds``). The child stops at the first call that fails, and the
        iteration raises that call's StudentProblem where it reaches it: a grader that stops
        earlier (at a wrong value) reports what it reported calling one by one.
        """
        messages = [{"op": "call", "name": name, "args": wire.encode(list(args)),
                     "kwargs": wire.encode({}), "echo_args": False} for args in calls]
        outcomes = self._exchange(messages, name, timeout) if messages else []
        return (self._decode(self._reply_of(outcome, name), "value", name)
                for outcome in outcomes)

    def close(self) -> None:
        """End the child (and anything it spawned)."""
        if self._process is not None:
            self._collect_output()
            self._process.close(wait=False)  # the zygote cleans up while the grader goes on
            self._process = None

    # -- internals ---------------------------------------------------------------------------

    def _request(self, message: dict, name: str, timeout: float | None) -> dict:
        return self._reply_of(self._exchange([message], name, timeout)[-1], name)

    def _reply_of(self, outcome: dict | StudentProblem, name: str) -> dict:
        """The reply, or raise the call's problem (remembering a timeout)."""
        if isinstance(outcome, StudentProblem):
            if outcome.kind == "timeout":
                # It ran out of time once: calling it again would most likely cost the whole
                # time limit again (an endless loop), and the other checks' time with it.
                self._timed_out[name] = outcome.values["seconds"]
            raise outcome
        return outcome

    def _exchange(self, messages: list[dict], name: str, timeout: float | None
                  ) -> list[dict | StudentProblem]:
        """Send ``messages`` (requests about ``name``) as one request, a batch if several.

        Returns one ok reply per message up to the first that failed, which is its
        StudentProblem instead (the child ran none after it). Raises StudentProblem when the
        module cannot be loaded or the time budget is used up before anything ran.
        """
        if name in self._timed_out:
            return [StudentProblem("timeout", name=f"{name}()", seconds=self._timed_out[name])]
        outcomes: list[dict | StudentProblem] = []
        retried = False
        while len(outcomes) < len(messages):
            try:
                process = self._ensure_loaded()
                cpu_seconds, wall_seconds = self._time_for(timeout)
            except StudentProblem as problem:
                if not outcomes:
                    raise
                return [*outcomes, problem]
            pending = [{**m, "cpu_seconds": cpu_seconds} for m in messages[len(outcomes):]]
            request = pending[0] if len(pending) == 1 else {"op": "batch", "calls": pending}
            started = time.monotonic()
            try:
                replies, failure = process.exchange(request, [wall_seconds] * len(pending))
                outcomes += [r if r.get("ok") else self._problem(r.get("error"), name)
                             for r in replies]
                if isinstance(failure, ChildDied) and not retried \
                        and process.outside_signal is not None:
                    # Killed by something outside (out of memory elsewhere, an operator): not
                    # the student's doing, so the calls left are run again in a fresh child,
                    # and the time they lost is not taken from the student's budget.
                    retried, started = True, time.monotonic()
                    continue
                if failure is not None:
                    outcomes.append(self._failure(failure, name, process, cpu_seconds,
                                                  wall_seconds))
                if outcomes and isinstance(outcomes[-1], StudentProblem):
                    return outcomes
            finally:
                self._seconds_used += time.monotonic() - started
                if not process.alive:
                    self._collect_output()
                    self._process = None
        return outcomes

    def _failure(self, failure: Exception, name: str, process: StudentProcess,
                 cpu_seconds: float, wall_seconds: float) -> StudentProblem:
        """The problem of a request the child did not answer."""
        if isinstance(failure, CallTimeout):
            seconds = _fmt(cpu_seconds if failure.cpu_time else wall_seconds)
            return StudentProblem("timeout", name=f"{name}()", seconds=seconds)
        if isinstance(failure, OutOfMemory):  # the sandbox's total memory limit: the student's
            return StudentProblem("memory_total", name=f"{name}()",
                                  limit=_gib(self._host.limits.sandbox_memory_bytes))
        if isinstance(failure, ChildDied):
            detail = failure.detail
            if process.outside_signal is not None:
                detail += f", {signal.Signals(process.outside_signal).name} twice"
            return StudentProblem("crash", name=f"{name}()", detail=detail)
        return StudentProblem("protocol", name=f"{name}()", detail=str(failure))

    def _ensure_loaded(self) -> StudentProcess:
        if self._load_problem is not None:
            raise self._load_problem
        if self._process is not None:
            return self._process
        module = self._exercise.id
        source = self._sources.get(module)
        if isinstance(source, StudentProblem) or source is None:
            self._load_problem = source or StudentProblem("missing_file", file=f"{module}.py")
            raise self._load_problem
        readable = {name: [f"{name}.py", text] for name, text in self._sources.items()
                    if isinstance(text, str)}
        cpu_seconds, wall_seconds = self._time_for(LOAD_CPU_SECONDS)
        started = time.monotonic()
        process = self._host.spawn()
        try:
            reply = process.request({"op": "load", "module": module, "sources": readable,
                                     "cpu_seconds": cpu_seconds}, wall_seconds)
        except (CallTimeout, ChildDied, BadReply, OutOfMemory) as exc:
            process.close()
            seconds = cpu_seconds if getattr(exc, "cpu_time", False) else wall_seconds
            self._load_problem = StudentProblem("import_error", file=f"{module}.py",
                                                detail=_describe_load_failure(exc, seconds))
            raise self._load_problem from None
        finally:
            self._seconds_used += time.monotonic() - started
        if not reply.get("ok"):
            process.close()
            self._load_problem = self._problem(reply.get("error"), f"{module}.py", loading=True)
            raise self._load_problem
        self._process = process
        return process

    def _time_for(self, timeout: float | None) -> tuple[float, float]:
        """(CPU seconds, wall-clock seconds) for the next request."""
        limit = self._exercise.time_limit
        remaining = limit.exercise_seconds - self._seconds_used
        if remaining <= 0:
            raise StudentProblem("budget", seconds=_fmt(limit.exercise_seconds))
        cpu_seconds = min(timeout or limit.call_seconds, remaining)
        return cpu_seconds, min(max(cpu_seconds * WALL_FACTOR, WALL_FLOOR), remaining)

    def _problem(self, error: object, name: str, loading: bool = False) -> StudentProblem:
        error = error if isinstance(error, dict) else {}
        kind = str(error.get("kind", "protocol"))
        type_name = str(error.get("type", "?"))[:80]
        message = str(error.get("message", ""))[:600]
        line = error.get("line") if isinstance(error.get("line"), int) else None
        file = str(error.get("file") or f"{self._exercise.id}.py")[:200]
        detail = f"{type_name}: {message}" if message else type_name
        if loading:
            if kind == "syntax":
                return StudentProblem("syntax", file=file, line=line or "?", detail=message)
            return StudentProblem("import_error", file=f"{self._exercise.id}.py",
                                  detail=detail, where=where(file, line))
        label = f"{name}()"
        if kind in ("not_implemented", "exit", "memory", "recursion"):
            return StudentProblem(kind, name=label)
        if kind == "missing":
            return StudentProblem("missing_name", name=name, file=f"{self._exercise.id}.py")
        if kind == "not_callable":
            return StudentProblem("not_callable", name=name, detail=type_name)
        if kind == "unsupported":
            return StudentProblem("unsupported_value", name=label, detail=message)
        if kind == "raised":
            return StudentProblem("raised", name=label, detail=detail, where=where(file, line))
        return StudentProblem("protocol", name=label, detail=detail)

    def _decode(self, reply: dict, field: str, name: str) -> Any:
        """The value of ``reply[field]``; a reply without it is the submission's failure."""
        if field not in reply:
            raise StudentProblem("protocol", name=f"{name}()", detail=f"no {field!r} in the reply")
        try:
            return wire.decode(reply[field])
        except wire.WireError as exc:
            raise StudentProblem("protocol", name=f"{name}()", detail=str(exc)) from None

    def _collect_output(self) -> None:
        if self._process is not None:
            self.output += self._process.output_text()


class ModuleOpener(Protocol):
    """Where graders get a student's module from (a worker child, or a notebook's kernel)."""

    def open(self, submission: Submission, exercise: ExerciseMeta) -> StudentModule:
        """The module of ``exercise`` for ``submission``; closed by the caller."""

    def done(self, submission: Submission) -> None:
        """Every exercise of ``submission`` has been graded."""


class WorkerModules:
    """Opens each student's modules in children of one worker host.

    Args:
        host: the worker host.
        module_names: every exercise id of the course: a submission's files may import each
            other, so each child gets all of them (read once per submission, as data).
    """

    def __init__(self, host: WorkerHost, module_names: list[str]):
        self.host = host
        self.module_names = module_names
        self._sources: dict[Submission, dict[str, str | StudentProblem]] = {}

    def open(self, submission: Submission, exercise: ExerciseMeta) -> StudentModule:
        if submission not in self._sources:
            self._sources[submission] = read_sources(submission, self.module_names)
        return StudentModule(self.host, exercise, self._sources[submission])

    def done(self, submission: Submission) -> None:
        self._sources.pop(submission, None)


def read_sources(submission: Submission, names: list[str]) -> dict[str, str | StudentProblem]:
    """The submission's exercise files as text, or the problem that made each unreadable."""
    sources: dict[str, str | StudentProblem] = {}
    for name in names:
        try:
            sources[name] = submission.source(name)
        except StudentProblem as problem:
            sources[name] = problem
    return sources


def _describe_load_failure(exc: Exception, seconds: float) -> str:
    if isinstance(exc, CallTimeout):
        return f"TimeoutError: import took longer than {_fmt(seconds)} s"
    if isinstance(exc, ChildDied):
        return f"SystemExit: {exc.detail} (sys.exit or os._exit at import?)"
    if isinstance(exc, OutOfMemory):
        return "MemoryError: the sandbox's total memory limit was exceeded at import"
    return f"ProtocolError: {exc}"


def _gib(size: int | None) -> str:
    return f"{size / (1 << 30):g} GiB" if size else "?"


def _fmt(seconds: float) -> str:
    return f"{seconds:g}" if seconds >= 1 else f"{seconds:.2f}"

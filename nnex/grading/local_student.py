"""A student's module that lives in this very process: a notebook kernel checking itself.

Same interface as ``nnex.grading.student.StudentModule`` so the same graders run unchanged, but
with no isolation and no timeout: only for a student checking their own code in their own kernel
(never for grading others). Arguments and results still pass through the wire format, so the
student's function gets independent copies and graders see the same plain types as always.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from typing import Any, Callable

from nnex.sandbox import wire
from nnex.course.metadata import ExerciseMeta
from nnex.grading.problems import StudentProblem, where
from nnex.grading.student import CallResult
from nnex.grading.submissions import Submission


class LocalModule:
    """The names a student defined in ``namespace`` (e.g. a notebook's ``globals()``)."""

    def __init__(self, namespace: dict[str, Any], exercise: ExerciseMeta):
        self._namespace = namespace
        self._exercise = exercise
        self.output = ""
        self.load_problem: StudentProblem | None = None

    @property
    def exercise_id(self) -> str:
        return self._exercise.id

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs).value

    def call(self, name: str, *args: Any, timeout: float | None = None, echo_args: bool = True,
             **kwargs: Any) -> CallResult:
        function = self._lookup(name)
        if not callable(function):
            raise StudentProblem("not_callable", name=name, detail=type(function).__name__)
        args = wire.decode(wire.encode(list(args)))
        kwargs = wire.decode(wire.encode(kwargs))
        try:
            value = function(*args, **kwargs)
        except NotImplementedError:
            raise StudentProblem("not_implemented", name=f"{name}()") from None
        except RecursionError:
            raise StudentProblem("recursion", name=f"{name}()") from None
        except MemoryError:
            raise StudentProblem("memory", name=f"{name}()") from None
        except Exception as exc:  # noqa: BLE001 - the student's code may raise anything
            raise StudentProblem("raised", name=f"{name}()", detail=f"{type(exc).__name__}: "
                                 f"{exc}"[:600], where=_where(exc)) from None
        return CallResult(value=self._plain(value, name), args=tuple(self._plain(args, name)),
                          kwargs=self._plain(kwargs, name))

    def constant(self, name: str) -> Any:
        return self._plain(self._lookup(name), name)

    def call_many(self, name: str, calls: list[tuple], *, timeout: float | None = None
                  ) -> Iterator[Any]:
        """``name(*args)`` for each ``args`` in ``calls``, one by one as they are taken."""
        return (self.call(name, *args, echo_args=False).value for args in calls)

    def close(self) -> None:
        """Nothing to end: the module is the kernel's own namespace."""

    def _lookup(self, name: str) -> Any:
        if name not in self._namespace:
            raise StudentProblem("missing_name", name=name, file="this notebook")
        return self._namespace[name]

    @staticmethod
    def _plain(value: Any, name: str) -> Any:
        try:
            return wire.decode(wire.encode(value))
        except (wire.WireError, RecursionError) as exc:
            raise StudentProblem("unsupported_value", name=f"{name}()", detail=str(exc)) from None


class LocalModules:
    """Opens every exercise on the same namespace (one notebook, one kernel)."""

    def __init__(self, namespace: dict[str, Any]):
        self.namespace = namespace

    def open(self, submission: Submission, exercise: ExerciseMeta) -> LocalModule:
        return LocalModule(self.namespace, exercise)

    def done(self, submission: Submission) -> None:
        pass


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    cells = [f for f in frames if f.filename.startswith("<ipython-input") or "ipykernel" in
             f.filename or f.filename.startswith("/tmp/ipykernel")]
    frame = cells[-1] if cells else (frames[-1] if frames else None)
    return where("cell", frame.lineno) if frame is not None and cells else ""

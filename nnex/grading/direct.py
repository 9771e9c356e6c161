"""Run plain graders without pytest, for every grading path (``nnex check``, a notebook's
check cell, ``nnex grade``, Gradescope, nbgrader): importing pytest costs more than running
every public check, and in a grading process pytest's collection and hooks cost CPU per student
(``benchmarks/bench_phases.py``: the grading process's CPU per student went from ~53 ms to
38–42 ms, on a shared machine).

A grader is plain when each of its checks is a module-level ``test_*`` function of the grader
file taking only nnex's fixtures (``student``, ``rng``, ``variant``), and the file uses nothing
else of pytest: no ``import pytest``, no marks or wrapping decorators on a check, no test class,
no ``conftest.py``, no ``assert`` (pytest rewrites those into its own messages). Anything else —
and a grader that cannot be imported, or a check its exercise does not define — runs through
pytest exactly as before (``nnex.grading.runner``), so instructors keep writing pytest graders.
Both ways record each check's ending through ``nnex.grading.collect``: the same results. Only
a grader error's report (the instructor's text, never shown to the student) differs: Python's
traceback here, pytest's report there.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import inspect
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from nnex.course.content import HIDDEN_GRADER, Course
from nnex.course.metadata import ExerciseMeta
from nnex.grading.collect import FIXTURES, GradingPlan, ResultCollector, is_grader_error
from nnex.grading.results import SubmissionResult
from nnex.grading.student import ModuleOpener, WorkerModules
from nnex.grading.submissions import Submission
from nnex.sandbox.host import WorkerHost

CHECK_PATTERN = "test_*"
"""Which functions are checks (``python_functions`` of ``grading.ini``)."""
CONFTEST = "conftest.py"


class NeedsPytest(Exception):
    """A grader uses something only pytest runs; the message says what."""


@dataclass(frozen=True)
class PlainCheck:
    """One check of a plain grader: a function called with nnex's fixtures."""

    exercise_id: str
    name: str
    """The check's name: the function's without ``test_``."""
    function: Callable[..., object]
    fixtures: tuple[str, ...]
    visibility: str


def plain_checks(course: Course, exercises: list[ExerciseMeta], *,
                 hidden: bool) -> dict[str, list[PlainCheck]]:
    """Every check of the graders of ``exercises``, in the order pytest would run them.

    Raises:
        NeedsPytest: a grader is not plain (see the module's docstring).
    """
    if (course.graders_dir / CONFTEST).exists():
        raise NeedsPytest(f"{course.graders_dir / CONFTEST} exists")
    checks: dict[str, list[PlainCheck]] = {}
    for meta in exercises:
        checks[meta.id] = []
        for path in course.grader_files(meta.id, hidden=hidden):
            if (path.parent / CONFTEST).exists():
                raise NeedsPytest(f"{path.parent / CONFTEST} exists")
            checks[meta.id] += _file_checks(path, meta)
    return checks


def run_plain_checks(submissions: list[Submission], exercises: list[ExerciseMeta], *,
                     course: Course, hidden: bool, host: WorkerHost | None = None,
                     modules: ModuleOpener | None = None,
                     on_result: Callable[[SubmissionResult], None] | None = None
                     ) -> list[SubmissionResult]:
    """``nnex.grading.runner.run_checks`` without pytest when every grader is plain, else
    through it: same arguments, same results.

    Raises:
        GraderError: a grader could not be loaded or does not match its metadata.
    """
    own_host = host is None and modules is None
    if modules is None:
        host = host or WorkerHost()
        host.start()  # the zygote warms up while the graders are imported
        modules = WorkerModules(host, course.exercise_ids())
    try:
        try:
            checks = plain_checks(course, exercises, hidden=hidden)
        except NeedsPytest:
            from nnex.grading.runner import run_checks

            return run_checks(submissions, exercises, course=course, hidden=hidden,
                              modules=modules, on_result=on_result)
        collector = ResultCollector(GradingPlan(submissions=list(submissions),
                                                exercises=list(exercises), modules=modules,
                                                on_result=on_result, course=course))
        try:
            for index in range(len(submissions)):
                _run_submission(collector, index, [checks[meta.id] for meta in exercises])
        finally:
            collector.close()
        return collector.results
    finally:
        if own_host:
            host.close()


def _run_submission(collector: ResultCollector, index: int,
                    exercises: list[list[PlainCheck]]) -> None:
    ran = False
    for checks in exercises:
        for check in checks:
            _run_check(collector, index, check)
        if checks:
            collector.finish_exercise(index, checks[0].exercise_id)
            ran = True
    if ran:
        collector.finish_submission(index)


def _run_check(collector: ResultCollector, index: int, check: PlainCheck) -> None:
    """Run one check as pytest would (fixtures, then the call) and record how it ended."""
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        # As pytest does, a check's warnings are recorded, not printed to the student.
        with warnings.catch_warnings(record=True):
            arguments = {name: _fixture(collector, index, check, name)
                         for name in check.fixtures}
            check.function(**arguments)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: B036 - pytest records SystemExit from a check too
        error = exc
    trace = "".join(traceback.format_exception(error)) if is_grader_error(error) else None
    collector.record(index, check.exercise_id, check.name, error,
                     visibility=check.visibility, seconds=time.perf_counter() - started,
                     trace=trace)


def _fixture(collector: ResultCollector, index: int, check: PlainCheck, name: str) -> object:
    if name == "student":
        return collector.student(index, check.exercise_id)
    if name == "variant":
        return collector.variant(index, check.exercise_id)
    return collector.rng(index, check.exercise_id, check.name)


def _file_checks(path: Path, meta: ExerciseMeta) -> list[PlainCheck]:
    """The checks of grader file ``path``, after making sure it is plain."""
    _require_plain_source(path)
    module = _import_grader(path, meta.id)
    if not getattr(module, "__test__", True) or hasattr(module, "pytestmark"):
        raise NeedsPytest(f"{path}: sets __test__ or pytestmark")
    visibility = "hidden" if path.name == HIDDEN_GRADER else "public"
    checks = []
    for name, value in list(vars(module).items()):
        if inspect.isclass(value) and (name.startswith("Test") or _marked_test(value)):
            raise NeedsPytest(f"{path}: test class {name}")
        if not fnmatch.fnmatch(name, CHECK_PATTERN) and _marked_test(value):
            raise NeedsPytest(f"{path}: {name} sets __test__")
        if not fnmatch.fnmatch(name, CHECK_PATTERN) or not callable(value):
            continue
        if not inspect.isfunction(value) or value.__module__ != module.__name__:
            raise NeedsPytest(f"{path}: {name} is not a function of its own")
        checks.append(PlainCheck(exercise_id=meta.id, name=name[len("test_"):],
                                 function=value, fixtures=_fixtures_of(path, name, value),
                                 visibility=visibility))
        if checks[-1].name not in meta.checks:
            raise NeedsPytest(f"{path}: check {checks[-1].name} has no entry in the metadata")
    return checks


def _fixtures_of(path: Path, name: str, function: Callable[..., object]) -> tuple[str, ...]:
    """The fixtures ``function`` asks for; only nnex's own, ``student`` among them."""
    # A decorator's wrapper names another code object or keeps the original in __wrapped__.
    if (inspect.isgeneratorfunction(function) or inspect.iscoroutinefunction(function)
            or function.__code__.co_name != name or hasattr(function, "__wrapped__")
            or hasattr(function, "pytestmark") or not getattr(function, "__test__", True)):
        raise NeedsPytest(f"{path}: {name} is not a plain function")
    parameters = inspect.signature(function).parameters.values()
    fixtures = tuple(p.name for p in parameters)
    if (any(p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            or p.default is not p.empty or p.name not in FIXTURES for p in parameters)
            or "student" not in fixtures):
        raise NeedsPytest(f"{path}: {name} takes ({', '.join(fixtures)})")
    return fixtures


def _require_plain_source(path: Path) -> None:
    """Refuse a grader that imports pytest or asserts (read only when it holds these words:
    parsing every grader would cost more than running its checks)."""
    try:
        source = path.read_bytes()
        if b"pytest" not in source and b"assert" not in source:
            return
        tree = ast.parse(source, filename=str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        raise NeedsPytest(f"{path}: {exc}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(_is_pytest(a.name) for a in node.names):
            raise NeedsPytest(f"{path}: imports pytest")
        if isinstance(node, ast.ImportFrom) and _is_pytest(node.module or ""):
            raise NeedsPytest(f"{path}: imports pytest")
        if isinstance(node, ast.Assert):
            raise NeedsPytest(f"{path}: line {node.lineno} asserts")


def _marked_test(value: object) -> bool:
    """True for what pytest collects whatever its name: ``__test__ = True``."""
    try:
        return getattr(value, "__test__", False) is True
    except Exception:  # noqa: BLE001 - an object whose attributes raise
        return False


def _is_pytest(module: str) -> bool:
    return module.split(".")[0] in ("pytest", "_pytest")


def _import_grader(path: Path, exercise_id: str) -> ModuleType:
    """Import a grader file as a module of its own (as pytest's ``importlib`` mode does)."""
    spec = importlib.util.spec_from_file_location(
        f"nnex_plain_grader_{exercise_id}_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise NeedsPytest(f"{path}: not importable")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as any import does: dataclasses and pickle look it up
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - pytest reports the grader's import error
        del sys.modules[spec.name]
        raise NeedsPytest(f"{path}: {type(exc).__name__}: {exc}") from None
    return module

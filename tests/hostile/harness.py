"""Harness for hostile submissions: a worker launcher per isolation level, placeholders that
give each run its own marker, and a look at the host's process table for anything left behind."""

from __future__ import annotations

import dataclasses
import os
import re
import secrets
import shutil
from pathlib import Path

import pytest

from nnex.sandbox import wire
from nnex.sandbox.host import Launcher, Limits, PlainLauncher, WorkerHost
from nnex.course.metadata import ExerciseMeta, TimeLimit
from nnex.sandbox.bubblewrap import UNPRIVILEGED_UID, BwrapLauncher, RuntimeView, choose_launcher

CORPUS = Path(__file__).parent
ISOLATIONS = ("bwrap", "rlimits")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_RENAMED_SUFFIX = ".hostile"  # conftest.py.hostile: pytest must not load it from this folder


def bwrap_problem() -> str | None:
    """Why bubblewrap cannot run here (None: it can)."""
    child_uid = UNPRIVILEGED_UID if os.geteuid() == 0 else None
    return BwrapLauncher(RuntimeView.of_this_python(), child_uid=child_uid).problem()


def launcher_for(isolation: str) -> Launcher:
    """A launcher for ``isolation``; bwrap skips (fails under CI) when bubblewrap cannot run."""
    if isolation == "bwrap":
        problem = bwrap_problem()
        if problem is not None:
            message = f"bubblewrap cannot run here: {problem}"
            if os.environ.get("CI"):
                pytest.fail(f"{message} (CI must run the sandbox tests)")
            pytest.skip(message)
    return choose_launcher(isolation, warn=lambda message: None)


def separate_uid(launcher: Launcher) -> bool:
    """Children cannot signal the grader, the zygote or other users' processes."""
    return isinstance(launcher, BwrapLauncher) or (
        isinstance(launcher, PlainLauncher) and launcher.child_uid is not None)


def quick(meta: ExerciseMeta, call_seconds: float = 1.0,
          exercise_seconds: float = 2.5) -> ExerciseMeta:
    """``meta`` with short time limits, so that endless loops cost the test little."""
    return dataclasses.replace(meta, time_limit=TimeLimit(call_seconds, exercise_seconds))


def new_tag() -> str:
    """A process name (comm, at most 15 bytes) unique to this test run."""
    return "nnexh" + secrets.token_hex(4)


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{{NAME}}`` placeholders."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def place(name: str, folder: Path, values: dict[str, str]) -> None:
    """Copy corpus item ``name`` (a file ``<name>.py`` or a folder) into a student's folder."""
    folder.mkdir(parents=True)
    source = CORPUS / f"{name}.py"
    if source.is_file():
        (folder / "ex01_relu.py").write_text(fill(source.read_text(encoding="utf-8"), values),
                                             encoding="utf-8")
        return
    for path in (CORPUS / name).iterdir():
        target = folder / path.name.removesuffix(_RENAMED_SUFFIX)
        if path.is_dir():
            shutil.copytree(path, target)
        else:
            target.write_text(fill(path.read_text(encoding="utf-8"), values), encoding="utf-8")


def tagged_processes(tag: str) -> list[int]:
    """Host pids whose process name is ``tag`` (what hostile code calls its processes)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                comm = Path(f"/proc/{entry}/comm").read_text().strip()
            except OSError:
                continue
            if comm == tag:
                found.append(int(entry))
    return found


def load_child(host: WorkerHost, source: str, timeout: float = 30.0):
    """A fresh child of ``host`` with ``source`` loaded as the student's ``ex01_relu``."""
    child = host.spawn()
    loaded = child.request({"op": "load", "module": "ex01_relu",
                            "sources": {"ex01_relu": ["ex01_relu.py", source]}}, timeout)
    assert loaded["ok"], loaded
    return child


def call_child(child, name: str, *args, timeout: float = 60.0) -> dict:
    """The worker's reply to ``name(*args)`` in ``child`` (not decoded: it may be an error)."""
    return child.request({"op": "call", "name": name, "args": wire.encode(list(args)),
                          "kwargs": wire.encode({})}, timeout)


def run_in_child(launcher: Launcher, source: str, name: str, *args,
                 limits: Limits | None = None, timeout: float = 30.0):
    """Load ``source`` in a fresh child of a new host and return what ``name(*args)`` returned."""
    host = WorkerHost(launcher=launcher, limits=limits or Limits())
    try:
        child = load_child(host, source, timeout)
        reply = call_child(child, name, *args, timeout=timeout)
        child.close()
    finally:
        host.close()
    assert reply["ok"], reply
    return wire.decode(reply["value"])

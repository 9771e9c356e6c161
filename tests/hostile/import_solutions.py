"""Hostile: tries every way it knows to reach the reference solution and use it.

If any way works, it returns the reference's answers (full marks: the sandbox failed); if none
does, every function raises PermissionError listing what was tried.
"""

import glob
import importlib
import os
import sys

TRIED = []
REFERENCE = None


def _from_source(path):
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    namespace = {"__name__": "stolen"}
    exec(compile(source, path, "exec"), namespace)
    return namespace


def _candidates():
    yield "{{SOLUTION_PATH}}"
    for start in (os.getcwd(), os.path.abspath(__file__), *sys.path):
        folder = start
        while True:
            yield os.path.join(folder, "solutions", "ex01_relu.py")
            yield os.path.join(folder, "nnex", "solutions", "ex01_relu.py")
            if os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
    for pattern in ("/work/*/solutions/ex01_relu.py", "/work/*/*/solutions/ex01_relu.py",
                    "/root/*/solutions/ex01_relu.py", "/home/*/*/solutions/ex01_relu.py",
                    "/usr/lib/python3*/*-packages/nnex/solutions/ex01_relu.py",
                    "/usr/local/lib/python3*/*-packages/nnex/solutions/ex01_relu.py"):
        yield from glob.glob(pattern)
    for pid in os.listdir("/proc"):
        if pid.isdigit() or pid == "self":
            yield f"/proc/{pid}/root{{SOLUTION_PATH}}"
            yield f"/proc/{pid}/cwd/solutions/ex01_relu.py"
    for fd in os.listdir("/proc/self/fd"):
        yield f"/proc/self/fd/{fd}/solutions/ex01_relu.py"


def _find():
    for name in ("nnex.solutions.ex01_relu", "solutions.ex01_relu"):
        for extra in ([], ["{{REPO}}"]):
            sys.path[:0] = extra
            try:
                return vars(importlib.import_module(name))
            except Exception as exc:  # noqa: BLE001
                TRIED.append(f"import {name}: {type(exc).__name__}")
            finally:
                del sys.path[:len(extra)]
    for path in _candidates():
        try:
            return _from_source(path)
        except Exception as exc:  # noqa: BLE001
            TRIED.append(f"{path}: {type(exc).__name__}")
    return None


REFERENCE = _find()


def _use(name, *args):
    if REFERENCE is None:
        raise PermissionError(f"no way to the reference; tried {len(TRIED)} ways: "
                              + "; ".join(TRIED[:8]))
    return REFERENCE[name](*args)


def relu(x):
    return _use("relu", x)


def leaky_relu(x, alpha=0.01):
    return _use("leaky_relu", x, alpha)


def sigmoid(x):
    return _use("sigmoid", x)

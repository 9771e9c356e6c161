"""The worker: the only process that runs student code. It returns data, never decides a score.

Runs as a script (``python worker.py --control-fd N``), possibly inside a sandbox that shows it
nothing but this file, ``confine.py``, ``wire.py``, the Python runtime and its packages. It
therefore imports only the standard library, NumPy, ``confine`` and ``wire``.

A zygote imports NumPy once, then forks one child per (submission, exercise) on request. The
grader sends the child's protocol socket and output pipe over the control socket (SCM_RIGHTS).
The child starts a new session, drops to an unprivileged uid (``--child-uid``, when the zygote
runs as root), applies resource limits, loads the student's source text (sent as data; the child
never reads the submission from disk) and answers ``load`` / ``call`` / ``get`` requests, one
JSON line each, until its socket closes. On ``kill`` the zygote removes the child and everything
it started (it is their subreaper), then empties the scratch folders (``--scratch``) so that
nothing a student wrote there reaches the next one.
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.util
import os
import signal
import socket
import sys
import traceback

if __package__:
    from nnex.sandbox import confine, wire
else:  # run as a script: confine.py and wire.py sit beside this file
    import confine
    import wire

    del sys.path[0]  # the script's folder is not the student's business

MESSAGE_LIMIT = 600
_PRELOADED = ("numpy.random", "numpy.linalg", "numpy.fft", "math", "cmath", "random",
              "statistics", "functools", "itertools", "operator", "collections", "copy",
              "fractions", "decimal", "dataclasses", "typing")
# NumPy's "Unable to allocate" is a MemoryError subclass: match by isinstance.
_KINDS = ((SystemExit, "exit"), (KeyboardInterrupt, "exit"), (MemoryError, "memory"),
          (RecursionError, "recursion"), (NotImplementedError, "not_implemented"))


class _SourceFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves the submission's exercise modules from source text received over the wire."""

    def __init__(self, sources: dict[str, tuple[str, str]]):
        self.sources = sources  # module name -> (file name, source text)

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.sources:
            filename = self.sources[fullname][0]
            return importlib.util.spec_from_loader(fullname, self, origin=filename)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        filename, source = self.sources[module.__name__]
        module.__file__ = filename
        exec(compile(source, filename, "exec"), module.__dict__)


class _Child:
    """The request loop of one forked child."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.module = None
        self.filenames: set[str] = set()

    def serve(self) -> None:
        reader = self.sock.makefile("rb")
        for line in reader:
            try:
                request = wire.loads(line)
            except wire.WireError as exc:
                self._send(_protocol_error("WireError", str(exc)))
                continue
            if request.get("op") != "batch":
                self._send(self.handle(request))
                continue
            calls = request.get("calls")
            if type(calls) is not list or not calls:
                self._send(_protocol_error("ValueError", "a batch needs a list of calls"))
                continue
            for call in calls:  # one reply each, sent as soon as it is known
                reply = (self.handle(call) if type(call) is dict and call.get("op") == "call"
                         else _protocol_error("ValueError", "a batch holds calls only"))
                if not self._send(reply):  # as if the grader had stopped at the failed call
                    break

    def _send(self, reply: dict) -> bool:
        """Send one reply; whether it says the request succeeded."""
        ok = reply.get("ok") is True
        try:
            data = wire.dumps(reply)
        except (ValueError, RecursionError) as exc:  # text not UTF-8, an int of 4,301+ digits
            data = wire.dumps({"ok": False, "error": {
                "kind": "unsupported", "type": type(exc).__name__,
                "message": "a value that cannot be sent (a string that is not valid text, "
                           "or an integer of more than 4,300 digits)"}})
            ok = False
        self.sock.sendall(data)
        return ok

    def handle(self, request: dict) -> dict:
        # The per-call limit in CPU time: a loaded machine stretches wall time, not this. At the
        # limit the kernel ends the child with SIGPROF (default action), even inside NumPy's C
        # code; the host reports that as a timeout. Its wall-clock deadline stays the backstop.
        cpu_seconds = request.get("cpu_seconds")
        if type(cpu_seconds) in (int, float) and cpu_seconds > 0:
            signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
        try:
            return self._dispatch(request)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)

    def _dispatch(self, request: dict) -> dict:
        op = request.get("op")
        if op == "load":
            return self._guarded(self._load, request)
        if op == "call":
            return self._guarded(self._call, request)
        if op == "get":
            return self._guarded(self._get, request)
        return _protocol_error("ValueError", f"unknown op {op!r}")

    def _load(self, request: dict) -> dict:
        sources = {name: (spec[0], spec[1]) for name, spec in request["sources"].items()}
        self.filenames = {filename for filename, _ in sources.values()}
        sys.meta_path.insert(0, _SourceFinder(sources))
        self.module = importlib.import_module(request["module"])
        return {"ok": True}

    def _lookup(self, name: str):
        if self.module is None:
            raise _Refusal("protocol", "RuntimeError", "nothing loaded")
        try:
            return getattr(self.module, name)
        except AttributeError:
            raise _Refusal("missing", "AttributeError", name) from None

    def _call(self, request: dict) -> dict:
        function = self._lookup(request["name"])
        if not callable(function):
            raise _Refusal("not_callable", type(function).__name__, request["name"])
        args = wire.decode(request["args"])
        kwargs = wire.decode(request["kwargs"])
        value = function(*args, **kwargs)
        reply = {"ok": True, "value": self._encode(value)}
        if request.get("echo_args"):
            reply["args"] = self._encode(args)
            reply["kwargs"] = self._encode(kwargs)
        return reply

    def _get(self, request: dict) -> dict:
        return {"ok": True, "value": self._encode(self._lookup(request["name"]))}

    @staticmethod
    def _encode(value):
        try:
            return wire.encode(value)
        except wire.WireError as exc:
            raise _Refusal("unsupported", "TypeError", str(exc)) from None
        except RecursionError:
            raise _Refusal("unsupported", "TypeError", "a value nested too deeply") from None

    def _guarded(self, action, request: dict) -> dict:
        try:
            return action(request)
        except _Refusal as refusal:
            return {"ok": False, "error": refusal.as_dict()}
        except SyntaxError as exc:
            return {"ok": False, "error": {
                "kind": "syntax", "type": type(exc).__name__, "message": _cap(exc.msg or ""),
                "line": exc.lineno, "file": exc.filename}}
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything
            kind = next((k for t, k in _KINDS if isinstance(exc, t)), "raised")
            return {"ok": False, "error": {
                "kind": kind, "type": type(exc).__name__,
                "message": _cap(_safe_str(exc)), **self._where(exc)}}

    def _where(self, exc: BaseException) -> dict:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename in self.filenames]
        if not frames:
            return {}
        return {"line": frames[-1].lineno, "file": frames[-1].filename}


class _Refusal(Exception):
    def __init__(self, kind: str, type_name: str, message: str):
        super().__init__(message)
        self.kind, self.type_name, self.message = kind, type_name, message

    def as_dict(self) -> dict:
        return {"kind": self.kind, "type": self.type_name, "message": _cap(self.message)}


def _protocol_error(type_name: str, message: str) -> dict:
    return {"ok": False, "error": {"kind": "protocol", "type": type_name, "message": message}}


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)
    except BaseException:  # noqa: BLE001 - a hostile __str__
        return "(message could not be shown)"


def _cap(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "…"


def run_child(proto_fd: int, out_fd: int, settings: dict, child_uid: int | None,
              zygote: int, confinement: confine.ChildConfinement) -> None:
    """Body of a forked child: confine itself, then serve requests until the socket closes."""
    os.setsid()
    try:  # an out-of-memory kill in the sandbox takes student code, not the zygote
        oom_score = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
        try:
            os.write(oom_score, b"1000")
        finally:
            os.close(oom_score)
    except OSError:
        pass
    if child_uid is not None:
        confine.drop_privileges(child_uid)
    # setuid programs cannot give student code privileges back
    confinement.prctl(confine.PR_SET_NO_NEW_PRIVS, 1)
    confinement.filter_system_calls()  # no namespaces, no SysV IPC: less of the kernel in reach
    confinement.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != zygote:
        raise RuntimeError("the zygote ended while this child started")
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    os.close(out_fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(write_through=True)
    if settings.get("cwd"):
        os.chdir(settings["cwd"])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPROF, signal.SIG_DFL)
    confine.apply_limits(settings.get("limits") or {})
    _Child(socket.socket(fileno=proto_fd)).serve()


def run_zygote(control_fd: int, own_pid_namespace: bool, child_uid: int | None = None,
               scratch: tuple[str, ...] = ()) -> None:
    """Fork a child per ``spawn`` request; kill and reap on ``kill``; exit when the grader goes."""
    # Imported once here so that every child starts warm, and so that modules students
    # commonly use are already loaded where the child could not read them from disk
    # (rlimits-only isolation as root: the child's uid cannot enter /root).
    import numpy  # noqa: F401
    for name in _PRELOADED:
        try:
            importlib.import_module(name)
        except ImportError:
            pass

    # Children cannot ptrace the zygote or read its memory; what a child detaches is re-parented
    # to the zygote, not init.
    confinement = confine.ChildConfinement.prepare()
    confinement.prctl(confine.PR_SET_DUMPABLE, 0)
    confinement.prctl(confine.PR_SET_CHILD_SUBREAPER, 1)
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(control, 1 << 16, 4)
        except ConnectionError:
            return
        if not data:
            return
        request = wire.loads(data)
        if request["op"] == "spawn":
            sys.stdout.flush()
            sys.stderr.flush()
            zygote = os.getpid()
            pid = os.fork()
            if pid == 0:
                control.close()
                code = 0
                try:
                    run_child(fds[0], fds[1], request, child_uid, zygote, confinement)
                except BaseException:  # noqa: BLE001 - a broken child must still just exit
                    code = 70
                os._exit(code)
            for fd in fds:
                os.close(fd)
            control.send(wire.dumps({"ok": True, "pid": pid}))
        elif request["op"] == "kill":
            status = confine.end_child(request["pid"], own_pid_namespace,
                                       bool(request.get("ending")))
            for folder in scratch:
                confine.empty_folder(folder)
            control.send(wire.dumps({"ok": True, "status": status}))
        else:
            control.send(wire.dumps({"ok": False}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--control-fd", type=int, required=True)
    parser.add_argument("--own-pid-namespace", action="store_true",
                        help="the zygote is alone in a pid namespace (bubblewrap)")
    parser.add_argument("--child-uid", type=int,
                        help="children drop to this uid and gid (the zygote runs as root)")
    parser.add_argument("--path", action="append", default=[],
                        help="a folder to import packages (NumPy) from; repeatable")
    parser.add_argument("--scratch", action="append", default=[],
                        help="a folder emptied after each child (the sandbox's /tmp); repeatable")
    parser.add_argument("--scratch-bounds", nargs=2, type=int, metavar=("BYTES", "FILES"),
                        help="mount each scratch folder as a tmpfs this large (needs "
                             "CAP_SYS_ADMIN, dropped right after)")
    args = parser.parse_args(argv)
    if args.scratch_bounds:
        for folder in args.scratch:
            confine.mount_scratch(folder, *args.scratch_bounds)
    sys.path.extend(args.path)
    run_zygote(args.control_fd, args.own_pid_namespace, args.child_uid, tuple(args.scratch))


if __name__ == "__main__":
    main()

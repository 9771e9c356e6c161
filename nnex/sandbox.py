"""Choosing how student code is confined (placeholder: plain worker; bubblewrap comes next)."""

from __future__ import annotations

from collections.abc import Callable

from nnex.host import Limits, PlainLauncher, WorkerHost

ISOLATION_LEVELS = ("auto", "bwrap", "rlimits")


def make_host(isolation: str = "auto", limits: Limits | None = None,
              warn: Callable[[str], None] | None = None) -> WorkerHost:
    """A worker host for ``isolation`` ("auto": bubblewrap when available, else rlimits)."""
    return WorkerHost(launcher=PlainLauncher(), limits=limits or Limits())

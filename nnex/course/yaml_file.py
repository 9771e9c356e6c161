"""Validating the project's YAML files: known keys only, a versioned format, helpful messages.

Shared by exercise metadata (``exercise.yaml``) and the nbgrader course file. Each caller passes
its own error class, constructed as ``error(path, message)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path

ErrorFactory = Callable[[Path, str], Exception]


def suggest(key: str, choices: Iterable[str]) -> str:
    """`` — did you mean 'x'?`` for the closest of ``choices``, or nothing."""
    close = difflib.get_close_matches(key, list(choices), n=1)
    return f" — did you mean '{close[0]}'?" if close else ""


def check_keys(path: Path, raw: dict, allowed: set[str], required: set[str], where: str,
               error: ErrorFactory) -> None:
    """Reject unknown keys (naming the closest known one) and missing required keys."""
    for key in raw:
        if key not in allowed:
            raise error(path, f"unknown key '{where}{key}'{suggest(str(key), allowed)}")
    for key in sorted(required - raw.keys()):
        raise error(path, f"missing key '{where}{key}'")


def check_schema_version(path: Path, version: object, current: int, error: ErrorFactory) -> None:
    """Distinct errors for a missing, malformed, too old and too new ``schema_version``."""
    if version is None:
        raise error(path, f"missing 'schema_version' (this nnex reads {current})")
    if not isinstance(version, int) or isinstance(version, bool):
        raise error(path, f"'schema_version' must be a whole number, not {version!r}")
    if version < current:
        raise error(path, f"schema_version {version} is too old; this nnex reads {current}: "
                    "update the file to the current format")
    if version > current:
        raise error(path, f"schema_version {version} is newer than this nnex reads "
                    f"({current}): upgrade nnex")

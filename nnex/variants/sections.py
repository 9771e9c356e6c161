"""The parts of a stub, statement or solution that exist only with per-student numbers.

Such a part sits between two marker lines, in Python and in Markdown alike::

    # >>> per-student numbers                  <!-- >>> per-student numbers -->
    <the student's constant> = None            | `<the student's constant>` | ... |
    # <<< per-student numbers                  <!-- <<< per-student numbers -->

``select`` always drops the marker lines (so a Markdown table stays one table) and keeps the
part only when the course turns per-student numbers on.
"""

from __future__ import annotations

import re

from nnex.errors import CourseError

_MARKER = re.compile(r"^\s*(?:#|<!--)\s*(>>>|<<<) per-student numbers\s*(?:-->)?\s*$")


def select(text: str, enabled: bool, *, source: object = "") -> str:
    """``text`` without its marker lines, and without the marked parts unless ``enabled``.

    Raises:
        CourseError: a part is opened twice, closed without being opened, or left open
            (``source`` names the file in the message).
    """
    kept, inside = [], False
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        marker = _MARKER.match(line)
        if marker is None:
            if enabled or not inside:
                kept.append(line)
            continue
        opening = marker[1] == ">>>"
        if opening == inside:
            problem = "inside another part" if opening else "without its opening '>>>' line"
            raise CourseError(f"{source}:{number}: per-student numbers marker "
                              f"'{marker[1]}' {problem}")
        inside = opening
    if inside:
        raise CourseError(f"{source}: a '>>> per-student numbers' part is never closed "
                          "('<<< per-student numbers')")
    return "".join(kept)

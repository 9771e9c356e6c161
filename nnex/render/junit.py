"""Results as JUnit XML (GitLab, Jenkins and most CI systems): one test case per check per student.

The document is valid against the common JUnit schema (Jenkins' junit-10.xsd) whatever the
students' folder names and output hold: a character XML 1.0 cannot carry (a control character,
U+FFFE, a byte of a name that is not UTF-8, which Python reads as a lone surrogate) is written
as a visible escape such as ``\\x01`` or ``\\xe9``, so names stay readable and distinct.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from nnex.render.details import detail_lines
from nnex.grading.results import ERROR, GRADER_ERROR, PASSED, SubmissionResult


def junit_xml(results: list[SubmissionResult], *, show_hidden_values: bool = True) -> str:
    """A ``<testsuites>`` document: a suite per student, a case per exercise check.

    A wrong value is a ``<failure>``; a problem in the student's code (exception, timeout,
    missing file) is a ``<failure>`` too, typed by its kind; a grader fault is an ``<error>``.
    Scores go into ``<properties>`` so dashboards can read them.
    """
    root = ET.Element("testsuites", name="nnex")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=result.student)
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="score", value=f"{result.score:g}")
        ET.SubElement(properties, "property", name="max_score", value=f"{result.max_score:g}")
        counts = {"tests": 0, "failures": 0, "errors": 0}
        for exercise in result.exercises:
            for check in exercise.checks:
                counts["tests"] += 1
                case = ET.SubElement(suite, "testcase", name=f"{exercise.exercise}::{check.name}",
                                     classname=f"{result.student}.{exercise.exercise}",
                                     time=f"{check.seconds:.3f}")
                if check.outcome == PASSED:
                    continue
                show = show_hidden_values or check.visibility != "hidden"
                text = "\n".join((exercise.reason.lines() if exercise.reason else [])
                                 + detail_lines(check, show))
                if check.outcome == GRADER_ERROR:
                    counts["errors"] += 1
                    element = ET.SubElement(case, "error", type="grader_error",
                                            message="the grader failed")
                    text = "\n".join([text, check.problem or ""]).strip()
                else:
                    counts["failures"] += 1
                    kind = check.kind if check.outcome == ERROR else "wrong_value"
                    element = ET.SubElement(case, "failure", type=kind or "failed",
                                            message=_first_line(text))
                element.text = text
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return xml_safe(ET.tostring(root, encoding="unicode", xml_declaration=True)) + "\n"


def _first_line(text: str) -> str:
    return (text.splitlines()[0] if text else "")[:300]


# What XML 1.0 cannot hold (its Char production), surrogates included.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold written as a visible escape."""
    return _NOT_XML.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

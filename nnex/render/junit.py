"""Results as JUnit XML (GitLab, Jenkins and most CI systems): one test case per check per student."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from nnex.render.terminal import detail_lines
from nnex.results import ERROR, GRADER_ERROR, PASSED, SubmissionResult


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
                element.text = _xml_safe(text)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _first_line(text: str) -> str:
    return _xml_safe(text.splitlines()[0] if text else "")[:300]


def _xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (student output may contain any byte)."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff")

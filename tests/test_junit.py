"""JUnit XML: one case per check per student, failures typed, parseable with hostile text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from nnex.render.junit import junit_xml
from tests.conftest import grade_class, solution_sources, write_class


def test_junit_counts_and_messages(tmp_path, course):
    good = solution_sources(course)
    bad = dict(good)
    bad["ex01_relu"] = ("def relu(x):\n    raise ValueError('\\x00\\x1b[31m<![CDATA[ ]]> & <tag>')\n"
                        "leaky_relu = sigmoid = relu\n")
    root = write_class(tmp_path / "class", {"good": good, "bad": bad})
    results = list(grade_class(course, root, exercises=["ex01_relu"]).values())
    document = ET.fromstring(junit_xml(results))
    suites = {s.get("name"): s for s in document.findall("testsuite")}
    checks = len(course.exercise("ex01_relu").checks)
    assert suites["good"].get("tests") == str(checks) and suites["good"].get("failures") == "0"
    assert suites["bad"].get("failures") == str(checks)
    assert document.get("tests") == str(2 * checks)
    failure = suites["bad"].find("testcase/failure")
    assert failure.get("type") == "raised" and "ValueError" in failure.text
    score = {p.get("name"): p.get("value") for p in suites["good"].iter("property")}
    full = f"{course.exercise('ex01_relu').max_score:g}"
    assert score == {"score": full, "max_score": full}


def test_grade_writes_junit_next_to_its_outputs(tmp_path, course):
    from nnex.cli import main

    root = write_class(tmp_path / "class", {"good": solution_sources(course)})
    junit = tmp_path / "ci" / "junit.xml"
    assert main(["grade", str(root), "--out", str(tmp_path / "out"), "-e", "ex01_relu",
                 "--workers", "1", "--junit", str(junit)]) == 0
    document = ET.fromstring(junit.read_text(encoding="utf-8"))
    assert document.get("failures") == "0"
    assert document.get("tests") == str(len(course.exercise("ex01_relu").checks))

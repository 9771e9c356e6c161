"""JUnit XML: one case per check per student, failures typed, valid (Jenkins' junit-10.xsd) for
hostile text and for every folder name a file system allows."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from nnex.render.junit import junit_xml
from tests.conftest import grade_class, solution_sources, write_class
from tests.samples import sample_class


def test_junit_counts_and_messages(tmp_path, course):
    good = solution_sources(course)
    bad = dict(good)
    bad["ex01_relu"] = ("def relu(x):\n"
                        "    raise ValueError('\\x00\\x1b[31m<![CDATA[ ]]> & <tag>')\n"
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


# Names a Linux file system allows for a student's folder: any bytes but "/" and NUL. Python
# reads bytes that are not UTF-8 as lone surrogates (os.fsdecode), which XML cannot hold either.
ODD_NAMES = [
    "ctrl\x01\x02\x1b[31mred", "tab\tnew\nline\rcr", os.fsdecode(b"caf\xe9-latin1"),
    os.fsdecode("田中".encode("shift_jis")), "\ufffe\uffff", "del\x7f", '<&">\']]>',
    "田中 太郎", "-", " ",
]
SCHEMA = Path(__file__).with_name("junit-10.xsd")


def test_junit_is_valid_for_every_name_a_file_system_allows():
    import xmlschema

    schema = xmlschema.XMLSchema(SCHEMA)
    results = [replace(result, student=name)
               for name, result in zip(ODD_NAMES, sample_class() * 2)]
    text = junit_xml(results)
    schema.validate(text)  # raises with the reason when the document is not valid
    document = ET.fromstring(text.encode("utf-8"))
    names = [suite.get("name") for suite in document.findall("testsuite")]
    assert len(set(names)) == len(ODD_NAMES)  # still told apart
    assert names[0] == "ctrl\\x01\\x02\\x1b[31mred"
    assert names[1] == "tab\tnew\nline\rcr"
    assert names[2] == "caf\\xe9-latin1"
    assert names[7:] == ["田中 太郎", "-", " "]


def test_the_schema_rejects_what_jenkins_would():
    import xmlschema

    schema = xmlschema.XMLSchema(SCHEMA)
    document = ET.fromstring(junit_xml(sample_class()))
    del document.find("testsuite").attrib["failures"]
    assert not schema.is_valid(ET.tostring(document, encoding="unicode"))


def test_grade_writes_valid_junit_for_a_folder_named_with_control_characters(tmp_path, course):
    # Folders whose names are not UTF-8 are covered by the renderer test above; grading such a
    # folder end to end belongs to the name-handling work of the grading pipeline.
    import xmlschema

    from nnex.cli import main

    root = write_class(tmp_path / "class", {"佐藤\x01\x1b[2J": solution_sources(course)})
    junit = tmp_path / "junit.xml"
    assert main(["grade", str(root), "--out", str(tmp_path / "out"), "-e", "ex01_relu",
                 "--workers", "1", "--junit", str(junit)]) == 0
    xmlschema.XMLSchema(SCHEMA).validate(str(junit))
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("name") == "佐藤\\x01\\x1b[2J" and suite.get("failures") == "0"

"""Each default is defined once, on the library function; the CLI reads it from there, and
validates through the library."""

from __future__ import annotations

import pytest

from nnex.classgrade.grade import grade_class
from nnex.cli import build_parser
from nnex.errors import UsageError
from nnex.report import write_report
from tests.conftest import write_class

GRADING = {"exercises": "exercise_ids", "isolation": "isolation", "workers": "workers"}


def _nbgrader_grading():
    from nnex.integrations.nbgrader.grade import grade_nbgrader_assignment

    return grade_nbgrader_assignment


@pytest.mark.parametrize("argv, library, options", [
    (["grade", "SUBMISSIONS", "--out", "OUT"], lambda: grade_class,
     {**GRADING, "force": "force"}),
    (["demo"], lambda: grade_class, GRADING),
    (["grade", "ASSIGNMENT", "--nbgrader", "COURSE"], _nbgrader_grading,
     {"isolation": "isolation"}),
    (["report", "OUT"], lambda: write_report, {"slowest": "slowest"}),
], ids=["grade", "demo", "grade-nbgrader", "report"])
def test_the_cli_defaults_are_the_library_defaults(argv, library, options):
    parsed = vars(build_parser().parse_args(argv))
    defaults = library().__kwdefaults__
    assert {option: parsed[option] for option in options} == \
        {option: defaults[parameter] for option, parameter in options.items()}


@pytest.mark.parametrize("workers", [0, -3, "0", "two", "1.5", 2.0, True])
def test_the_library_checks_workers_as_the_cli_does(tmp_path, course, workers):
    root = write_class(tmp_path / "class", {"alice": {}})
    (root / "alice" / "notes.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(UsageError) as caught:
        grade_class(root, out, workers=workers)
    assert str(caught.value) == (f"--workers '{workers}': give a whole number of grading "
                                 "processes, 1 or more")
    assert not out.exists()

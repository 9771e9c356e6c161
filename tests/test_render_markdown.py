"""Markdown feedback: hints for every failure, hidden checks without their inputs or values."""

from __future__ import annotations

import html
import io

from rich.console import Console

from nnex.render.html import feedback_html
from nnex.render.markdown import feedback_markdown
from nnex.render.terminal import print_check_report
from nnex.grading.results import GRADED, MISSING
from tests.conftest import grade_class, write_class


def test_hidden_inputs_stay_hidden_unless_asked(tmp_path, course):
    source = "import numpy as np\nrelu = lambda x: x\nleaky_relu = relu\nsigmoid = relu\n"
    root = write_class(tmp_path / "class", {"s": {"ex01_relu": source}})
    result = grade_class(course, root, exercises=["ex01_relu"])["s"]
    hidden = [c for c in result.exercises[0].checks if c.visibility == "hidden" and not c.passed]
    assert hidden and all(c.what for c in hidden if c.what)
    student_view = feedback_markdown(result)
    instructor_view = feedback_markdown(result, show_hidden_values=True)
    for check in hidden:
        if check.what:
            assert check.what not in student_view
            assert check.what in instructor_view
    assert course.exercise("ex01_relu").hint("relu_negative_passthrough").en in student_view


def test_a_stub_says_not_implemented_once_per_exercise(tmp_path, course):
    stub = course.stub_path("ex01_relu").read_text(encoding="utf-8")
    relu_written = stub.replace("def relu(x):", "def relu(x):\n    return np.maximum(x, 0)\n\n"
                                "def _unused(x):", 1)
    assert relu_written != stub and "import numpy as np" in stub
    root = write_class(tmp_path / "class", {"stub": {"ex01_relu": stub},
                                            "partial": {"ex01_relu": relu_written}})
    results = grade_class(course, root, exercises=["ex01_relu"])
    untouched = feedback_markdown(results["stub"])
    assert "not implemented" not in untouched and untouched.count("Still the stub") == 1
    partial = results["partial"].exercises[0]
    unfinished = [c for c in partial.checks if c.kind == "not_implemented"]
    names = {c.message.en.split("(")[0] for c in unfinished}  # leaky_relu, sigmoid
    assert len(unfinished) > len(names) == 2 and any(c.passed for c in partial.checks)
    for view, shown in ((feedback_markdown(results["partial"]), str),
                        (feedback_html(results["partial"]), html.escape),
                        (_terminal(results["partial"]), str)):
        for message in {c.message.en for c in unfinished}:
            assert view.count(shown(message)) == 1, message


def _terminal(result) -> str:
    console = Console(file=io.StringIO(), width=400, color_system=None)
    print_check_report(console, result)
    return console.file.getvalue()


def test_a_file_never_submitted_is_shown_calmly(tmp_path, course):
    solution = course.solution_path("ex01_relu").read_text(encoding="utf-8")
    root = write_class(tmp_path / "class", {"s": {"ex01_relu": solution}})
    result = grade_class(course, root, exercises=["ex01_relu", "ex02_neuron"])["s"]
    missing = result.exercise("ex02_neuron")
    assert missing.status == MISSING and result.exercise("ex01_relu").status == GRADED
    text = _terminal(result)
    assert "未提出 / not submitted" in text and "could not be loaded" not in text
    assert '<div class="note problem">' not in feedback_html(result)

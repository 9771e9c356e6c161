"""Markdown feedback: hints for every failure, hidden checks without their inputs or values."""

from __future__ import annotations

from nnex.render.markdown import feedback_markdown
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

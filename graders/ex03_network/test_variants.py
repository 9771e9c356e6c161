"""Per-student checks for ex03_network (variants.yaml): the parameter count of the student's own
network. Collected and shipped to students only when the course turns per-student numbers on
(exercises/settings.yaml)."""

from nnex.grading.checks import expect_number
from nnex.grading.problems import StudentProblem


def test_my_parameter_count(student, variant):
    # n_in → n_hidden → n_hidden → n_out, judged exactly against the reference (grading) or the
    # kit's salted hashes (nnex check).
    count = student.constant("MY_PARAMETER_COUNT")
    if count is None:  # the stub as released: the message shows the student's numbers
        raise StudentProblem("not_set", name=variant.label())
    variant.expect_answer(expect_number(count, what="MY_PARAMETER_COUNT", hint="count_formula"))

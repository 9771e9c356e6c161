"""Per-student checks for ex04_weight_adjustment (variants.yaml): the 確認問題 with the student's
own numbers. Collected and shipped to students only when the course turns per-student numbers
on (exercises/settings.yaml)."""

from nnex.grading.checks import expect_number
from nnex.grading.problems import StudentProblem


def test_my_answer(student, variant):
    # Judged exactly, to the declared places, against the reference solution (grading) or the
    # kit's salted hashes (nnex check).
    answer = student.constant("MY_ANSWER")
    if answer is None:  # the stub as released: the message shows the student's numbers
        raise StudentProblem("not_set", name=variant.label())
    variant.expect_answer(expect_number(answer, what="MY_ANSWER", hint="answer_number"))

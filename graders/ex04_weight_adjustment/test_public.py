"""Public checks for ex04_weight_adjustment: the lecture's 確認問題 (A outputs 3 through ×4, B
outputs 2 through ×−2, the step neuron C), shipped to students."""

from nnex.grading.checks import expect_close, expect_equal, expect_number
from nnex.grading.problems import StudentProblem

# B's outputs tried with the old weight −2 and with the adjusted one; A is 3 through ×4.
B_OUTPUTS_OLD = (0, 1, 2, 2.5, 3)
B_OUTPUTS_NEW = (0, 1, 1.99, 2, 2.01, 2.5, 3)


def _step(student, x):
    return expect_number(student.step(x), what=f"step({x})", hint="number_out")


def test_step_lecture(student):
    # C's total inputs in the lecture: 12 from A alone, 12 − 4 = 8, and some below 0.
    for x, expected in ((12, 1), (8, 1), (3.5, 1), (-4, 0), (-0.5, 0)):
        expect_equal(_step(student, x), expected, what=f"step({x})", hint="step_formula",
                     fingerprints={"step_output": x})
    # 12 − 12 = 0: exactly 0 fires too ("0 以上").
    for x in (0, 0.0):
        expect_equal(_step(student, x), 1, what=f"step({x})", hint="step_formula",
                     fingerprints={"step_zero": 0})


def test_neuron_c_lecture(student):
    got = [expect_number(student.neuron_c(3, b_out, 4, w_b),
                         what=f"neuron_c(3, {b_out}, 4, {w_b})", hint="number_out")
           for w_b, outputs in ((-2, B_OUTPUTS_OLD), (-6, B_OUTPUTS_NEW)) for b_out in outputs]
    # With −2, C stays on for all these outputs of B; with −6 it turns off just above 2.
    expect_equal(got, [1, 1, 1, 1, 1] + [1, 1, 1, 1, 0, 0, 0],
                 what="neuron_c(3, b_out, 4, w_b) for w_b = −2, b_out = 0, 1, 2, 2.5, 3 and for "
                      "w_b = −6, b_out = 0, 1, 1.99, 2, 2.01, 2.5, 3",
                 hint="neuron_c_formula",
                 fingerprints={
                     "step_zero": [1, 1, 1, 1, 1] + [1, 1, 1, 0, 0, 0, 0],
                     # neuron_c(a_out, w_a, b_out, w_b): 3 × b_out + 4 × w_b.
                     "neuron_c_order": [0, 0, 0, 0, 1] + [0, 0, 0, 0, 0, 0, 0],
                     "neuron_c_step": [12, 10, 8, 7, 6] + [12, 6, 0.06, 0, -0.06, -3, -6]})


def test_required_weight_lecture(student):
    # The question: C off as soon as B exceeds 2 → −6. The original −2 fits a limit of 6.
    for a_out, w_a, b_limit, expected, sign, a_only, floored in (
            (3, 4, 2, -6, 6, -1.5, -6),
            (3, 4, 6, -2, 2, -0.5, -2),
            (3, 4, 5, -2.4, 2.4, -0.6, -3)):
        what = f"required_weight({a_out}, {w_a}, {b_limit})"
        got = expect_number(student.required_weight(a_out, w_a, b_limit), what=what,
                            hint="number_out")
        expect_close(got, expected, what=what, hint="required_formula",
                     fingerprints={"required_sign": sign, "required_a_out_only": a_only,
                                   "required_floor_division": floored})


def test_answer(student):
    answer = student.constant("ANSWER")
    if answer is None:  # the stub as released
        raise StudentProblem("not_set", name="ANSWER")
    got = expect_number(answer, what="ANSWER", hint="answer_number")
    # The value is on the slide; still, the feedback names the mistake rather than the number.
    expect_close(got, -6, what="ANSWER", hint="answer_lecture", show=False,
                 fingerprints={"required_sign": 6, "answer_unchanged": -2, "answer_change": -4,
                               "required_a_out_only": -1.5})

"""Hidden checks for ex04_weight_adjustment: other outputs, weights and limits against the
reference, and exact zero totals at which C must fire."""

from nnex.grading.checks import expect_close, expect_equal, expect_number
from nnex.solutions import ex04_weight_adjustment as ref


def _signed(rng, low, high, sign=None):
    """A Python float with magnitude in [low, high) and the given (or a random) sign."""
    sign = sign if sign is not None else rng.choice([-1, 1])
    return float(sign * rng.uniform(low, high))


def _neuron_c_outputs(student, cases):
    return [expect_number(got, what="neuron_c(a_out, b_out, w_a, w_b)", hint="number_out")
            for got in student.call_many("neuron_c", cases)]


def test_step_random(student, rng):
    # Both signs, and just either side of 0 (closer than any total in this exercise, yet
    # farther than a float rounding slip).
    inputs = [_signed(rng, 0.01, 20) for _ in range(6)] + [1e-7, -1e-7, 0.5, -0.5]
    for x, got in zip(inputs, student.call_many("step", [(x,) for x in inputs])):
        got = expect_number(got, what=f"step({x:.6g})", hint="number_out")
        expect_equal(got, ref.step(x), what=f"step({x:.6g})", hint="step_formula",
                     fingerprints={"step_output": x})
    got = expect_number(student.step(0.0), what="step(0.0)", hint="number_out")
    expect_equal(got, 1, what="step(0.0)", hint="step_formula", fingerprints={"step_zero": 0})


def test_neuron_c_boundary(student, rng):
    # Totals that are exactly 0: every product is a small multiple of a power of 2, so
    # a_out * w_a + b_out * w_b is 0 in floating point whichever way it is computed.
    cases = []
    for _ in range(6):
        k, m = int(rng.integers(1, 8)), int(rng.choice([-7, -5, -3, -1, 1, 3, 5, 7]))
        scale = 2.0 ** int(rng.integers(-2, 3))
        b_out, w_b = k * 0.5, m * 0.25
        cases.append((b_out * scale, b_out, -w_b / scale, w_b))
    expect_equal(_neuron_c_outputs(student, cases), [1] * len(cases),
                 what=f"neuron_c(a_out, b_out, w_a, w_b) for {cases} (each total is 0)",
                 hint="neuron_c_formula", fingerprints={"step_zero": [0] * len(cases)})


def test_neuron_c_random(student, rng):
    cases = []
    while len(cases) < 12:
        case = tuple(_signed(rng, 0.1, 5) for _ in range(4))
        a_out, b_out, w_a, w_b = case
        if abs(a_out * w_a + b_out * w_b) > 0.01:  # no total so near 0 that rounding decides
            cases.append(case)
    # What neuron_c(a_out, w_a, b_out, w_b) computes when called as the contract says.
    swapped = [ref.step(a * b + wa * wb) for a, b, wa, wb in cases]
    expect_equal(_neuron_c_outputs(student, cases), [ref.neuron_c(*case) for case in cases],
                 what="neuron_c(a_out, b_out, w_a, w_b) for 12 random cases",
                 hint="neuron_c_formula",
                 fingerprints={"neuron_c_order": swapped,
                               "neuron_c_step": [a * wa + b * wb for a, b, wa, wb in cases],
                               # A written in as the lecture's 3 × 4 = 12.
                               "neuron_c_lecture_numbers": [ref.step(12 + b * wb)
                                                            for _, b, _, wb in cases]})


def test_required_weight_random(student, rng):
    for n in range(8):
        sign = 1 if n % 2 == 0 else -1  # a_out * w_a > 0: both positive or both negative
        a_out, w_a = _signed(rng, 0.5, 5, sign), _signed(rng, 0.5, 5, sign)
        b_limit = _signed(rng, 0.2, 5, 1)
        what = f"required_weight({a_out:.6g}, {w_a:.6g}, {b_limit:.6g})"
        got = expect_number(student.required_weight(a_out, w_a, b_limit), what=what,
                            hint="number_out")
        expect_close(got, ref.required_weight(a_out, w_a, b_limit), what=what,
                     hint="required_formula",
                     fingerprints={"required_sign": a_out * w_a / b_limit,
                                   "required_a_out_only": -a_out / b_limit,
                                   "required_floor_division": -a_out * w_a // b_limit,
                                   "required_multiplied": -a_out * w_a * b_limit,
                                   "required_lecture_numbers": -6.0})

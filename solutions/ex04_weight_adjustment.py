"""Reference solution: the lecture's 確認問題 on adjusting a connection weight."""


def step(x):
    """1 when the total input is 0 or more (the neuron fires), else 0."""
    return 1 if x >= 0 else 0


def neuron_c(a_out, b_out, w_a, w_b):
    """Neuron C: the step of A's and B's outputs, each times its connection weight."""
    return step(a_out * w_a + b_out * w_b)


def required_weight(a_out, w_a, b_limit):
    """The w_b with a_out * w_a + b_limit * w_b == 0: C fires exactly while b_out <= b_limit."""
    return -a_out * w_a / b_limit


ANSWER = -6
"""A gives 3 × 4 = 12; B at its limit 2 must give -12, so "×−2" becomes "×−6"."""
# >>> per-student numbers

MY_ANSWER = -2.25
"""The student "reference" (the content tests' folder) has a_out = 3, w_a = 3, b_limit = 4:
-(3 × 3) / 4."""
# <<< per-student numbers

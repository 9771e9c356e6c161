"""Known implementations of ex04_weight_adjustment."""

from tests.catalogue import Correct, Wrong


def _module(step="1 if x >= 0 else 0", total="a_out * w_a + b_out * w_b",
            required="-a_out * w_a / b_limit", answer="-6", signature="a_out, b_out, w_a, w_b"):
    """A whole module, correct except for the one part given."""
    return f'''
def step(x):
    return {step}

def neuron_c({signature}):
    return step({total})

def required_weight(a_out, w_a, b_limit):
    return {required}

ANSWER = {answer}
'''


WRONG = [
    Wrong("step_greater_than", hint="step_zero", source=_module(step="1 if x > 0 else 0")),
    Wrong("step_like_relu", hint="step_output", source=_module(step="x if x >= 0 else 0")),
    Wrong("neuron_c_weights_first", hint="neuron_c_order",
          source=_module(signature="a_out, w_a, b_out, w_b")),
    Wrong("neuron_c_without_step", hint="neuron_c_step", source=_module() + '''
def neuron_c(a_out, b_out, w_a, w_b):
    return a_out * w_a + b_out * w_b
'''),
    Wrong("required_sign_flipped", hint="required_sign",
          source=_module(required="a_out * w_a / b_limit")),
    Wrong("required_a_out_only", hint="required_a_out_only",
          source=_module(required="-a_out / b_limit")),
    Wrong("required_floor_division", hint="required_floor_division",
          source=_module(required="-a_out * w_a // b_limit")),
    Wrong("answer_sign_flipped", hint="required_sign", source=_module(answer="6")),
    Wrong("answer_unchanged_weight", hint="answer_unchanged", source=_module(answer="-2")),
    Wrong("answer_change_only", hint="answer_change", source=_module(answer="-6 - (-2)")),
    Wrong("answer_as_text", hint="answer_number", source=_module(answer='"-6倍"')),
    # Realistic mistakes (issue 8): the lecture's numbers written in, the wrong operation.
    Wrong("neuron_c_lecture_a", hint="neuron_c_lecture_numbers",
          source=_module(total="3 * 4 + b_out * w_b")),
    Wrong("required_lecture_answer", hint="required_lecture_numbers",
          source=_module(required="-6")),
    Wrong("required_times_limit", hint="required_multiplied",
          source=_module(required="-a_out * w_a * b_limit")),
]

CORRECT = [
    Correct("if_else", source='''
def step(x):
    if x >= 0:
        return 1
    else:
        return 0

def neuron_c(a_out, b_out, w_a, w_b):
    total = a_out * w_a + b_out * w_b
    return step(total)

def required_weight(a_out, w_a, b_limit):
    input_from_a = a_out * w_a
    return -input_from_a / b_limit

ANSWER = -6
'''),
    Correct("numpy", source='''
import numpy as np

def step(x):
    return np.heaviside(x, 1)

def neuron_c(a_out, b_out, w_a, w_b):
    return step(np.dot([a_out, b_out], [w_a, w_b]))

def required_weight(a_out, w_a, b_limit):
    return np.divide(-np.multiply(a_out, w_a), b_limit)

ANSWER = -6.0
'''),
    Correct("one_liners_and_booleans", source='''
step = lambda x: x >= 0
neuron_c = lambda a_out, b_out, w_a, w_b: step(sum(map(lambda o, w: o * w, (a_out, b_out),
                                                        (w_a, w_b))))
required_weight = lambda a_out, w_a, b_limit: -(a_out * w_a) / b_limit
ANSWER = required_weight(3, 4, 2)
'''),
]

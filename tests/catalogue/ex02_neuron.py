"""Known implementations of ex02_neuron."""

from tests.catalogue import Correct, Wrong

# A correct neuron on top of whatever weighted_sum the wrong module defines.
_NEURON = '''
def neuron(inputs, weights, bias):
    s = weighted_sum(inputs, weights, bias)
    return s if s > 0 else 0
'''

# A correct weighted_sum beside a wrong neuron.
_WEIGHTED_SUM = '''
def weighted_sum(inputs, weights, bias):
    total = 0
    for x, w in zip(inputs, weights):
        total += x * w
    return total + bias
'''

WRONG = [
    Wrong("bias_forgotten", hint="bias_missing", source='''
def weighted_sum(inputs, weights, bias):
    return sum(x * w for x, w in zip(inputs, weights))
''' + _NEURON),
    Wrong("bias_in_loop", hint="bias_once", source='''
def weighted_sum(inputs, weights, bias):
    s = 0
    for i in range(len(inputs)):
        s = s + inputs[i] * weights[i] + bias
    return s
''' + _NEURON),
    Wrong("two_inputs_only", hint="all_inputs", source='''
def weighted_sum(inputs, weights, bias):
    return inputs[0] * weights[0] + inputs[1] * weights[1] + bias
''' + _NEURON),
    Wrong("three_inputs_only", hint="all_inputs", source='''
def weighted_sum(inputs, weights, bias):
    x1, x2, x3 = inputs[0], inputs[1], inputs[2]
    w1, w2, w3 = weights[0], weights[1], weights[2]
    return x1 * w1 + x2 * w2 + x3 * w3 + bias
''' + _NEURON),
    Wrong("total_reset_in_loop", hint="sum_reset", source='''
def weighted_sum(inputs, weights, bias):
    for i in range(len(inputs)):
        total = 0
        total += inputs[i] * weights[i]
    return total + bias
''' + _NEURON),
    Wrong("products_not_added", hint="number_out", source='''
import numpy as np
def weighted_sum(inputs, weights, bias):
    return np.array(inputs) * np.array(weights) + bias
def neuron(inputs, weights, bias):
    return np.maximum(0, weighted_sum(inputs, weights, bias))
'''),
    Wrong("relu_forgotten", hint="relu_missing", source=_WEIGHTED_SUM + '''
def neuron(inputs, weights, bias):
    return weighted_sum(inputs, weights, bias)
'''),
    Wrong("relu_before_bias", hint="relu_before_bias", source=_WEIGHTED_SUM + '''
def relu(x):
    return max(0, x)
def neuron(inputs, weights, bias):
    return relu(weighted_sum(inputs, weights, 0)) + bias
'''),
    Wrong("neuron_without_bias", hint="bias_missing", source=_WEIGHTED_SUM + '''
import numpy as np
def neuron(inputs, weights, bias):
    return max(0.0, float(np.dot(inputs, weights)))
'''),
    Wrong("sigmoid_instead_of_relu", hint="sigmoid_not_relu", source=_WEIGHTED_SUM + '''
import math
def neuron(inputs, weights, bias):
    return 1 / (1 + math.exp(-weighted_sum(inputs, weights, bias)))
'''),
    # Realistic mistakes (issue 8): the wrong input, the wrong operation, a sign, another
    # lecture's activation function.
    Wrong("weights_ignored", hint="weights_missing", source='''
def weighted_sum(inputs, weights, bias):
    return sum(inputs) + bias
''' + _NEURON),
    Wrong("added_not_multiplied", hint="multiply_not_add", source='''
def weighted_sum(inputs, weights, bias):
    return sum(x + w for x, w in zip(inputs, weights)) + bias
''' + _NEURON),
    Wrong("bias_subtracted", hint="bias_sign", source='''
def weighted_sum(inputs, weights, bias):
    return sum(x * w for x, w in zip(inputs, weights)) - bias
''' + _NEURON),
    Wrong("step_instead_of_relu", hint="step_not_relu", source=_WEIGHTED_SUM + '''
def neuron(inputs, weights, bias):
    return 1 if weighted_sum(inputs, weights, bias) >= 0 else 0
'''),
]

CORRECT = [
    Correct("index_loops", source='''
def weighted_sum(inputs, weights, bias):
    total = 0
    for i in range(len(inputs)):
        total = total + inputs[i] * weights[i]
    total = total + bias
    return total

def relu(x):
    if x > 0:
        return x
    else:
        return 0

def neuron(inputs, weights, bias):
    s = weighted_sum(inputs, weights, bias)
    return relu(s)
'''),
    Correct("numpy", source='''
import numpy as np

def weighted_sum(inputs, weights, bias):
    return np.dot(np.array(inputs), np.array(weights)) + bias

def neuron(inputs, weights, bias):
    return np.maximum(0, weighted_sum(inputs, weights, bias))
'''),
    Correct("map_and_lambda", source='''
import operator
weighted_sum = lambda inputs, weights, bias: sum(map(operator.mul, inputs, weights), bias)
neuron = lambda *args: max(weighted_sum(*args), 0)
'''),
    Correct("matmul_and_abs", source='''
import numpy as np

def weighted_sum(inputs, weights, bias):
    return float(np.asarray(inputs, dtype=float) @ np.asarray(weights, dtype=float) + bias)

def neuron(inputs, weights, bias):
    s = weighted_sum(inputs, weights, bias)
    return (s + abs(s)) / 2
'''),
]

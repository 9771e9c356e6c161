"""Known implementations of ex03_network."""

from tests.catalogue import Correct, Wrong

# Correct parts, combined below with one wrong part each.
_LAYER = '''
import numpy as np
def layer(inputs, weights, biases):
    return np.maximum(0, np.array(weights) @ np.array(inputs) + np.array(biases))
'''
_NETWORK = '''
def network(inputs, layers):
    a = inputs
    for weights, biases in layers:
        a = layer(a, weights, biases)
    return a
'''
_COUNT = '''
def count_parameters(layer_sizes):
    total = 0
    for i in range(len(layer_sizes) - 1):
        total += layer_sizes[i] * layer_sizes[i + 1] + layer_sizes[i + 1]
    return total
'''
_FUNCTIONS = _LAYER + _NETWORK + _COUNT
_LECTURE = '''
LECTURE_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[-1, 2]], [1])]
'''
_XOR = _LECTURE + '''
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]
'''

WRONG = [
    Wrong("layer_transposed_numpy", hint="weights_transposed", source='''
import numpy as np
def layer(inputs, weights, biases):
    return np.maximum(0, np.dot(inputs, weights) + biases)
''' + _NETWORK + _COUNT + _XOR),
    Wrong("layer_transposed_loops", hint="weights_transposed", source='''
def layer(inputs, weights, biases):
    out = []
    for j in range(len(biases)):
        s = biases[j]
        for i in range(len(inputs)):
            s += weights[i][j] * inputs[i]
        out.append(max(0, s))
    return out
''' + _NETWORK + _COUNT + _XOR),
    Wrong("layer_max_on_array", hint="relu_on_array", source='''
import numpy as np
def layer(inputs, weights, biases):
    return max(0, np.dot(weights, inputs) + biases)
''' + _NETWORK + _COUNT + _XOR),
    Wrong("layer_without_relu", hint="relu_missing", source='''
import numpy as np
def layer(inputs, weights, biases):
    return np.dot(weights, inputs) + biases
''' + _NETWORK + _COUNT + _XOR),
    Wrong("layer_without_biases", hint="bias_missing", source='''
def layer(inputs, weights, biases):
    return [max(0, sum(w * x for w, x in zip(row, inputs))) for row in weights]
''' + _NETWORK + _COUNT + _XOR),
    Wrong("network_no_relu_on_last_layer", hint="relu_last_layer", source=_LAYER + '''
def network(inputs, layers):
    a = np.array(inputs, dtype=float)
    for weights, biases in layers[:-1]:
        a = layer(a, weights, biases)
    weights, biases = layers[-1]
    return np.array(weights) @ a + np.array(biases)
''' + _COUNT + _XOR),
    Wrong("network_not_fed_forward", hint="feed_forward", source=_LAYER + '''
def network(inputs, layers):
    for weights, biases in layers:
        output = layer(inputs, weights, biases)
    return output
''' + _COUNT + _XOR),
    Wrong("network_returns_every_layer", hint="network_output", source=_LAYER + '''
def network(inputs, layers):
    activations = [inputs]
    for weights, biases in layers:
        activations.append(layer(activations[-1], weights, biases))
    return activations
''' + _COUNT + _XOR),
    Wrong("count_weights_only", hint="count_biases", source=_LAYER + _NETWORK + '''
def count_parameters(layer_sizes):
    return sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:]))
''' + _XOR),
    Wrong("count_input_layer_biases", hint="count_input_biases", source=_LAYER + _NETWORK + '''
def count_parameters(layer_sizes):
    weights = sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:]))
    return weights + sum(layer_sizes)
''' + _XOR),
    Wrong("xor_output_weight_minus_one", hint="xor_or", source=_FUNCTIONS + _LECTURE + '''
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -1]], [0])]
'''),
    Wrong("xor_hidden_biases_swapped", hint="xor_table", source=_FUNCTIONS + _LECTURE + '''
XOR_LAYERS = [([[1, 1], [1, 1]], [-1, 0]), ([[1, -2]], [0])]
'''),
    Wrong("xor_output_weights_as_column", hint="layers_shape", source=_FUNCTIONS + _LECTURE + '''
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1], [-2]], [0])]
'''),
    Wrong("xor_output_bias_not_a_list", hint="layers_shape", source=_FUNCTIONS + _LECTURE + '''
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], 0)]
'''),
    # The lecture's figure read off as XOR_LAYERS, as the old statement told students to do.
    Wrong("xor_is_the_lecture_figure", hint="xor_is_lecture", source=_FUNCTIONS + '''
LECTURE_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[-1, 2]], [1])]
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[-1, 2]], [1])]
'''),
    # The XOR design written where the figure belongs.
    Wrong("lecture_is_the_xor_design", hint="lecture_is_xor", source=_FUNCTIONS + '''
LECTURE_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]
'''),
    # Transcription slips: the hidden biases swapped, a sign lost, the output bias forgotten.
    Wrong("lecture_hidden_biases_swapped", hint="lecture_slip", source=_FUNCTIONS + '''
LECTURE_LAYERS = [([[1, 1], [1, 1]], [-1, 0]), ([[-1, 2]], [1])]
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]
'''),
    Wrong("lecture_output_sign_lost", hint="lecture_slip", source=_FUNCTIONS + '''
LECTURE_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, 2]], [1])]
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]
'''),
    Wrong("lecture_output_bias_zero", hint="lecture_slip", source=_FUNCTIONS + '''
LECTURE_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[-1, 2]], [0])]
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]
'''),
    # Same outputs, but the hidden neurons in the other order: not the figure as drawn.
    Wrong("lecture_hidden_neurons_reordered", hint="lecture_slip", source=_FUNCTIONS + '''
LECTURE_LAYERS = [([[1, 1], [1, 1]], [-1, 0]), ([[2, -1]], [1])]
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]
'''),
    Wrong("lecture_output_weights_as_column", hint="layers_shape", source=_FUNCTIONS + '''
LECTURE_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[-1], [2]], [1])]
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]
'''),
]

CORRECT = [
    Correct("loops_and_lists", source='''
def relu(x):
    if x > 0:
        return x
    return 0

def layer(inputs, weights, biases):
    outputs = []
    for j in range(len(weights)):
        s = 0
        for i in range(len(inputs)):
            s = s + weights[j][i] * inputs[i]
        outputs.append(relu(s + biases[j]))
    return outputs

def network(inputs, layers):
    a = inputs
    for layer_weights, layer_biases in layers:
        a = layer(a, layer_weights, layer_biases)
    return a

def count_parameters(layer_sizes):
    count = 0
    for i in range(1, len(layer_sizes)):
        count = count + layer_sizes[i - 1] * layer_sizes[i]
        count = count + layer_sizes[i]
    return count

LECTURE_LAYERS = [
    ([[1, 1], [1, 1]], [0, -1]),
    ([[-1, 2]], [1]),
]

XOR_LAYERS = [
    ([[1, 1], [1, 1]], [0, -1]),
    ([[1, -2]], [0]),
]
'''),
    Correct("numpy_reduce", source='''
from functools import reduce
import numpy as np

def layer(inputs, weights, biases):
    return np.clip(np.matmul(weights, inputs) + biases, 0, None)

def network(inputs, layers):
    return reduce(lambda a, wb: layer(a, *wb), layers, np.asarray(inputs, dtype=float))

def count_parameters(layer_sizes):
    s = np.array(layer_sizes)
    return int(s[:-1] @ s[1:] + s[1:].sum())

LECTURE_LAYERS = (
    (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0])),
    (np.array([[-1.0, 2.0]]), np.array([1.0])),
)

# Scaled by 2 and back: any weights that give the XOR table are fine.
XOR_LAYERS = (
    (np.array([[2.0, 2.0], [2.0, 2.0]]), np.array([0.0, -2.0])),
    (np.array([[0.5, -1.0]]), np.array([0.0])),
)
'''),
    Correct("zip_and_recursion", source='''
def layer(inputs, weights, biases):
    return tuple(max(0.0, sum(w * x for w, x in zip(row, inputs)) + b)
                 for row, b in zip(weights, biases))

def network(inputs, layers):
    if not layers:
        return list(inputs)
    (weights, biases), *rest = layers
    return network(layer(inputs, weights, biases), rest)

count_parameters = lambda sizes: sum(map(lambda a, b: (a + 1) * b, sizes, sizes[1:]))

LECTURE_LAYERS = (([(1, 1), (1, 1)], (0, -1)), ([(-1, 2)], (1,)))

# |x1 - x2| as relu(x1 - x2) + relu(x2 - x1): another XOR network.
XOR_LAYERS = [[[[1, -1], [-1, 1]], [0, 0]], [[[1, 1]], [0]]]
'''),
    # The lecture's hidden layer with its neurons in the other order, and the output weights to
    # match: XOR_LAYERS may be any network with the XOR outputs.
    Correct("xor_hidden_neurons_reordered", source=_FUNCTIONS + _LECTURE + '''
XOR_LAYERS = [([[1, 1], [1, 1]], [-1, 0]), ([[-2, 1]], [0])]
'''),
    # Float weights that give the table within the contract's 1e-6.
    Correct("xor_float_weights", source=_FUNCTIONS + _LECTURE + '''
XOR_LAYERS = [([[0.5, 0.5], [0.5, 0.5]], [0.0, -0.5]), ([[2.0, -4.0]], [0.0])]
'''),
]

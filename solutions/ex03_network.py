"""Reference solution: layers of ReLU neurons, a network of layers, and counting parameters."""

import numpy as np


def layer(inputs, weights, biases):
    """relu(W a + b): weights is n_out × n_in, one row per neuron of the layer."""
    z = np.asarray(weights, dtype=float) @ np.asarray(inputs, dtype=float)
    return np.maximum(z + np.asarray(biases, dtype=float), 0.0)


def network(inputs, layers):
    """Feed each layer's activations to the next; ReLU on every layer, the last included."""
    activations = inputs
    for weights, biases in layers:
        activations = layer(activations, weights, biases)
    return activations


def count_parameters(layer_sizes):
    """n_in × n_out weights plus n_out biases between every two neighbouring layers."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes, layer_sizes[1:]))


# >>> per-student numbers
def my_parameter_count(n_in, n_hidden, n_out):
    """The per-student question (variants.yaml): n_in → n_hidden → n_hidden → n_out."""
    return count_parameters([n_in, n_hidden, n_hidden, n_out])


MY_PARAMETER_COUNT = 4142
"""The student "reference" (the content tests' folder) has 400 → 10 → 10 → 2:
400·10 + 10 + 10·10 + 10 + 10·2 + 2."""


# <<< per-student numbers
# 演習3's figure as drawn: hidden neurons with weights 1, 1 and biases 0 and -1; the output
# neuron with weights -1 (from hidden neuron 1) and 2 (from hidden neuron 2) and bias 1.
# Outputs 1, 0, 0, 1 for 00, 01, 10, 11: it fires for equal inputs (XNOR).
LECTURE_LAYERS = [
    ([[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0]),
    ([[-1.0, 2.0]], [1.0]),
]

# The design step after it, XOR: the same hidden layer; hidden neuron 1 fires for (0,1), (1,0)
# and (1,1), hidden neuron 2 (bias -1) only for (1,1), where its weight -2 cancels neuron 1's 2.
XOR_LAYERS = [
    ([[1.0, 1.0], [1.0, 1.0]], [0.0, -1.0]),
    ([[1.0, -2.0]], [0.0]),
]

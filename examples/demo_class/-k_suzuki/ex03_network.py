import numpy as np
def layer(inputs, weights, biases):
    return np.maximum(0, np.dot(inputs, weights) + biases)

def network(inputs, layers):
    a = inputs
    for weights, biases in layers:
        a = layer(a, weights, biases)
    return a

def count_parameters(layer_sizes):
    total = 0
    for i in range(len(layer_sizes) - 1):
        total += layer_sizes[i] * layer_sizes[i + 1] + layer_sizes[i + 1]
    return total

LECTURE_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[-1, 2]], [1])]
XOR_LAYERS = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]

"""Public checks for ex03_network: layers and networks built from the lecture's numbers, the
784-16-16-10 count, LECTURE_LAYERS against the lecture's figure, and the shape of XOR_LAYERS
(shipped to students)."""

from nnex.grading.checks import (SCALAR_ONLY_ERROR, expect_close, expect_equal, expect_shape,
                                 hint_on_error)
from nnex.graders.ex03_network.helpers import two_layers

PATTERN = [1, 1, 1, 0, 1, 1, 0, 0, 1]
"""The 3×3 pattern slide's image (white = 1); as weights, a neuron that recognises it."""

# 演習2's neuron (0.1, 0.8, -0.5; bias 0.2) with two more neurons: 3 inputs → 3 neurons.
LECTURE_INPUTS = [0.3, -0.5, 0.2]
LECTURE_WEIGHTS = [[0.1, 0.8, -0.5], [-1, -1, 1], [1, 1, 1]]
LECTURE_BIASES = [0.2, -0.1, 0.5]

# 演習3's figure: hidden neurons with weights 1, 1 and biases 0, -1; the output neuron with
# weights -1 (from hidden neuron 1) and 2 (from hidden neuron 2) and bias 1. It fires for 00 and
# 11 (XNOR). XOR_DESIGN is the usual XOR step after it, a fingerprint for the student who wrote
# that as the figure.
LECTURE_FIGURE = [([[1, 1], [1, 1]], [0, -1]), ([[-1, 2]], [1])]
XOR_DESIGN = [([[1, 1], [1, 1]], [0, -1]), ([[1, -2]], [0])]


def _layer(student, inputs, weights, biases):
    what = f"layer({inputs}, {weights}, {biases})"
    with hint_on_error("relu_on_array", "ValueError", matching=SCALAR_ONLY_ERROR):
        got = student.layer(inputs, weights, biases)
    return expect_shape(got, (len(biases),), what=what, hint="layer_shape"), what


def _network(student, inputs, layers, outputs):
    what = f"network({inputs}, {layers})"
    # Here an error most likely means mismatched shapes between layers: how they are chained.
    with hint_on_error("network_formula", "ValueError", "IndexError"):
        got = student.network(inputs, layers)
    return expect_shape(got, (outputs,), what=what, hint="network_output"), what


def test_layer_lecture(student):
    # Sums and biases -0.27, 0.3, 0.5. Square weights first: used transposed they give other
    # values, not an error.
    got, what = _layer(student, LECTURE_INPUTS, LECTURE_WEIGHTS, LECTURE_BIASES)
    expect_close(got, [0, 0.3, 0.5], what=what, hint="layer_formula",
                 fingerprints={"weights_transposed": [0.93, 0.84, 0.05],
                               "relu_missing": [-0.27, 0.3, 0.5],
                               "relu_before_bias": [0.2, 0.3, 0.5],
                               "bias_missing": [0, 0.4, 0]})
    # 演習2 and the bias slide: one neuron with weights 1, 1 on inputs 1, 0.
    for bias, expected in ((-0.5, 0.5), (0, 1), (-1, 0)):
        got, what = _layer(student, [1, 0], [[1, 1]], [bias])
        expect_close(got, [expected], what=what, hint="layer_formula",
                     fingerprints={"bias_missing": [1]})
    # The 3×3 pattern: sum 6, bias -5.
    got, what = _layer(student, PATTERN, [PATTERN], [-5])
    expect_close(got, [1], what=what, hint="layer_formula", fingerprints={"bias_missing": [6]})


def test_network_lecture(student):
    # One layer: 演習2's neuron.
    got, what = _network(student, [1, 0], [([[1, 1]], [-0.5])], 1)
    expect_close(got, [0.5], what=what, hint="network_formula")
    # 3 → 2 → 2: the hidden activations are 0 and 0.3; the second output's sum is -0.2.
    layers = [(LECTURE_WEIGHTS[:2], LECTURE_BIASES[:2]), ([[1, 2], [2, -1]], [-0.5, 0.1])]
    got, what = _network(student, LECTURE_INPUTS, layers, 2)
    expect_close(got, [0.1, 0], what=what, hint="network_formula",
                 fingerprints={"relu_last_layer": [0.1, -0.2]})
    # 9 → 1 → 2 → 1: the pattern neuron (1), then [2, 0], then 2 + 0 - 1.5.
    layers = [([PATTERN], [-5]), ([[2], [-1]], [0, 0.5]), ([[1, 1]], [-1.5])]
    got, what = _network(student, PATTERN, layers, 1)
    expect_close(got, [0.5], what=what, hint="network_formula")


def test_count_parameters_lecture(student):
    # 3Blue1Brown: 784·16 + 16·16 + 16·10 weights and 16 + 16 + 10 biases.
    expect_equal(student.count_parameters([784, 16, 16, 10]), 13002,
                 what="count_parameters([784, 16, 16, 10])", hint="count_formula",
                 fingerprints={"count_biases": 12960, "count_input_biases": 13786})
    # 演習3's network: 2 inputs → 2 neurons → 1 neuron.
    expect_equal(student.count_parameters([2, 2, 1]), 9, what="count_parameters([2, 2, 1])",
                 hint="count_formula",
                 fingerprints={"count_biases": 6, "count_input_biases": 11})


def test_lecture_layers_figure(student):
    # Exact (within 1e-9) and entry by entry, so that the neurons' order counts too: another
    # network with the same outputs is not the figure. Expected values are not shown: naming the
    # part that differs is the hint, the figure is the answer.
    layers = two_layers(student, "LECTURE_LAYERS")
    for n, ((weights, biases), (figure_weights, figure_biases), (xor_weights, _)) in enumerate(
            zip(layers, LECTURE_FIGURE, XOR_DESIGN)):
        expect_close(weights, figure_weights, rtol=0, atol=1e-9, show=False,
                     what=f"LECTURE_LAYERS[{n}] weights", hint="lecture_slip",
                     fingerprints={"lecture_is_xor": xor_weights})
        expect_close(biases, figure_biases, rtol=0, atol=1e-9, show=False,
                     what=f"LECTURE_LAYERS[{n}] biases", hint="lecture_slip")


def test_xor_layers_shape(student):
    two_layers(student, "XOR_LAYERS")  # a CheckFailed unless the shapes are 2 → 2 → 1

"""Hidden checks for ex03_network: random non-square layers and networks against the reference,
other layer widths, and LECTURE_LAYERS and XOR_LAYERS run through the reference network."""

import numpy as np

from nnex.grading.checks import (SCALAR_ONLY_ERROR, SHAPE_ERROR, expect_close, expect_equal,
                                 expect_shape, hint_on_error)
from nnex.graders.ex03_network.helpers import two_layers
from nnex.solutions import ex03_network as ref

NO_MATCH = float("nan")
"""A fingerprint that matches nothing, for a mistake that cannot show on a given shape."""


def _mixed(pre_activations):
    """Some neuron active and, when there are several, some other one inactive."""
    z = np.asarray(pre_activations)
    return z.max() > 0.05 and (z.size == 1 or z.min() < -0.05)


def _random_network(rng, sizes):
    """Inputs and layers for widths ``sizes``, in the contract's types (lists of Python
    floats, layers as (weights, biases) tuples), redrawn until ReLU matters in every layer."""
    while True:
        inputs = rng.uniform(-2, 2, sizes[0]).tolist()
        layers = [(rng.uniform(-1.5, 1.5, size=(n_out, n_in)).tolist(),
                   rng.uniform(-1, 1, n_out).tolist()) for n_in, n_out in zip(sizes, sizes[1:])]
        activations, ok = np.asarray(inputs), True
        for weights, biases in layers:
            z = np.asarray(weights) @ activations + biases
            ok, activations = ok and _mixed(z), np.maximum(z, 0)
        if ok:
            return inputs, layers


def test_layer_random(student, rng):
    # (n_in, n_out): the square one first, where transposed weights give wrong values rather
    # than an error; then non-square ones, and single inputs or neurons.
    for n_in, n_out in ((3, 3), (3, 5), (4, 2), (1, 3), (6, 1)):
        inputs, [(weights, biases)] = _random_network(rng, (n_in, n_out))
        what = f"layer(inputs, weights, biases) with {n_in} random inputs and {n_out} neurons"
        with hint_on_error("weights_transposed", "IndexError"), \
                hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR), \
                hint_on_error("relu_on_array", "ValueError", matching=SCALAR_ONLY_ERROR):
            got = student.layer(inputs, weights, biases)
        expect_shape(got, (n_out,), what=what, hint="layer_shape")
        w, x, b = np.array(weights), np.array(inputs), np.array(biases)
        transposed = np.maximum(w.T @ x + b, 0) if n_in == n_out else NO_MATCH
        expect_close(got, ref.layer(inputs, weights, biases), what=what, hint="layer_formula",
                     fingerprints={"weights_transposed": transposed,
                                   "relu_missing": w @ x + b,
                                   "relu_before_bias": np.maximum(w @ x, 0) + b,
                                   "bias_missing": np.maximum(w @ x, 0)})


def test_network_random(student, rng):
    # Equal widths first, where feeding every layer the original inputs gives values rather
    # than an error.
    for sizes in ((3, 3, 3), (3, 5, 2, 4), (2, 4, 1), (5, 2, 3)):
        inputs, layers = _random_network(rng, sizes)
        what = f"network(inputs, layers) with random layers of widths {list(sizes)}"
        # Here an error most likely means mismatched shapes between layers: how they are chained.
        with hint_on_error("network_formula", "ValueError", "IndexError"):
            got = student.network(inputs, layers)
        expect_shape(got, (sizes[-1],), what=what, hint="network_output")
        last_weights, last_biases = layers[-1]
        no_last_relu = np.asarray(last_weights) @ ref.network(inputs, layers[:-1]) + last_biases
        unfed = ref.layer(inputs, last_weights, last_biases) if len(set(sizes)) == 1 else NO_MATCH
        expect_close(got, ref.network(inputs, layers), what=what, hint="network_formula",
                     fingerprints={"relu_last_layer": no_last_relu, "feed_forward": unfed})


def test_count_parameters_random(student, rng):
    for length in (2, 3, 4, 5, 6):
        sizes = [int(n) for n in rng.integers(1, 41, size=length)]
        weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
        expect_equal(student.count_parameters(list(sizes)), ref.count_parameters(sizes),
                     what=f"count_parameters({sizes})", hint="count_formula",
                     fingerprints={"count_biases": weights,
                                   "count_input_biases": ref.count_parameters(sizes) + sizes[0]})


def test_lecture_layers_outputs(student):
    # Run through the reference network, like XOR_LAYERS below; the figure's weights themselves
    # are the public check's.
    layers = two_layers(student, "LECTURE_LAYERS")
    outputs = [ref.network(x, layers)[0] for x in ([0, 0], [0, 1], [1, 0], [1, 1])]
    expect_close(outputs, [1, 0, 0, 1], rtol=0, atol=1e-6, hint="lecture_slip",
                 what="network(x, LECTURE_LAYERS)[0] for x = (0,0), (0,1), (1,0), (1,1)",
                 fingerprints={"lecture_is_xor": [0, 1, 1, 0]})


def test_xor_layers_outputs(student):
    # The student's values are data here; only the reference network runs on them, so a wrong
    # network does not cost these points twice.
    layers = two_layers(student, "XOR_LAYERS")
    outputs = [ref.network(x, layers)[0] for x in ([0, 0], [0, 1], [1, 0], [1, 1])]
    expect_close(outputs, [0, 1, 1, 0], rtol=0, atol=1e-6, hint="xor_table",
                 what="network(x, XOR_LAYERS)[0] for x = (0,0), (0,1), (1,0), (1,1)",
                 fingerprints={"xor_is_lecture": [1, 0, 0, 1], "xor_or": [0, 1, 1, 1]})

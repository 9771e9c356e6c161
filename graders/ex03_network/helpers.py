"""Shared helpers of the ex03_network graders: reading LECTURE_LAYERS and XOR_LAYERS.
Public-safe: shipped to students with the public grader."""

from nnex.grading.checks import expect_shape, fail
from nnex.grading.problems import StudentProblem
from nnex.text import Text


def two_layers(student, name):
    """The constant ``name``, checked to be two (weights, biases) pairs shaped 2 → 2 → 1."""
    layers = student.constant(name)
    if layers is None:  # the stub as released
        raise StudentProblem("not_set", name=name)
    if not (isinstance(layers, (list, tuple)) and len(layers) == 2
            and all(isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in layers)):
        fail(name, Text("(weights, biases) の組 2 つのリストではありません",
                        "expected a list of two (weights, biases) pairs"), hint="layers_shape")
    return [(expect_shape(weights, (n_out, 2), what=f"{name}[{n}] weights", hint="layers_shape"),
             expect_shape(biases, (n_out,), what=f"{name}[{n}] biases", hint="layers_shape"))
            for n, ((weights, biases), n_out) in enumerate(zip(layers, (2, 1)))]

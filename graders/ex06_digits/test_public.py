"""Public checks for ex06_digits: σ, σ', one-hot and a small 3-2-2 network, with literal numbers
(shipped to students)."""

import numpy as np

from nnex.grading.checks import (SHAPE_ERROR, TINY_ATOL, as_array, expect_close, expect_equal,
                                 expect_number, expect_shape, fail, hint_on_error)
from nnex.text import Text

# The small network: 3 inputs -> 2 -> 2, two samples. W1 is not square, so A W instead of A Wᵀ
# raises; the biases are not zero, so leaving them out shows.
PARAMS = [(np.array([[0.5, -1.0, 0.25], [1.5, 0.5, -0.5]]), np.array([0.1, -0.3])),
          (np.array([[1.0, -1.0], [-0.5, 2.0]]), np.array([0.0, 0.3]))]
X = np.array([[1.0, 0.0, 0.5], [0.2, 0.8, 1.0]])
Y = np.array([[0.0, 1.0], [1.0, 0.0]])
A1 = [[0.6737070994545215, 0.7211151780228631], [0.41338242108267, 0.47502081252106]]
A2 = [[0.48815019966922607, 0.8030357204228845], [0.4845952790834407, 0.7394959533010839]]
DW1 = [[0.01026914422526235, -0.019395693044577306, -0.016685582562518293],
       [-0.008214439828506052, 0.04126119799945327, 0.0423116278351319]]
DB1 = [-0.009126548819314956, 0.03304675817094721]
DW2 = np.array([[0.014478565913108987, 0.013402403700483217],
                [0.018950525944580097, 0.02260249036704039]])
DB2 = [-0.0033799334680673157, 0.05565201823836241]


def _pairs(value, count, *, what, hint):
    """``value`` as ``count`` (first, second) pairs, or CheckFailed."""
    if not isinstance(value, (list, tuple)) or len(value) != count:
        fail(what, Text(f"組 {count} 個のリストを返してください",
                        f"expected a list of {count} pairs"), hint=hint)
    for pair in value:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail(what, Text("どの要素も (W, b) のような組にしてください",
                             "every element must be a pair such as (W, b)"), hint=hint)
    return value


def test_sigmoid_basic(student):
    for z, expected in ((0.0, 0.5), (2.0, 0.8807970779778823), (-1.0, 0.2689414213699951)):
        got = student.sigmoid(z)
        expect_number(got, what=f"sigmoid({z:g})", hint="sigmoid_formula")
        expect_close(got, expected, what=f"sigmoid({z:g})", hint="sigmoid_formula")
    for z, expected in ((-1000.0, 0.0), (1000.0, 1.0)):
        with hint_on_error("sigmoid_overflow", "OverflowError"):
            got = student.sigmoid(z)
        expect_close(got, expected, what=f"sigmoid({z:g})", hint="sigmoid_overflow")
    z = np.array([[-1000.0, -40.0], [0.0, 1000.0]])
    with hint_on_error("sigmoid_overflow", "OverflowError"):
        got = student.sigmoid(z)
    values = expect_shape(got, (2, 2), what="sigmoid([[-1000, -40], [0, 1000]])",
                          hint="sigmoid_formula")
    if not np.all(np.isfinite(values)):
        fail("sigmoid([[-1000, -40], [0, 1000]])", Text("結果に nan か inf があります",
                                                       "nan or inf in the result"),
             hint="sigmoid_overflow")
    # Relative error for σ(-40): a sigmoid clipped to exactly 0 beyond |z| ≈ 28 is wrong.
    expect_close(values, [[0.0, 4.248354255291589e-18], [0.5, 1.0]],
                 what="sigmoid([[-1000, -40], [0, 1000]])", hint="sigmoid_tiny", atol=TINY_ATOL)


def test_sigmoid_derivative_basic(student):
    for z, expected, wrong in ((0.0, 0.25, 0.5), (2.0, 0.10499358540350662, -0.8807970779778823),
                               (-1.0, 0.19661193324148185, 0.5378828427399902)):
        expect_close(student.sigmoid_derivative(z), expected, what=f"sigmoid_derivative({z:g})",
                     hint="sigmoid_derivative_formula",
                     fingerprints={"sigmoid_derivative_formula": wrong})
    got = student.sigmoid_derivative(np.array([-1.0, 0.0, 2.0]))
    expect_close(got, [0.19661193324148185, 0.25, 0.10499358540350662],
                 what="sigmoid_derivative([-1, 0, 2])", hint="sigmoid_derivative_formula")


def test_one_hot_basic(student):
    got = student.one_hot(np.array([2, 0, 1, 1]), 3)
    expect_shape(got, (4, 3), what="one_hot([2, 0, 1, 1], 3)", hint="one_hot_shape")
    expect_equal(got, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]],
                 what="one_hot([2, 0, 1, 1], 3)", hint="one_hot_value")
    got = student.one_hot(np.array([3, 9]))
    expect_shape(got, (2, 10), what="one_hot([3, 9])", hint="one_hot_shape")
    expect_equal(got, [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
                 what="one_hot([3, 9])", hint="one_hot_value")


def test_forward_small(student):
    with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
        got = student.forward(PARAMS, X)
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        fail("forward(3-2-2 network, X)",
             Text("リスト [X, A_1, A_2] を返してください", "expected a list [X, A_1, A_2]"),
             hint="forward_layers")
    expect_close(got[0], X, what="forward(...)[0] (the input X)", hint="forward_layers")
    expect_close(got[1], A1, what="forward(...)[1] (hidden layer)", hint="forward_formula",
                 fingerprints={"bias_missing": [[0.6513548646660542, 0.7772998611746911],
                                                [0.389360766050778, 0.549833997312478]],
                               "sigmoid_activation": [[0.725, 0.95], [0.0, 0.0]]})
    expect_close(got[2], A2, what="forward(...)[2] (output layer)", hint="forward_formula",
                 fingerprints={"output_activation": [
                     [-0.047408078568341616, 1.4053768063184655],
                     [-0.061638391438390006, 1.043350414500785]]})


def test_backprop_small(student):
    with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
        got = student.backprop(PARAMS, X, Y)
    (dW1, db1), (dW2, db2) = _pairs(got, 2, what="backprop(3-2-2 network, X, Y)",
                                    hint="gradient_layout")
    if as_array(dW1, what="dW of layer 1", hint="gradient_layout").shape == (3, 2):
        fail("dW of layer 1", Text("形が (2, 3) ではなく (3, 2) です",
                                   "shape (3, 2) instead of (2, 3)"),
             hint="weight_gradient_transposed")
    expect_shape(dW1, (2, 3), what="dW of layer 1", hint="gradient_layout")
    expect_shape(db2, (2,), what="db of layer 2", hint="bias_gradient_batch")
    expect_close(dW2, DW2, what="dW of layer 2 (output)", hint="backprop_formula",
                 fingerprints={"gradient_not_averaged": 2 * DW2, "error_sign": -DW2,
                               "derivative_of_activation": [
                                   [0.013625812094009194, 0.012606099754557985],
                                   [0.01925334441679137, 0.02324036675300059]],
                               "output_error_derivative": [
                                   [0.05790550187368733, 0.053592274414697987],
                                   [0.0864991970331956, 0.10462101853086005]]})
    expect_close(db2, DB2, what="db of layer 2 (output)", hint="backprop_formula")
    expect_close(dW1, DW1, what="dW of layer 1", hint="backprop_formula")
    expect_shape(db1, (2,), what="db of layer 1", hint="bias_gradient_batch")
    expect_close(db1, DB1, what="db of layer 1", hint="backprop_formula")


def test_train_step_small(student):
    got = student.train_step(PARAMS, X, Y, 0.5)
    (W1, b1), (W2, b2) = _pairs(got, 2, what="train_step(3-2-2 network, X, Y, 0.5)",
                                hint="params_layout")
    expect_close(W2, [[0.9927607170434455, -1.0067012018502417],
                      [-0.5094752629722901, 1.9886987548164798]],
                 what="W of layer 2 after one step", hint="train_step_formula",
                 fingerprints={"update_sign": [[1.0072392829565544, -0.9932987981497584],
                                               [-0.49052473702770993, 2.01130124518352]]})
    expect_close(b2, [0.0016899667340336579, 0.2721739908808188],
                 what="b of layer 2 after one step", hint="train_step_formula")
    expect_close(W1, [[0.4948654278873688, -0.9903021534777113, 0.25834279128125914],
                      [1.5041072199142531, 0.47936940100027337, -0.5211558139175659]],
                 what="W of layer 1 after one step", hint="train_step_formula",
                 fingerprints={"old_weights": [
                     [0.4949027973390618, -0.9902818845800211, 0.2583842785170071],
                     [1.5041399300429612, 0.47940667333151576, -0.5210975274805643]]})
    expect_close(b1, [0.10456327440965749, -0.31652337908547357],
                 what="b of layer 1 after one step", hint="train_step_formula")

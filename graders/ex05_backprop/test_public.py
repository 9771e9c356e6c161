"""Public checks for ex05_backprop: the statement's worked example (shipped to students).

The helpers that compare a parameter dict and name the mistake are in helpers.py, shared with
the hidden grader.
"""

import numpy as np

from nnex.grading.checks import SCALAR_ONLY_ERROR, expect_close, expect_number, hint_on_error
from nnex.graders.ex05_backprop.helpers import (expect_gradients, expect_params,
                                                hint_on_shape_error)


# -- the worked example -------------------------------------------------------------------------

def example_params():
    """The statement's network (n = 2), fresh for every call."""
    return {"w1": np.array([[1.0, 2.0], [1.5, -1.0]]), "b1": np.array([0.5, -0.5]),
            "w2": np.array([0.5, -2.0]), "b2": -0.2}


INSIDE = (0.2, 0.1, 1.0)
"""Hidden z = (0.9, -0.3): one neuron on each side of the kink; output z = 0.256 > 0."""
OUTSIDE = (-0.5, -0.5, 0.0)
"""Hidden z = (-1, -0.75), output z = -0.19 < 0: the output's derivative is 0.01."""
LEARNING_RATE = 0.1
SAMPLES = [(0.3, 0.2, 1.0), (-0.5, -0.5, 0.0), (0.2, 0.1, 1.0)]

# Expected values and the fingerprints of known mistakes on the example, computed with the
# reference and the known wrong variants (tests/test_backprop_reference.py recomputes them).
GRADIENTS_INSIDE = {"w1": [[-0.0744, -0.0372], [0.002976, 0.001488]],
                    "b1": [-0.372, 0.01488],
                    "w2": [-0.6696, 0.002232],
                    "b2": -0.744}
WRONG_GRADIENTS_INSIDE = {
    "error_sign": {"w1": [[0.0744, 0.0372], [-0.002976, -0.001488]],
                   "b1": [0.372, -0.01488],
                   "w2": [0.6696, -0.002232],
                   "b2": 0.744},
    "relu_derivative": {"w1": [[-0.0744, -0.0372], [0.0, 0.0]],
                        "b1": [-0.372, 0.0],
                        "w2": [-0.6696, 0.002232],
                        "b2": -0.744},
    "times_activation": {"w1": [[-0.01714176, -0.00857088], [-0.0002285568, -0.0001142784]],
                         "b1": [-0.0857088, -0.001142784],
                         "w2": [-0.1714176, 0.000571392],
                         "b2": -0.190464},
    "output_derivative": {"w1": [[-0.0744, -0.0372], [0.002976, 0.001488]],
                          "b1": [-0.372, 0.01488],
                          "w2": [-0.6696, 0.002232],
                          "b2": -0.744},
    "hidden_weight_factor": {"w1": [[-0.1488, -0.0744], [-0.001488, -0.000744]],
                             "b1": [-0.744, -0.00744],
                             "w2": [-0.6696, 0.002232],
                             "b2": -0.744},
    "input_factor": {"w1": [[-0.372, -0.372], [0.01488, 0.01488]],
                     "b1": [-0.372, 0.01488],
                     "w2": [-0.6696, 0.002232],
                     "b2": -0.744},
    "output_weight_gradient": {"w1": [[-0.0744, -0.0372], [0.002976, 0.001488]],
                               "b1": [-0.372, 0.01488],
                               "w2": [-0.6696, 0.2232],
                               "b2": -0.744},
}
PREDICT_INSIDE_W1_TRANSPOSED = 0.229
GRADIENTS_OUTSIDE = {"w1": [[4.75e-08, 4.75e-08], [-1.9e-07, -1.9e-07]],
                     "b1": [-9.5e-08, 3.8e-07],
                     "w2": [1.9e-07, 1.425e-07],
                     "b2": -1.9e-05}
WRONG_GRADIENTS_OUTSIDE = {
    "error_sign": {"w1": [[-4.75e-08, -4.75e-08], [1.9e-07, 1.9e-07]],
                   "b1": [9.5e-08, -3.8e-07],
                   "w2": [-1.9e-07, -1.425e-07],
                   "b2": 1.9e-05},
    "relu_derivative": {"w1": [[0.0, 0.0], [-0.0, -0.0]],
                        "b1": [-0.0, 0.0],
                        "w2": [0.0, 0.0],
                        "b2": -0.0},
    "times_activation": {"w1": [[9.025e-09, 9.025e-09], [-2.7075e-08, -2.7075e-08]],
                         "b1": [-1.805e-08, 5.415e-08],
                         "w2": [-3.61e-08, -2.7075e-08],
                         "b2": 3.61e-06},
    "output_derivative": {"w1": [[4.75e-06, 4.75e-06], [-1.9e-05, -1.9e-05]],
                          "b1": [-9.5e-06, 3.8e-05],
                          "w2": [1.9e-05, 1.425e-05],
                          "b2": -0.0019},
    "hidden_weight_factor": {"w1": [[9.5e-08, 9.5e-08], [9.5e-08, 9.5e-08]],
                             "b1": [-1.9e-07, -1.9e-07],
                             "w2": [1.9e-07, 1.425e-07],
                             "b2": -1.9e-05},
    "input_factor": {"w1": [[-9.5e-08, -9.5e-08], [3.8e-07, 3.8e-07]],
                     "b1": [-9.5e-08, 3.8e-07],
                     "w2": [1.9e-07, 1.425e-07],
                     "b2": -1.9e-05},
    "output_weight_gradient": {"w1": [[4.75e-08, 4.75e-08], [-1.9e-07, -1.9e-07]],
                               "b1": [-9.5e-08, 3.8e-07],
                               "w2": [1.9e-05, 1.425e-05],
                               "b2": -1.9e-05},
}
PREDICT_OUTSIDE_W1_TRANSPOSED = -0.0018375
TRAIN_STEP_INSIDE = {"w1": [[1.00744, 2.00372], [1.4997024, -1.0001488]],
                     "b1": [0.5372, -0.501488],
                     "w2": [0.56696, -2.0002232],
                     "b2": -0.1256}
WRONG_TRAIN_STEP = {
    "demo_order": {"w1": [[1.0084363648, 2.0042181824], [1.49970236679, -1.00014881661]],
                   "b1": [0.542181824, -0.501488166061],
                   "w2": [0.56696, -2.0002232],
                   "b2": -0.1256},
    "update_sign": {"w1": [[0.99256, 1.99628], [1.5002976, -0.9998512]],
                    "b1": [0.4628, -0.498512],
                    "w2": [0.43304, -1.9997768],
                    "b2": -0.2744},
    "learning_rate": {"w1": [[1.0744, 2.0372], [1.497024, -1.001488]],
                      "b1": [0.872, -0.51488],
                      "w2": [1.1696, -2.002232],
                      "b2": 0.544},
    "relu_derivative": {"w1": [[1.00744, 2.00372], [1.5, -1.0]],
                        "b1": [0.5372, -0.5],
                        "w2": [0.56696, -2.0002232],
                        "b2": -0.1256},
    "times_activation": {"w1": [[1.001714176, 2.000857088], [1.50002285568, -0.99998857216]],
                         "b1": [0.50857088, -0.4998857216],
                         "w2": [0.51714176, -2.0000571392],
                         "b2": -0.1809536},
    "hidden_weight_factor": {"w1": [[1.01488, 2.00744], [1.5001488, -0.9999256]],
                             "b1": [0.5744, -0.499256],
                             "w2": [0.56696, -2.0002232],
                             "b2": -0.1256},
    "input_factor": {"w1": [[1.0372, 2.0372], [1.498512, -1.001488]],
                     "b1": [0.5372, -0.501488],
                     "w2": [0.56696, -2.0002232],
                     "b2": -0.1256},
    "output_weight_gradient": {"w1": [[1.00744, 2.00372], [1.4997024, -1.0001488]],
                               "b1": [0.5372, -0.501488],
                               "w2": [0.56696, -2.02232],
                               "b2": -0.1256},
}
TRAIN_EXAMPLE = {"w1": [[1.01580297748, 2.00938898687], [1.49940225382, -1.00035836654]],
                 "b1": [0.564139913593, -0.502393822673],
                 "w2": [0.627500554415, -2.0003300894],
                 "b2": -0.0803133430251}
WRONG_TRAIN = {
    "relu_derivative": {"w1": [[1.01580329003, 2.00938914502], [1.5, -1.0]],
                        "b1": [0.564141450156, -0.5],
                        "w2": [0.627503084413, -2.00032931414],
                        "b2": -0.080311952825},
    "times_activation": {"w1": [[1.00642525041, 2.00393554985], [1.50006200327, -0.999962972954]],
                         "b1": [0.524897007116, -0.499750241881],
                         "w2": [0.548652624044, -2.00012487711],
                         "b2": -0.154348282684},
    "train_only_last": {"w1": [[1.00744, 2.00372], [1.4997024, -1.0001488]],
                        "b1": [0.5372, -0.501488],
                        "w2": [0.56696, -2.0002232],
                        "b2": -0.1256},
    "train_order": {"w1": [[1.01454008137, 2.00845338649], [1.49945192208, -1.00031578141]],
                    "b1": [0.560866955457, -0.502322988316],
                    "w2": [0.618729395226, -2.00032823855],
                    "b2": -0.0838552430875},
    "demo_order": {"w1": [[1.01772021808, 2.01056002217], [1.49940325437, -1.00035787068]],
                   "b1": [0.571601966605, -0.502388775614],
                   "w2": [0.627531117298, -2.00032929958],
                   "b2": -0.0805755110693},
}


def test_leaky_relu_basic(student):
    for z, expected in ((2.0, 2.0), (-3.0, -0.03), (0.0, 0.0), (0.5, 0.5)):
        expect_close(student.leaky_relu(z), expected, what=f"leaky_relu({z:g})",
                     hint="leaky_relu_formula")
    z = np.array([-2.0, -0.5, 0.0, 1.5])
    with hint_on_error("array_support", "ValueError", "TypeError",
                           matching=SCALAR_ONLY_ERROR):
        got = student.leaky_relu(z)
    expect_close(got, [-0.02, -0.005, 0.0, 1.5], what="leaky_relu([-2, -0.5, 0, 1.5])",
                 hint="leaky_relu_formula")


def test_derivative_basic(student):
    # At z = 0 the contract (and the demo's dAct) says 0.01: "1 if z > 0 else 0.01".
    for z, expected in ((2.0, 1.0), (-3.0, 0.01), (0.0, 0.01), (0.5, 1.0)):
        expect_close(student.leaky_relu_derivative(z), expected,
                     what=f"leaky_relu_derivative({z:g})", hint="derivative_formula",
                     fingerprints={"relu_derivative": 0.0 if z <= 0 else 1.0})
    z = np.array([-2.0, -0.5, 0.0, 1.5])
    with hint_on_error("array_support", "ValueError", "TypeError",
                           matching=SCALAR_ONLY_ERROR):
        got = student.leaky_relu_derivative(z)
    expect_close(got, [0.01, 0.01, 0.01, 1.0], what="leaky_relu_derivative([-2, -0.5, 0, 1.5])",
                 hint="derivative_formula", fingerprints={"relu_derivative": [0, 0, 0, 1.0]})


def test_predict_example(student):
    x, y, _ = INSIDE
    with hint_on_shape_error():
        got = student.predict(example_params(), x, y)
    expect_number(got, what="predict(example, 0.2, 0.1)", hint="predict_number")
    expect_close(got, 0.256, what="predict(example, 0.2, 0.1)", hint="predict_formula",
                 fingerprints={"w1_layout": PREDICT_INSIDE_W1_TRANSPOSED,
                               "leaky_relu_formula": 0.25})
    x, y, _ = OUTSIDE
    with hint_on_shape_error():
        got = student.predict(example_params(), x, y)
    expect_number(got, what="predict(example, -0.5, -0.5)", hint="predict_number")
    expect_close(got, -0.0019, what="predict(example, -0.5, -0.5)", hint="predict_formula",
                 fingerprints={"predict_output_activation": -0.19,
                               "w1_layout": PREDICT_OUTSIDE_W1_TRANSPOSED,
                               "leaky_relu_formula": 0.0})


def test_gradients_example(student):
    for (x, y, target), expected, wrong in ((INSIDE, GRADIENTS_INSIDE, WRONG_GRADIENTS_INSIDE),
                                            (OUTSIDE, GRADIENTS_OUTSIDE, WRONG_GRADIENTS_OUTSIDE)):
        with hint_on_shape_error():
            got = student.gradients(example_params(), x, y, target)
        expect_gradients(got, expected, what=f"gradients(example, {x:g}, {y:g}, {target:g})",
                         fingerprints={
                             "error_sign": wrong["error_sign"],
                             "relu_derivative": wrong["relu_derivative"],
                             "times_activation": wrong["times_activation"],
                             "output_derivative": wrong["output_derivative"],
                             "hidden_weight_factor": wrong["hidden_weight_factor"],
                             "input_factor": wrong["input_factor"],
                             "output_weight_gradient": wrong["output_weight_gradient"],
                         })


def test_train_step_example(student):
    x, y, target = INSIDE
    with hint_on_shape_error():
        got = student.train_step(example_params(), x, y, target, LEARNING_RATE)
    wrong = WRONG_TRAIN_STEP
    expect_params(got, TRAIN_STEP_INSIDE, hint="update_formula",
                  what="train_step(example, 0.2, 0.1, 1, learning_rate=0.1)",
                  fingerprints={
                      "params_unchanged": example_params(),
                      "demo_order": wrong["demo_order"],
                      "update_sign": wrong["update_sign"],
                      "learning_rate": wrong["learning_rate"],
                      "relu_derivative": wrong["relu_derivative"],
                      "times_activation": wrong["times_activation"],
                      "hidden_weight_factor": wrong["hidden_weight_factor"],
                      "input_factor": wrong["input_factor"],
                      "output_weight_gradient": wrong["output_weight_gradient"],
                  })


def test_train_example(student):
    with hint_on_shape_error():
        got = student.train(example_params(), SAMPLES, LEARNING_RATE)
    wrong = WRONG_TRAIN
    expect_params(got, TRAIN_EXAMPLE, hint="train_formula",
                  what="train(example, 3 samples, learning_rate=0.1)",
                  fingerprints={
                      "relu_derivative": wrong["relu_derivative"],
                      "times_activation": wrong["times_activation"],
                      "train_result_ignored": example_params(),
                      "train_only_last": wrong["train_only_last"],
                      "train_order": wrong["train_order"],
                      "demo_order": wrong["demo_order"],
                  })

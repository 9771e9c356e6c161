"""Hidden checks for ex06_digits: shapes first, then values against the reference on random
networks of several layer sizes, a gradient check, training order, and training on the digits.

Known wrong implementations are recognised by computing what they return (the ``_wrong_*``
helpers) and matching the student's value against it.
"""

import importlib.util

import numpy as np

from nnex.grading.checks import (SHAPE_ERROR, TINY_ATOL, as_array, expect_close, expect_equal,
                                 expect_number, expect_shape, fail, hint_on_error, is_close)
from nnex.course.content import Course
from nnex.grading.problems import StudentProblem
from nnex.solutions import ex06_digits as ref
from nnex.text import Text

# Non-square layers (A W raises instead of A Wᵀ), a deeper network, and square layers (where A W
# runs and gives a value we can recognise).
LAYER_SIZES = [(5, 3, 2), (7, 6, 4, 3), (4, 4, 4, 4)]

# The end-to-end check, as stated in statement.md: the scaffold's data and initial weights,
# train(params, X_train, one_hot(y_train), 3.0, 20, 10, 0). Measured on the 2-core grading
# machine: the reference reaches 0.958 in about 0.5 s, a sample-by-sample loop in about 3 s;
# 15 s leaves room for a busy machine and still stops a runaway loop.
DIGITS_LAYERS = (64, 16, 16, 10)
DIGITS_TRAINING = (3.0, 20, 10, 0)  # learning_rate, epochs, batch_size, seed
DIGITS_SECONDS = 15
DIGITS_ACCURACY = 0.90

# Gradients are compared element-wise with a relative tolerance of 1e-6 (absolute 1e-12 for
# entries that are 0): a loop over samples and a vectorized sum differ by about 1e-15.
GRADIENT_RTOL = 1e-6


def _given_code():
    """The stub as released, for its given code (load_data, init_params): the data and initial
    weights come from the course's copy, never from the student's file."""
    path = Course.installed().stub_path("ex06_digits")
    spec = importlib.util.spec_from_file_location("ex06_digits_given", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _network(rng, sizes, samples):
    """Random params (a list of (W, b) tuples), inputs X and one-hot targets Y."""
    params = [(rng.normal(size=(n_out, n_in)), rng.normal(size=n_out))
              for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    X = rng.normal(size=(samples, sizes[0]))
    Y = ref.one_hot(rng.integers(0, sizes[-1], size=samples), sizes[-1])
    return params, X, Y


def _square(sizes):
    return len(set(sizes)) == 1


def _layers(value, like, *, what, hint):
    """``value`` as a list of (W, b) float arrays shaped like ``like``, or CheckFailed."""
    if not isinstance(value, (list, tuple)) or len(value) != len(like):
        fail(what, Text(f"(W, b) の組 {len(like)} 個のリストを返してください",
                         f"expected a list of {len(like)} (W, b) pairs"), hint=hint)
    layers = []
    for number, (pair, (W, b)) in enumerate(zip(value, like), start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail(what, Text(f"{number - 1} 番目が (W, b) の組ではありません",
                             f"element {number - 1} is not a pair (W, b)"), hint=hint)
        layers.append((expect_shape(pair[0], W.shape, what=f"{what}: W of layer {number}",
                                    hint=hint),
                       expect_shape(pair[1], b.shape, what=f"{what}: b of layer {number}",
                                    hint=hint)))
    return layers


def _gradients(value, params, *, what):
    """``value`` as backprop's (dW, db) arrays; wrong shapes are named precisely."""
    if not isinstance(value, (list, tuple)) or len(value) != len(params):
        fail(what, Text(f"(dW, db) の組 {len(params)} 個のリストを返してください",
                         f"expected a list of {len(params)} (dW, db) pairs"),
             hint="gradient_layout")
    grads = []
    for number, (pair, (W, b)) in enumerate(zip(value, params), start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail(what, Text(f"{number - 1} 番目が (dW, db) の組ではありません",
                             f"element {number - 1} is not a pair (dW, db)"),
                 hint="gradient_layout")
        dW = as_array(pair[0], what=f"{what}: dW of layer {number}", hint="gradient_layout")
        if dW.shape == W.T.shape != W.shape:
            fail(f"{what}: dW of layer {number}",
                 Text(f"形が {W.shape} ではなく {dW.shape} です",
                      f"shape {dW.shape} instead of {W.shape}"),
                 hint="weight_gradient_transposed")
        expect_shape(dW, W.shape, what=f"{what}: dW of layer {number}", hint="gradient_layout")
        db = expect_shape(pair[1], b.shape, what=f"{what}: db of layer {number}",
                          hint="bias_gradient_batch")
        grads.append((dW, db))
    return grads


def _forward_activations(value, sizes, samples, *, what):
    if not isinstance(value, (list, tuple)) or len(value) != len(sizes):
        fail(what, Text(f"{len(sizes)} 個の配列のリスト [X, A_1, ..., A_L] を返してください",
                        f"expected a list of {len(sizes)} arrays [X, A_1, ..., A_L]"),
             hint="forward_layers")
    return [expect_shape(a, (samples, n), what=f"{what}[{layer}]", hint="forward_layers")
            for layer, (a, n) in enumerate(zip(value, sizes))]


def _flat(layers):
    return np.concatenate([np.ravel(v) for layer in layers for v in layer])


def _same(value, expected):
    """Whether ``value`` has ``expected``'s nesting (lists, tuples) and, within tolerance, its
    numbers."""
    if isinstance(expected, (list, tuple)):
        return (isinstance(value, (list, tuple)) and len(value) == len(expected)
                and all(_same(v, e) for v, e in zip(value, expected)))
    return is_close(value, expected)


def _blame_prerequisite(student, got, expected, prerequisite, args, *, what, hint):
    """When ``got`` is wrong because the student's ``prerequisite(*args)`` (which it is built on)
    is wrong too, fail with ``hint``, which sends the student there first."""
    if _same(got, expected):
        return
    try:
        theirs = student.call(prerequisite, *args).value
    except StudentProblem:
        theirs = None
    if not _same(theirs, getattr(ref, prerequisite)(*args)):
        fail(what, Text(f"値が違います。同じ入力で {prerequisite}() も違います",
                        f"wrong value; {prerequisite}() on the same input is wrong too"),
             hint=hint)


# -- what known wrong implementations return ------------------------------------------------

def _wrong_forward(params, X, *, transposed=False, bias=True, last_sigmoid=True, relu=False,
                   bias_after=False):
    activations = [X]
    for layer, (W, b) in enumerate(params):
        z = activations[-1] @ (W if transposed else W.T) + (b if bias and not bias_after else 0.0)
        if relu:
            z = np.maximum(z, 0.0)
        elif layer < len(params) - 1 or last_sigmoid:
            z = ref.sigmoid(z)
        activations.append(z + b if bias_after else z)
    return activations


def _wrong_backprop(params, X, Y, *, slope="z", output_slope=True, hidden_slope=True):
    """Backprop with σ' taken as σ'(a) ("a"), as σ(z)(1 - z) ("1-z") or right ("z"), and with
    or without σ' in the output layer's δ and in the hidden layers' δ."""
    activations = ref.forward(params, X)
    grads, delta = [None] * len(params), None
    for layer in reversed(range(len(params))):
        W, b = params[layer]
        z = activations[layer] @ W.T + b
        derivative = {"z": ref.sigmoid_derivative(z), "1-z": ref.sigmoid(z) * (1 - z),
                      "a": ref.sigmoid_derivative(activations[layer + 1])}[slope]
        if delta is None:
            delta = (activations[-1] - Y) * (derivative if output_slope else 1.0)
        else:
            delta = (delta @ params[layer + 1][0]) * (derivative if hidden_slope else 1.0)
        grads[layer] = (delta.T @ activations[layer] / len(X), delta.sum(axis=0) / len(X))
    return grads


def _wrong_train_step_updating_early(params, X, Y, learning_rate):
    """Each layer updated as soon as its gradient is known, the error then sent back through
    the updated weights (the circle demo's train() does this)."""
    activations = ref.forward(params, X)
    new, delta = [None] * len(params), None
    for layer in reversed(range(len(params))):
        W, b = params[layer]
        z = activations[layer] @ W.T + b
        error = activations[-1] - Y if delta is None else delta @ new[layer + 1][0]
        delta = error * ref.sigmoid_derivative(z)
        new[layer] = (W - learning_rate * delta.T @ activations[layer] / len(X),
                      b - learning_rate * delta.sum(axis=0) / len(X))
    return new


def _wrong_train_skipping_last_batch(params, X, Y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    full = len(X) - len(X) % batch_size
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, full, batch_size):
            batch = order[start:start + batch_size]
            params = ref.train_step(params, X[batch], Y[batch], learning_rate)
    return params


def _wrong_train_in_order(params, X, Y, learning_rate, epochs, batch_size, *, legacy_seed=None):
    """Mini-batches in the rows' own order every epoch (no rng.permutation), or with
    ``legacy_seed`` in the order of NumPy's legacy ``np.random.seed`` / ``np.random.permutation``
    (``RandomState``), which differs from ``np.random.default_rng``'s."""
    legacy = np.random.RandomState(legacy_seed) if legacy_seed is not None else None
    for _ in range(epochs):
        order = legacy.permutation(len(X)) if legacy else np.arange(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            params = ref.train_step(params, X[rows], Y[rows], learning_rate)
    return params


# -- checks ----------------------------------------------------------------------------------

def test_sigmoid_random(student, rng):
    for shape in ((7,), (3, 4)):
        z = rng.normal(scale=10.0, size=shape)
        with hint_on_error("sigmoid_overflow", "OverflowError"):
            got = student.sigmoid(z)
        expect_close(got, ref.sigmoid(z), what=f"sigmoid(array of shape {shape})",
                     hint="sigmoid_formula", atol=TINY_ATOL)
        expect_close(student.sigmoid_derivative(z), ref.sigmoid_derivative(z),
                     what=f"sigmoid_derivative(array of shape {shape})",
                     hint="sigmoid_derivative_formula",
                     fingerprints={"sigmoid_derivative_formula": ref.sigmoid(z) * (1 - z)})
    z = np.concatenate([rng.uniform(-1000, 1000, size=6), [-1000.0, -745.5, 709.9, 1000.0]])
    with hint_on_error("sigmoid_overflow", "OverflowError"):
        got = student.sigmoid(z)
    finite = bool(np.all(np.isfinite(as_array(got, what="sigmoid(large inputs)"))))
    if finite:  # then tiny values lost to 0 are what can be wrong
        expect_close(got, ref.sigmoid(z), what="sigmoid(large inputs)", atol=TINY_ATOL,
                     hint="sigmoid_tiny")
    expect_close(got, ref.sigmoid(z), what="sigmoid(large inputs)", hint="sigmoid_overflow")


def test_one_hot_random(student, rng):
    for samples, classes in ((9, 4), (6, 10)):
        labels = rng.integers(0, classes, size=samples)
        labels[:2] = (0, classes - 1)
        got = student.one_hot(labels, classes)
        expect_shape(got, (samples, classes), what=f"one_hot({samples} labels, {classes})",
                     hint="one_hot_shape")
        expect_equal(got, ref.one_hot(labels, classes),
                     what=f"one_hot({samples} labels, {classes})", hint="one_hot_value")
    labels = rng.integers(0, 10, size=5)
    expect_equal(student.one_hot(labels), ref.one_hot(labels),
                 what="one_hot(labels) with the default n_classes=10", hint="one_hot_value")


def test_forward_shapes(student, rng):
    for sizes in LAYER_SIZES:
        samples = int(rng.integers(3, 9))
        params, X, _ = _network(rng, sizes, samples)
        with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
            got = student.forward(params, X)
        _forward_activations(got, sizes, samples, what=f"forward({'-'.join(map(str, sizes))})")


def test_forward_random(student, rng):
    for sizes in LAYER_SIZES:
        samples = int(rng.integers(3, 9))
        params, X, _ = _network(rng, sizes, samples)
        what = f"forward({'-'.join(map(str, sizes))})"
        with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
            got = student.forward(params, X)
        got = _forward_activations(got, sizes, samples, what=what)
        expected = ref.forward(params, X)
        transposed = _wrong_forward(params, X, transposed=True) if _square(sizes) else None
        no_bias = _wrong_forward(params, X, bias=False)
        linear_output = _wrong_forward(params, X, last_sigmoid=False)
        relu = _wrong_forward(params, X, relu=True)
        bias_after = _wrong_forward(params, X, bias_after=True)
        for layer in range(len(sizes)):
            expect_close(got[layer], expected[layer], what=f"{what}[{layer}]",
                         hint="forward_formula", show=False,
                         fingerprints={"weights_transposed":
                                           transposed[layer] if transposed else None,
                                       "bias_missing": no_bias[layer],
                                       "sigmoid_activation": relu[layer],
                                       "bias_after_activation": bias_after[layer],
                                       "output_activation": linear_output[layer]})


def test_loss_random(student, rng):
    for sizes in LAYER_SIZES[:2]:
        samples = int(rng.integers(3, 9))
        params, X, Y = _network(rng, sizes, samples)
        expected = ref.loss(params, X, Y)
        what = f"loss({'-'.join(map(str, sizes))}, {samples} samples)"
        with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
            got = expect_number(student.loss(params, X, Y), what=what, hint="loss_formula")
        _blame_prerequisite(student, got, expected, "forward", (params, X), what=what,
                            hint="forward_first")
        expect_close(got, expected, what=what, hint="loss_formula",
                     fingerprints={"loss_mean": samples * expected, "loss_half": 2 * expected,
                                   # np.mean over samples and output neurons, without the 0.5
                                   "loss_output_mean": 2 * expected / sizes[-1]})


def test_backprop_shapes(student, rng):
    for sizes in LAYER_SIZES:
        samples = int(rng.integers(3, 9))
        params, X, Y = _network(rng, sizes, samples)
        with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
            got = student.backprop(params, X, Y)
        _gradients(got, params, what=f"backprop({'-'.join(map(str, sizes))})")


def test_backprop_random(student, rng):
    for sizes in LAYER_SIZES:
        samples = int(rng.integers(3, 9))
        params, X, Y = _network(rng, sizes, samples)
        what = f"backprop({'-'.join(map(str, sizes))}, {samples} samples)"
        with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
            got = _gradients(student.backprop(params, X, Y), params, what=what)
        expected = ref.backprop(params, X, Y)
        _blame_prerequisite(student, got, expected, "forward", (params, X), what=what,
                            hint="forward_first")
        at_activation = _wrong_backprop(params, X, Y, slope="a")
        one_minus_z = _wrong_backprop(params, X, Y, slope="1-z")
        no_output_slope = _wrong_backprop(params, X, Y, output_slope=False)
        no_hidden_slope = _wrong_backprop(params, X, Y, hidden_slope=False)
        # From the output layer back: that is where the known mistakes start.
        for layer in reversed(range(len(params))):
            for part, name in ((0, "dW"), (1, "db")):
                e = expected[layer][part]
                expect_close(got[layer][part], e, what=f"{what}: {name} of layer {layer + 1}",
                             hint="backprop_formula", rtol=GRADIENT_RTOL, show=False,
                             fingerprints={"gradient_not_averaged": samples * e if part == 0
                                                                    else None,
                                           # db alone summed, not averaged
                                           "bias_gradient_batch": samples * e if part == 1
                                                                  else None,
                                           "error_sign": -e,
                                           "hidden_error_derivative":
                                               no_hidden_slope[layer][part],
                                           "derivative_of_activation":
                                               at_activation[layer][part],
                                           "output_error_derivative":
                                               no_output_slope[layer][part],
                                           "sigmoid_derivative_formula":
                                               one_minus_z[layer][part]})


def test_train_step_random(student, rng):
    for sizes in LAYER_SIZES[:2]:
        samples = int(rng.integers(3, 9))
        params, X, Y = _network(rng, sizes, samples)
        rate = float(rng.uniform(0.2, 2.0))
        what = f"train_step({'-'.join(map(str, sizes))}, learning_rate={rate:.3f})"
        got = _layers(student.train_step(params, X, Y, rate), params, what=what,
                      hint="params_layout")
        _blame_prerequisite(student, got, ref.train_step(params, X, Y, rate), "backprop",
                            (params, X, Y), what=what, hint="backprop_first")
        grads = ref.backprop(params, X, Y)
        early = _wrong_train_step_updating_early(params, X, Y, rate)
        for layer, ((W, b), (dW, db)) in enumerate(zip(params, grads)):
            expect_close(got[layer][0], W - rate * dW, what=f"{what}: W of layer {layer + 1}",
                         hint="train_step_formula", show=False,
                         fingerprints={"update_sign": W + rate * dW,
                                       "old_weights": early[layer][0],
                                       "averaged_twice": W - rate * dW / samples})
            expect_close(got[layer][1], b - rate * db, what=f"{what}: b of layer {layer + 1}",
                         hint="train_step_formula", show=False,
                         fingerprints={"update_sign": b + rate * db,
                                       "old_weights": early[layer][1],
                                       "averaged_twice": b - rate * db / samples,
                                       "biases_not_updated": b})


def test_train_random(student, rng):
    sizes, samples, epochs, batch_size = (6, 5, 4, 3), 23, 3, 5  # the last batch has 3 rows
    params, X, Y = _network(rng, sizes, samples)
    rate, seed = float(rng.uniform(0.3, 1.0)), int(rng.integers(0, 1000))
    what = (f"train({'-'.join(map(str, sizes))}, {samples} samples, learning_rate={rate:.3f}, "
            f"epochs={epochs}, batch_size={batch_size}, seed={seed})")
    got = _layers(student.train(params, X, Y, rate, epochs, batch_size, seed), params,
                  what=what, hint="params_layout")
    expected = ref.train(params, X, Y, rate, epochs, batch_size, seed)
    _blame_prerequisite(student, got, expected, "train_step", (params, X, Y, rate), what=what,
                        hint="train_step_first")
    skipped = _wrong_train_skipping_last_batch(params, X, Y, rate, epochs, batch_size, seed)
    in_order = _wrong_train_in_order(params, X, Y, rate, epochs, batch_size)
    legacy = _wrong_train_in_order(params, X, Y, rate, epochs, batch_size, legacy_seed=seed)
    expect_close(_flat(got), _flat(expected), what=what, hint="batch_order", show=False,
                 fingerprints={"last_batch": _flat(skipped), "train_no_shuffle": _flat(in_order),
                               "legacy_random": _flat(legacy),
                               "epochs_ignored": _flat(ref.train(params, X, Y, rate, 1,
                                                                 batch_size, seed))})


def test_predict_accuracy_random(student, rng):
    sizes, samples = (7, 6, 4, 3), 12
    params, X, _ = _network(rng, sizes, samples)
    labels = ref.predict(params, X)
    what = f"predict({'-'.join(map(str, sizes))}, {samples} samples)"
    with hint_on_error("weights_transposed", "ValueError", matching=SHAPE_ERROR):
        got = expect_shape(student.predict(params, X), (samples,), what=what,
                           hint="predict_axis")
    _blame_prerequisite(student, got, labels, "forward", (params, X), what=what,
                        hint="forward_first")
    expect_equal(got, labels, what=what, hint="predict_axis")
    wrong = rng.choice(samples, size=int(rng.integers(2, samples - 2)), replace=False)
    labels[wrong] = (labels[wrong] + 1) % sizes[-1]
    fraction = 1 - len(wrong) / samples
    what = f"accuracy({'-'.join(map(str, sizes))}, {samples} samples, labels)"
    got = expect_number(student.accuracy(params, X, labels), what=what,
                        hint="accuracy_fraction")
    expect_close(got, fraction, what=what, hint="accuracy_fraction")


def test_digits_end_to_end(student):
    given = _given_code()
    X_train, y_train, X_test, y_test = given.load_data(seed=0)
    params = given.init_params(DIGITS_LAYERS, seed=0)
    what = "train(init_params(), X_train, one_hot(y_train), 3.0, 20, 10, 0) on the 8×8 digits"
    result = student.call("train", params, X_train, ref.one_hot(y_train), *DIGITS_TRAINING,
                          timeout=DIGITS_SECONDS, echo_args=False)
    trained = _layers(result.value, params, what=what, hint="params_layout")
    score = ref.accuracy(trained, X_test, y_test)
    if not score >= DIGITS_ACCURACY:
        fail(what, Text(f"テストの正解率が {score:.3f} で、{DIGITS_ACCURACY:.2f} に届きません",
                        f"test accuracy {score:.3f}, below {DIGITS_ACCURACY:.2f}"),
             hint="digits_accuracy")

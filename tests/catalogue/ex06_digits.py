"""Known implementations of ex06_digits.

Every wrong one is a typical student solution (``STUDENT``) with one realistic mistake; each
hint of the exercise is the expected hint of at least one of them, except ``forward_first`` and
``backprop_first`` (a check built on a wrong function), which tests/test_ex06_digits.py checks,
and the catch-all ``*_formula`` hints, which no mistake the catalogue knows should get.
"""

from tests.catalogue import Correct, Wrong

STUDENT = '''
import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))

def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)

def one_hot(labels, n_classes=10):
    return np.eye(n_classes)[labels]

def forward(params, X):
    activations = [X]
    for W, b in params:
        activations.append(sigmoid(activations[-1] @ W.T + b))
    return activations

def loss(params, X, Y):
    a = forward(params, X)[-1]
    return 0.5 * np.sum((a - Y) ** 2) / len(X)

def backprop(params, X, Y):
    activations = forward(params, X)
    m = len(X)
    L = len(params)
    grads = [None] * L
    error = activations[-1] - Y
    for l in range(L - 1, -1, -1):
        W, b = params[l]
        z = activations[l] @ W.T + b
        delta = error * sigmoid_derivative(z)
        grads[l] = (delta.T @ activations[l] / m, np.sum(delta, axis=0) / m)
        error = delta @ W
    return grads

def train_step(params, X, Y, learning_rate):
    grads = backprop(params, X, Y)
    new_params = []
    for (W, b), (dW, db) in zip(params, grads):
        new_params.append((W - learning_rate * dW, b - learning_rate * db))
    return new_params

def train(params, X, Y, learning_rate, epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    m = len(X)
    for epoch in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            params = train_step(params, X[rows], Y[rows], learning_rate)
    return params

def predict(params, X):
    return np.argmax(forward(params, X)[-1], axis=1)

def accuracy(params, X, labels):
    return np.mean(predict(params, X) == labels)
'''


def _mistake(name: str, hint: str, *edits: tuple[str, str]) -> Wrong:
    """``STUDENT`` with each ``(old, new)`` edit applied; ``old`` must occur exactly once."""
    source = STUDENT
    for old, new in edits:
        assert source.count(old) == 1, f"{name}: {old!r} must occur once in STUDENT"
        source = source.replace(old, new)
    return Wrong(name, hint=hint, source=source)


WRONG = [
    # Right but for precision: the network computed in float32 (not the contract's 1e-6).
    _mistake("float32_network", "float32_precision",
             ("    activations = [X]\n    for W, b in params:\n",
              "    activations = [np.asarray(X, dtype=np.float32)]\n    for W, b in params:\n"
              "        W, b = W.astype(np.float32), b.astype(np.float32)\n")),
    # σ and σ'
    _mistake("sigmoid_clipped", "sigmoid_tiny",
             ("    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))",
              "    z = np.asarray(z, dtype=float)\n"
              "    return np.where(z < -28, 0.0, 1 / (1 + np.exp(-np.clip(z, -28, None))))")),
    # tanh form: 0.5 * (1 + tanh(-20)) rounds to exactly 0, so σ(-40) = 4.25e-18 is lost.
    _mistake("sigmoid_tanh_form", "sigmoid_tiny",
             ("1 / (1 + np.exp(-np.asarray(z, dtype=float)))",
              "0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))")),
    _mistake("sigmoid_sign_flipped", "sigmoid_formula",
             ("np.exp(-np.asarray(z, dtype=float))", "np.exp(np.asarray(z, dtype=float))")),
    _mistake("sigmoid_math_exp_for_numbers", "sigmoid_overflow",
             ("import numpy as np\n", "import math\nimport numpy as np\n"),
             ("    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))",
              "    if np.ndim(z) == 0:\n"
              "        return 1 / (1 + math.exp(-z))\n"
              "    return 1 / (1 + np.exp(-z))")),
    _mistake("sigmoid_derivative_of_z", "sigmoid_derivative_formula",
             ("return s * (1 - s)", "return s * (1 - z)")),
    # one-hot
    _mistake("one_hot_transposed", "one_hot_shape",
             ("np.eye(n_classes)[labels]", "np.eye(n_classes)[labels].T")),
    _mistake("one_hot_off_by_one", "one_hot_value",
             ("np.eye(n_classes)[labels]", "np.eye(n_classes)[labels - 1]")),
    # forward
    _mistake("forward_a_times_w", "weights_transposed",
             ("activations[-1] @ W.T + b", "activations[-1] @ W + b"),
             ("error = delta @ W", "error = delta @ W.T"),
             ("delta.T @ activations[l] / m", "activations[l].T @ delta / m")),
    _mistake("forward_without_bias", "bias_missing",
             ("activations[-1] @ W.T + b", "activations[-1] @ W.T")),
    _mistake("forward_linear_output", "output_activation",
             ("    for W, b in params:\n"
              "        activations.append(sigmoid(activations[-1] @ W.T + b))",
              "    for i, (W, b) in enumerate(params):\n"
              "        z = activations[-1] @ W.T + b\n"
              "        activations.append(z if i == len(params) - 1 else sigmoid(z))")),
    _mistake("forward_relu_from_ex03", "sigmoid_activation",
             ("activations.append(sigmoid(activations[-1] @ W.T + b))",
              "activations.append(np.maximum(0, activations[-1] @ W.T + b))")),
    _mistake("forward_bias_after_sigmoid", "bias_after_activation",
             ("sigmoid(activations[-1] @ W.T + b)", "sigmoid(activations[-1] @ W.T) + b")),
    _mistake("forward_without_input", "forward_layers",
             ("    activations = [X]\n    for W, b in params:\n"
              "        activations.append(sigmoid(activations[-1] @ W.T + b))\n"
              "    return activations",
              "    activations = []\n    a = X\n    for W, b in params:\n"
              "        a = sigmoid(a @ W.T + b)\n        activations.append(a)\n"
              "    return activations"),
             ("    activations = forward(params, X)\n    m = len(X)",
              "    activations = [X] + forward(params, X)\n    m = len(X)")),
    # loss
    _mistake("loss_summed", "loss_mean",
             ("0.5 * np.sum((a - Y) ** 2) / len(X)", "0.5 * np.sum((a - Y) ** 2)")),
    _mistake("loss_np_mean", "loss_output_mean",
             ("0.5 * np.sum((a - Y) ** 2) / len(X)", "np.mean((a - Y) ** 2)")),
    # backprop
    _mistake("backprop_reversed_list", "gradient_layout",
             ("grads = [None] * L", "grads = []"),
             ("grads[l] = (delta.T @ activations[l] / m, np.sum(delta, axis=0) / m)",
              "grads.append((delta.T @ activations[l] / m, np.sum(delta, axis=0) / m))")),
    _mistake("backprop_dw_transposed", "weight_gradient_transposed",
             ("delta.T @ activations[l] / m", "activations[l].T @ delta / m")),
    _mistake("backprop_bias_not_summed", "bias_gradient_batch",
             ("np.sum(delta, axis=0) / m", "delta / m")),
    _mistake("backprop_summed_not_averaged", "gradient_not_averaged",
             ("(delta.T @ activations[l] / m, np.sum(delta, axis=0) / m)",
              "(delta.T @ activations[l], np.sum(delta, axis=0))")),
    _mistake("backprop_derivative_of_activation", "derivative_of_activation",
             ("delta = error * sigmoid_derivative(z)",
              "delta = error * sigmoid_derivative(activations[l + 1])")),
    _mistake("backprop_output_delta_without_slope", "output_error_derivative",
             ("delta = error * sigmoid_derivative(z)",
              "delta = error if l == L - 1 else error * sigmoid_derivative(z)")),
    _mistake("backprop_target_minus_output", "error_sign",
             ("error = activations[-1] - Y", "error = Y - activations[-1]")),
    _mistake("backprop_slope_only_at_output", "hidden_error_derivative",
             ("delta = error * sigmoid_derivative(z)",
              "delta = error * sigmoid_derivative(z) if l == L - 1 else error")),
    # train_step
    _mistake("train_step_plus", "update_sign",
             ("(W - learning_rate * dW, b - learning_rate * db)",
              "(W + learning_rate * dW, b + learning_rate * db)")),
    _mistake("train_step_biases_not_updated", "biases_not_updated",
             ("(W - learning_rate * dW, b - learning_rate * db)",
              "(W - learning_rate * dW, b)")),
    _mistake("train_step_averages_twice", "averaged_twice",
             ("(W - learning_rate * dW, b - learning_rate * db)",
              "(W - learning_rate * dW / len(X), b - learning_rate * db / len(X))")),
    _mistake("train_step_in_place_no_return", "params_layout",
             ("    new_params = []\n    for (W, b), (dW, db) in zip(params, grads):\n"
              "        new_params.append((W - learning_rate * dW, b - learning_rate * db))\n"
              "    return new_params",
              "    for (W, b), (dW, db) in zip(params, grads):\n"
              "        W -= learning_rate * dW\n        b -= learning_rate * db")),
    _mistake("train_step_updates_during_backprop", "old_weights",
             ("    grads = backprop(params, X, Y)\n    new_params = []\n"
              "    for (W, b), (dW, db) in zip(params, grads):\n"
              "        new_params.append((W - learning_rate * dW, b - learning_rate * db))\n"
              "    return new_params",
              "    activations = forward(params, X)\n"
              "    new_params = [list(p) for p in params]\n"
              "    error = activations[-1] - Y\n"
              "    for l in range(len(params) - 1, -1, -1):\n"
              "        W, b = params[l]\n"
              "        delta = error * sigmoid_derivative(activations[l] @ W.T + b)\n"
              "        new_params[l][0] = W - learning_rate * delta.T @ activations[l] / len(X)\n"
              "        new_params[l][1] = b - learning_rate * delta.sum(axis=0) / len(X)\n"
              "        error = delta @ new_params[l][0]\n"
              "    return new_params")),
    # train
    _mistake("train_legacy_np_random", "legacy_random",
             ("    rng = np.random.default_rng(seed)", "    np.random.seed(seed)"),
             ("        order = rng.permutation(m)", "        order = np.random.permutation(m)")),
    _mistake("train_skips_last_batch", "last_batch",
             ("range(0, m, batch_size)", "range(0, m - batch_size + 1, batch_size)")),
    _mistake("train_one_epoch_only", "digits_accuracy",
             ("for epoch in range(epochs):", "for epoch in range(1):")),
    # predict and accuracy
    _mistake("predict_axis_0", "predict_axis",
             ("[-1], axis=1)", "[-1], axis=0)")),
    _mistake("accuracy_percent", "accuracy_fraction",
             ("return np.mean(", "return 100 * np.mean(")),
    # Realistic mistakes (issue 8): a constant factor, a step of the contract left out.
    _mistake("loss_without_half", "loss_half",
             ("0.5 * np.sum((a - Y) ** 2) / len(X)", "np.sum((a - Y) ** 2) / len(X)")),
    _mistake("train_without_shuffle", "train_no_shuffle",
             ("        order = rng.permutation(m)", "        order = np.arange(m)")),
    _mistake("backprop_bias_summed_not_averaged", "bias_gradient_batch",
             ("np.sum(delta, axis=0) / m", "np.sum(delta, axis=0)")),
]

CORRECT = [
    Correct("vectorized_student", source=STUDENT),
    Correct("sample_by_sample_column_vectors", source='''
import math
import numpy as np

def _sigmoid_number(v):
    if v >= 0:
        return 1 / (1 + math.exp(-v))
    e = math.exp(v)
    return e / (1 + e)

def sigmoid(z):
    if isinstance(z, np.ndarray):
        return np.vectorize(_sigmoid_number, otypes=[float])(z)
    return _sigmoid_number(z)

def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)

def one_hot(labels, n_classes=10):
    rows = []
    for label in labels:
        row = [0.0] * n_classes
        row[int(label)] = 1.0
        rows.append(row)
    return np.array(rows)

def _column_forward(params, x):
    """One sample as a column vector, like a = σ(W a + b) in the video."""
    a = x.reshape(-1, 1)
    activations, zs = [a], []
    for W, b in params:
        z = W @ a + b.reshape(-1, 1)
        a = 1 / (1 + np.exp(-np.clip(z, -500, 500)))
        zs.append(z)
        activations.append(a)
    return activations, zs

def forward(params, X):
    per_layer = [[] for _ in range(len(params) + 1)]
    for x in X:
        activations, _ = _column_forward(params, x)
        for layer, a in enumerate(activations):
            per_layer[layer].append(a.ravel())
    return [np.array(rows) for rows in per_layer]

def loss(params, X, Y):
    total = 0.0
    for x, y in zip(X, Y):
        a = _column_forward(params, x)[0][-1].ravel()
        total += 0.5 * sum((a_j - y_j) ** 2 for a_j, y_j in zip(a, y))
    return total / len(X)

def backprop(params, X, Y):
    sums = [[np.zeros_like(W), np.zeros_like(b)] for W, b in params]
    for x, y in zip(X, Y):
        activations, zs = _column_forward(params, x)
        a = activations[-1]
        delta = (a - y.reshape(-1, 1)) * a * (1 - a)
        for layer in range(len(params) - 1, -1, -1):
            sums[layer][0] += delta @ activations[layer].T
            sums[layer][1] += delta.ravel()
            if layer > 0:
                s = activations[layer]
                delta = (params[layer][0].T @ delta) * s * (1 - s)
    return [(dW / len(X), db / len(X)) for dW, db in sums]

def train_step(params, X, Y, learning_rate):
    grads = backprop(params, X, Y)
    for (W, b), (dW, db) in zip(params, grads):
        W -= learning_rate * dW
        b -= learning_rate * db
    return params

def train(params, X, Y, learning_rate, epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        order = rng.permutation(len(X))
        batches = [order[k:k + batch_size] for k in range(0, len(X), batch_size)]
        for rows in batches:
            params = train_step(params, X[rows], Y[rows], learning_rate)
    return params

def predict(params, X):
    labels = []
    for x in X:
        output = _column_forward(params, x)[0][-1].ravel()
        labels.append(max(range(len(output)), key=lambda j: (output[j], -j)))
    return np.array(labels)

def accuracy(params, X, labels):
    predicted = predict(params, X)
    return sum(1 for p, t in zip(predicted, labels) if p == t) / len(labels)
'''),
    Correct("stored_weighted_inputs_einsum", source='''
import numpy as np

def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # never overflows; σ(z) = e^z / (1 + e^z) for z < 0
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))[()]

def sigmoid_derivative(z):
    s = sigmoid(z)
    return s - s * s

def one_hot(labels, n_classes=10):
    return (np.asarray(labels)[:, None] == np.arange(n_classes)).astype(float)

def _pass(params, X):
    zs, activations = [], [np.asarray(X, dtype=float)]
    for W, b in params:
        zs.append(np.einsum("mi,oi->mo", activations[-1], W) + b)
        activations.append(sigmoid(zs[-1]))
    return zs, activations

def forward(params, X):
    return _pass(params, X)[1]

def loss(params, X, Y):
    return float(np.mean(0.5 * np.sum((forward(params, X)[-1] - Y) ** 2, axis=1)))

def backprop(params, X, Y):
    zs, activations = _pass(params, X)
    deltas = [(activations[-1] - Y) * sigmoid_derivative(zs[-1])]
    for layer in range(len(params) - 1, 0, -1):
        deltas.insert(0, np.einsum("mo,oi->mi", deltas[0], params[layer][0])
                      * sigmoid_derivative(zs[layer - 1]))
    return [[np.einsum("mo,mi->oi", d, a) / len(X), d.mean(axis=0)]
            for d, a in zip(deltas, activations[:-1])]

def train_step(params, X, Y, learning_rate):
    return [[W - learning_rate * dW, b - learning_rate * db]
            for (W, b), (dW, db) in zip(params, backprop(params, X, Y))]

def train(params, X, Y, learning_rate, epochs, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for rows in np.array_split(order, range(batch_size, len(X), batch_size)):
            params = train_step(params, X[rows], Y[rows], learning_rate)
    return tuple(tuple(layer) for layer in params)

def predict(params, X):
    return forward(params, X)[-1].argmax(axis=1).tolist()

def accuracy(params, X, labels):
    return float(np.count_nonzero(np.asarray(predict(params, X)) == labels) / len(labels))
'''),
]

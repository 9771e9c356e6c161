"""Known implementations of ex05_backprop.

Most wrong ones are one realistic edit of a correct NumPy module (``_edit`` checks that the
edit applies, so a change to the base cannot silently turn a wrong implementation right);
the demo-style ones are whole loop programs.
"""

from tests.catalogue import Correct, Wrong

NUMPY_BASE = '''
import numpy as np

def leaky_relu(z):
    return np.where(np.asarray(z) > 0, z, 0.01 * np.asarray(z))[()]

def leaky_relu_derivative(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.01)[()]

def forward(params, x, y):
    w1, b1, w2 = (np.asarray(params[k], dtype=float) for k in ("w1", "b1", "w2"))
    hidden_z = w1 @ np.array([x, y]) + b1
    hidden_a = leaky_relu(hidden_z)
    out_z = hidden_a @ w2 + params["b2"]
    return hidden_z, hidden_a, out_z

def predict(params, x, y):
    return float(leaky_relu(forward(params, x, y)[2]))

def gradients(params, x, y, target):
    hidden_z, hidden_a, out_z = forward(params, x, y)
    w2 = np.asarray(params["w2"], dtype=float)
    prediction = leaky_relu(out_z)
    error = prediction - target
    d_out_z = error * leaky_relu_derivative(out_z)
    d_z = d_out_z * w2 * leaky_relu_derivative(hidden_z)
    return {"w1": np.outer(d_z, [x, y]), "b1": d_z, "w2": d_out_z * hidden_a,
            "b2": float(d_out_z)}

def train_step(params, x, y, target, learning_rate):
    grads = gradients(params, x, y, target)
    return {k: np.asarray(params[k]) - learning_rate * grads[k] for k in params}

def train(params, samples, learning_rate):
    for x, y, target in samples:
        params = train_step(params, x, y, target, learning_rate)
    return params
'''


def _edit(old: str, new: str, *, base: str = NUMPY_BASE) -> str:
    """``base`` with the one occurrence of ``old`` replaced by ``new``."""
    assert base.count(old) == 1, f"the edit {old!r} must match exactly once"
    return base.replace(old, new)


# The circle demo's train(), translated line by line: w2 and b2 are updated before dZ is
# computed from model.w2, so dZ sees the new w2.
DEMO_ORDER = '''
import numpy as np

def act(z):
    return z if z > 0 else z * 0.01

def dAct(z):
    return 1 if z > 0 else 0.01

def leaky_relu(z):
    if isinstance(z, np.ndarray):
        return np.array([act(v) for v in z.ravel()]).reshape(z.shape)
    return act(z)

def leaky_relu_derivative(z):
    if isinstance(z, np.ndarray):
        return np.array([dAct(v) for v in z.ravel()], dtype=float).reshape(z.shape)
    return dAct(z)

def predict(model, nx, ny):
    h1_a = [act(nx * w[0] + ny * w[1] + model["b1"][i]) for i, w in enumerate(model["w1"])]
    out_z = model["b2"]
    for i in range(len(h1_a)):
        out_z += h1_a[i] * model["w2"][i]
    return act(out_z)

def gradients(model, nx, ny, target):
    n = len(model["w1"])
    h1_z = [nx * model["w1"][j][0] + ny * model["w1"][j][1] + model["b1"][j] for j in range(n)]
    h1_a = [act(z) for z in h1_z]
    out_z = model["b2"] + sum(h1_a[j] * model["w2"][j] for j in range(n))
    d_out_z = (act(out_z) - target) * dAct(out_z)
    d_z = [d_out_z * model["w2"][j] * dAct(h1_z[j]) for j in range(n)]
    return {"w1": [[dz * nx, dz * ny] for dz in d_z], "b1": d_z,
            "w2": [d_out_z * a for a in h1_a], "b2": d_out_z}

def train_step(model, nx, ny, target, learningRate):
    n = len(model["w1"])
    model = {"w1": [list(w) for w in model["w1"]], "b1": list(model["b1"]),
             "w2": list(model["w2"]), "b2": model["b2"]}
    h1_z = []
    h1_a = []
    for j in range(n):
        z = nx * model["w1"][j][0] + ny * model["w1"][j][1] + model["b1"][j]
        h1_z.append(z)
        h1_a.append(act(z))
    out_z = model["b2"]
    for j in range(n):
        out_z += h1_a[j] * model["w2"][j]
    prediction = act(out_z)
    error = prediction - target
    d_out_z = error * dAct(out_z)
    for j in range(n):
        model["w2"][j] -= learningRate * d_out_z * h1_a[j]
    model["b2"] -= learningRate * d_out_z
    for j in range(n):
        d_h = d_out_z * model["w2"][j]
        d_z = d_h * dAct(h1_z[j])
        model["w1"][j][0] -= learningRate * d_z * nx
        model["w1"][j][1] -= learningRate * d_z * ny
        model["b1"][j] -= learningRate * d_z
    return model

def train(model, samples, learningRate):
    for nx, ny, target in samples:
        model = train_step(model, nx, ny, target, learningRate)
    return model
'''

# Loops with the demo's numHidden = 8 written in: fine for the demo, wrong for other widths.
FIXED_EIGHT = (DEMO_ORDER
               .replace("    n = len(model[\"w1\"])\n", "    n = 8\n")
               .replace("for i in range(len(h1_a))", "for i in range(8)")
               .replace("""    for j in range(n):
        model["w2"][j] -= learningRate * d_out_z * h1_a[j]
    model["b2"] -= learningRate * d_out_z
    for j in range(n):
        d_h = d_out_z * model["w2"][j]""", """    old_w2 = list(model["w2"])
    for j in range(n):
        model["w2"][j] -= learningRate * d_out_z * h1_a[j]
    model["b2"] -= learningRate * d_out_z
    for j in range(n):
        d_h = d_out_z * old_w2[j]"""))
assert FIXED_EIGHT.count("n = 8") == 2 and "old_w2[j]" in FIXED_EIGHT

WRONG = [
    Wrong("relu_derivative", hint="relu_derivative", source=_edit(
        "np.where(np.asarray(z) > 0, 1.0, 0.01)", "np.where(np.asarray(z) > 0, 1.0, 0.0)")),
    Wrong("derivative_at_zero", hint="derivative_formula", source=_edit(
        "np.where(np.asarray(z) > 0, 1.0, 0.01)", "np.where(np.asarray(z) >= 0, 1.0, 0.01)")),
    Wrong("leaky_is_relu", hint="leaky_relu_formula", source=_edit(
        "np.where(np.asarray(z) > 0, z, 0.01 * np.asarray(z))[()]", "np.maximum(z, 0.0)[()]")),
    Wrong("leaky_for_numbers_only", hint="array_support", source=_edit(
        "    return np.where(np.asarray(z) > 0, z, 0.01 * np.asarray(z))[()]",
        "    if z > 0:\n        return z\n    return 0.01 * z")),
    Wrong("times_activation", hint="times_activation", source=_edit(
        """    d_out_z = error * leaky_relu_derivative(out_z)
    d_z = d_out_z * w2 * leaky_relu_derivative(hidden_z)""",
        """    d_out_z = error * leaky_relu(out_z)
    d_z = d_out_z * w2 * hidden_a""")),
    Wrong("error_sign", hint="error_sign", source=_edit(
        "error = prediction - target", "error = target - prediction")),
    Wrong("no_output_derivative", hint="output_derivative", source=_edit(
        "d_out_z = error * leaky_relu_derivative(out_z)", "d_out_z = error")),
    Wrong("no_w2_in_hidden_responsibility", hint="hidden_weight_factor", source=_edit(
        "d_z = d_out_z * w2 * leaky_relu_derivative(hidden_z)",
        "d_z = d_out_z * leaky_relu_derivative(hidden_z)")),
    Wrong("no_input_factor", hint="input_factor", source=_edit(
        "np.outer(d_z, [x, y])", "np.outer(d_z, [1.0, 1.0])")),
    Wrong("w2_gradient_from_z", hint="output_weight_gradient", source=_edit(
        '"w2": d_out_z * hidden_a', '"w2": d_out_z * hidden_z')),
    Wrong("hidden_bias_without_derivative", hint="bias_gradient", source=_edit(
        '"b1": d_z,', '"b1": d_out_z * w2,')),
    Wrong("b2_gradient_as_array", hint="b2_number", source=_edit(
        '"b2": float(d_out_z)', '"b2": np.array([d_out_z])')),
    Wrong("gradients_as_tuple", hint="dict_layout", source=_edit(
        """    return {"w1": np.outer(d_z, [x, y]), "b1": d_z, "w2": d_out_z * hidden_a,
            "b2": float(d_out_z)}

def train_step(params, x, y, target, learning_rate):
    grads = gradients(params, x, y, target)
""", """    return np.outer(d_z, [x, y]), d_z, d_out_z * hidden_a, float(d_out_z)

def train_step(params, x, y, target, learning_rate):
    grads = dict(zip(("w1", "b1", "w2", "b2"), gradients(params, x, y, target)))
""")),
    Wrong("transposed_w1", hint="w1_layout", source=_edit(
        "hidden_z = w1 @ np.array([x, y]) + b1", "hidden_z = np.array([x, y]) @ w1 + b1")),
    Wrong("fixed_eight_hidden", hint="w1_layout", source=FIXED_EIGHT),
    Wrong("predict_without_output_activation", hint="predict_output_activation", source=_edit(
        "return float(leaky_relu(forward(params, x, y)[2]))",
        "return float(forward(params, x, y)[2])")),
    Wrong("demo_order", hint="demo_order", source=DEMO_ORDER),
    Wrong("update_sign", hint="update_sign", source=_edit(
        "np.asarray(params[k]) - learning_rate * grads[k]",
        "np.asarray(params[k]) + learning_rate * grads[k]")),
    Wrong("no_learning_rate", hint="learning_rate", source=_edit(
        "np.asarray(params[k]) - learning_rate * grads[k]", "np.asarray(params[k]) - grads[k]")),
    # Right but for precision: every parameter converted to float32 (not the contract's 1e-6).
    Wrong("float32_params", hint="float32_precision", source=_edit(
        'w1, b1, w2 = (np.asarray(params[k], dtype=float) for k in ("w1", "b1", "w2"))',
        'w1, b1, w2 = (np.asarray(params[k], dtype=np.float32) for k in ("w1", "b1", "w2"))',
        base=_edit("hidden_z = w1 @ np.array([x, y]) + b1",
                   "hidden_z = w1 @ np.array([x, y], dtype=np.float32) + b1"))),
    # Only b1's update forgotten: train_step's hint must not say every parameter is unchanged.
    Wrong("b1_not_updated", hint="some_params_unchanged", source=_edit(
        "np.asarray(params[k]) - learning_rate * grads[k] for k in params}",
        "np.asarray(params[k]) - (k != \"b1\") * learning_rate * grads[k] for k in params}")),
    Wrong("locals_updated_params_returned", hint="params_unchanged", source=_edit(
        """    return {k: np.asarray(params[k]) - learning_rate * grads[k] for k in params}""",
        """    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    w1 = w1 - learning_rate * grads["w1"]
    b1 = b1 - learning_rate * grads["b1"]
    w2 = w2 - learning_rate * grads["w2"]
    b2 = b2 - learning_rate * grads["b2"]
    return params""")),
    Wrong("train_step_returns_nothing", hint="return_params", source=_edit(
        """    return {k: np.asarray(params[k]) - learning_rate * grads[k] for k in params}""",
        """    for k in params:
        params[k] = params[k] - learning_rate * grads[k]""", base=_edit(
            "        params = train_step(params, x, y, target, learning_rate)",
            "        train_step(params, x, y, target, learning_rate)"))),
    Wrong("train_result_ignored", hint="train_result_ignored", source=_edit(
        "        params = train_step(params, x, y, target, learning_rate)",
        "        train_step(params, x, y, target, learning_rate)")),
    Wrong("train_only_last", hint="train_only_last", source=_edit(
        """        params = train_step(params, x, y, target, learning_rate)
    return params""", """        trained = train_step(params, x, y, target, learning_rate)
    return trained""")),
    Wrong("train_reversed", hint="train_order", source=_edit(
        "for x, y, target in samples:", "for x, y, target in reversed(samples):")),
    Wrong("train_stops_early", hint="training_accuracy", source=_edit(
        "for x, y, target in samples:", "for x, y, target in samples[:500]:  # quicker to try")),
    # Realistic mistakes (issue 8): a constant factor, the wrong input, another lecture's
    # derivative, off by one.
    Wrong("error_times_two", hint="constant_factor", source=_edit(
        "error = prediction - target", "error = 2 * (prediction - target)")),
    Wrong("inputs_swapped", hint="input_factor", source=_edit(
        "np.outer(d_z, [x, y])", "np.outer(d_z, [y, x])")),
    Wrong("sigmoid_derivative_in_hidden", hint="sigmoid_derivative", source=_edit(
        "d_z = d_out_z * w2 * leaky_relu_derivative(hidden_z)",
        "d_z = d_out_z * w2 * hidden_a * (1 - hidden_a)")),
    Wrong("train_skips_last_sample", hint="train_samples_skipped", source=_edit(
        "for x, y, target in samples:", "for x, y, target in samples[:-1]:")),
    Wrong("train_skips_first_sample", hint="train_samples_skipped", source=_edit(
        "for x, y, target in samples:", "for x, y, target in samples[1:]:")),
]

CORRECT = [
    # The demo's loops in Python lists, in the exact order: every gradient, then the updates.
    Correct("demo_loops_fixed_order", source='''
import numpy as np

def act(z):
    return z if z > 0 else z * 0.01

def dAct(z):
    return 1 if z > 0 else 0.01

def leaky_relu(z):
    if isinstance(z, np.ndarray):
        return np.vectorize(act, otypes=[float])(z)
    return act(z)

def leaky_relu_derivative(z):
    if isinstance(z, np.ndarray):
        return np.vectorize(dAct, otypes=[float])(z)
    return dAct(z)

def predict(model, nx, ny):
    numHidden = len(model["w1"])
    h1_a = [act(nx * model["w1"][i][0] + ny * model["w1"][i][1] + model["b1"][i])
            for i in range(numHidden)]
    outZ = model["b2"]
    for i in range(numHidden):
        outZ += h1_a[i] * model["w2"][i]
    return act(outZ)

def gradients(model, nx, ny, target):
    numHidden = len(model["w1"])
    h1_z = []
    h1_a = []
    for j in range(numHidden):
        z = nx * model["w1"][j][0] + ny * model["w1"][j][1] + model["b1"][j]
        h1_z.append(z)
        h1_a.append(act(z))
    outZ = model["b2"]
    for j in range(numHidden):
        outZ += h1_a[j] * model["w2"][j]
    prediction = act(outZ)
    error = prediction - target
    dOutZ = error * dAct(outZ)
    grads = {"w1": [], "b1": [], "w2": [], "b2": dOutZ}
    for j in range(numHidden):
        grads["w2"].append(dOutZ * h1_a[j])
        dH = dOutZ * model["w2"][j]
        dZ = dH * dAct(h1_z[j])
        grads["w1"].append([dZ * nx, dZ * ny])
        grads["b1"].append(dZ)
    return grads

def train_step(model, nx, ny, target, learningRate):
    g = gradients(model, nx, ny, target)
    numHidden = len(model["w1"])
    return {
        "w1": [[model["w1"][j][k] - learningRate * g["w1"][j][k] for k in range(2)]
               for j in range(numHidden)],
        "b1": [model["b1"][j] - learningRate * g["b1"][j] for j in range(numHidden)],
        "w2": [model["w2"][j] - learningRate * g["w2"][j] for j in range(numHidden)],
        "b2": model["b2"] - learningRate * g["b2"],
    }

def train(model, samples, learningRate):
    for nx, ny, target in samples:
        model = train_step(model, nx, ny, target, learningRate)
    return model
'''),
    # Vectorized with column vectors and einsum; b2 and its gradient come back as NumPy
    # scalars / 0-d arrays, which the contract's "a number" allows.
    Correct("numpy_column_vectors", source='''
import numpy as np

def leaky_relu(z):
    z = np.asarray(z, dtype=float)
    return (np.maximum(z, 0) + 0.01 * np.minimum(z, 0))[()]

def leaky_relu_derivative(z):
    return (0.01 + 0.99 * (np.asarray(z, dtype=float) > 0))[()]

def _layers(params, x, y):
    p = np.array([[x], [y]])
    z = params["w1"] @ p + np.reshape(params["b1"], (-1, 1))
    a = leaky_relu(z)
    out = np.einsum("j,j->", params["w2"], a[:, 0]) + np.float64(params["b2"])
    return p, z, a, out

def predict(params, x, y):
    return leaky_relu(_layers(params, x, y)[3])

def gradients(params, x, y, target):
    p, z, a, out = _layers(params, x, y)
    d_out = (leaky_relu(out) - target) * leaky_relu_derivative(out)
    d_z = d_out * np.reshape(params["w2"], (-1, 1)) * leaky_relu_derivative(z)
    return {"w1": d_z @ p.T, "b1": d_z[:, 0], "w2": d_out * a[:, 0], "b2": np.array(d_out)}

def train_step(params, x, y, target, learning_rate):
    g = gradients(params, x, y, target)
    return {name: params[name] - learning_rate * g[name] for name in g}

def train(params, samples, learning_rate):
    for sample in samples:
        params = train_step(params, *sample, learning_rate)
    return params
'''),
    # Updates the caller's arrays in place (allowed) and returns them; b2 is replaced.
    Correct("numpy_in_place", source='''
import numpy as np

SLOPE = 0.01

def leaky_relu(z):
    return np.where(np.asarray(z) > 0, z, SLOPE * np.asarray(z))[()]

def leaky_relu_derivative(z):
    return np.where(np.asarray(z) > 0, 1.0, SLOPE)[()]

def predict(params, x, y):
    h = leaky_relu(params["w1"][:, 0] * x + params["w1"][:, 1] * y + params["b1"])
    return float(leaky_relu(np.dot(params["w2"], h) + params["b2"]))

def gradients(params, x, y, target):
    z = params["w1"][:, 0] * x + params["w1"][:, 1] * y + params["b1"]
    h = leaky_relu(z)
    out_z = np.dot(params["w2"], h) + params["b2"]
    d_out = (leaky_relu(out_z) - target) * leaky_relu_derivative(out_z)
    d_z = d_out * params["w2"] * leaky_relu_derivative(z)
    return {"w1": np.stack([d_z * x, d_z * y], axis=1), "b1": d_z, "w2": d_out * h,
            "b2": d_out}

def train_step(params, x, y, target, learning_rate):
    g = gradients(params, x, y, target)
    params["w1"] -= learning_rate * g["w1"]
    params["b1"] -= learning_rate * g["b1"]
    params["w2"] -= learning_rate * g["w2"]
    params["b2"] = params["b2"] - learning_rate * g["b2"]
    return params

def train(params, samples, learning_rate):
    params = {k: np.array(v, dtype=float) if k != "b2" else float(v) for k, v in params.items()}
    for x, y, target in samples:
        train_step(params, x, y, target, learning_rate)
    return params
'''),
    # The demo's train() with its two update loops swapped: the hidden layer is updated first,
    # while w2 still holds its old value, so every gradient is exact.
    Correct("demo_hidden_layer_first", source='''
import numpy as np

def leaky_relu(z):
    if np.ndim(z):
        return np.array([v if v > 0 else 0.01 * v for v in np.ravel(z)]).reshape(np.shape(z))
    return z if z > 0 else 0.01 * z

def leaky_relu_derivative(z):
    if np.ndim(z):
        return np.array([1.0 if v > 0 else 0.01 for v in np.ravel(z)]).reshape(np.shape(z))
    return 1.0 if z > 0 else 0.01

def _forward(m, nx, ny):
    h1_z = [nx * w[0] + ny * w[1] + b for w, b in zip(m["w1"], m["b1"])]
    h1_a = [leaky_relu(z) for z in h1_z]
    out_z = m["b2"] + sum(a * w for a, w in zip(h1_a, m["w2"]))
    return h1_z, h1_a, out_z

def predict(m, nx, ny):
    return leaky_relu(_forward(m, nx, ny)[2])

def gradients(m, nx, ny, target):
    h1_z, h1_a, out_z = _forward(m, nx, ny)
    d_out_z = (leaky_relu(out_z) - target) * leaky_relu_derivative(out_z)
    d_z = [d_out_z * w * leaky_relu_derivative(z) for w, z in zip(m["w2"], h1_z)]
    return {"w1": np.array([[d * nx, d * ny] for d in d_z]), "b1": np.array(d_z),
            "w2": np.array([d_out_z * a for a in h1_a]), "b2": float(d_out_z)}

def train_step(m, nx, ny, target, rate):
    h1_z, h1_a, out_z = _forward(m, nx, ny)
    d_out_z = (leaky_relu(out_z) - target) * leaky_relu_derivative(out_z)
    w1 = np.array(m["w1"], dtype=float)
    b1 = np.array(m["b1"], dtype=float)
    w2 = np.array(m["w2"], dtype=float)
    for j in range(len(w2)):
        d_z = d_out_z * w2[j] * leaky_relu_derivative(h1_z[j])
        w1[j, 0] -= rate * d_z * nx
        w1[j, 1] -= rate * d_z * ny
        b1[j] -= rate * d_z
    for j in range(len(w2)):
        w2[j] -= rate * d_out_z * h1_a[j]
    return {"w1": w1, "b1": b1, "w2": w2, "b2": m["b2"] - rate * d_out_z}

def train(m, samples, rate):
    for nx, ny, target in samples:
        m = train_step(m, nx, ny, target, rate)
    return m
'''),
    # A functional style: one dict comprehension per step, reduce over the samples.
    Correct("functional_reduce", source='''
from functools import reduce
import numpy as np

leaky_relu = lambda z: np.where(np.asarray(z) > 0, z, np.multiply(0.01, z))[()]
leaky_relu_derivative = lambda z: np.where(np.asarray(z) > 0, 1.0, 0.01)[()]

def predict(params, x, y):
    hidden = leaky_relu(np.dot(params["w1"], (x, y)) + params["b1"])
    return leaky_relu(np.dot(params["w2"], hidden) + params["b2"]).item()

def gradients(params, x, y, target):
    z = np.dot(params["w1"], (x, y)) + params["b1"]
    out_z = np.dot(params["w2"], leaky_relu(z)) + params["b2"]
    d_out = (predict(params, x, y) - target) * leaky_relu_derivative(out_z)
    d_z = d_out * params["w2"] * leaky_relu_derivative(z)
    return {"w1": np.multiply.outer(d_z, (x, y)), "b1": d_z, "w2": d_out * leaky_relu(z),
            "b2": d_out.item()}

def train_step(params, x, y, target, learning_rate):
    g = gradients(params, x, y, target)
    return {k: np.subtract(v, np.multiply(learning_rate, g[k])) for k, v in params.items()}

def train(params, samples, learning_rate):
    return reduce(lambda p, s: train_step(p, *s, learning_rate), samples, params)
'''),
]

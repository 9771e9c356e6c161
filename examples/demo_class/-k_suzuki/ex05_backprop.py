import numpy as np

def leaky_relu(z):
    return np.where(np.asarray(z) > 0, z, 0.01 * np.asarray(z))[()]

def leaky_relu_derivative(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.0)[()]

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

"""Known implementations of ex01_relu."""

from tests.catalogue import Correct, Wrong

WRONG = [
    Wrong("relu_identity", hint="relu_negative_passthrough", source='''
import numpy as np
def relu(x):
    return np.array(x, dtype=float) if np.ndim(x) else x
def leaky_relu(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    r = np.where(x > 0, x, alpha * x)
    return float(r) if r.ndim == 0 else r
def sigmoid(x):
    r = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return float(r) if r.ndim == 0 else r
'''),
    Wrong("relu_abs", hint="relu_abs", source='''
import numpy as np
def relu(x):
    r = np.abs(np.asarray(x, dtype=float))
    return float(r) if r.ndim == 0 else r
def leaky_relu(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    r = np.where(x > 0, x, alpha * x)
    return float(r) if r.ndim == 0 else r
def sigmoid(x):
    r = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return float(r) if r.ndim == 0 else r
'''),
    Wrong("relu_in_place", hint="modifies_input", source='''
import numpy as np
def relu(x):
    if np.ndim(x) == 0:
        return max(0, x)
    x[x < 0] = 0
    return x
def leaky_relu(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    r = np.where(x > 0, x, alpha * x)
    return float(r) if r.ndim == 0 else r
def sigmoid(x):
    r = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return float(r) if r.ndim == 0 else r
'''),
    Wrong("relu_scalar_only", hint="relu_array_support", source='''
import numpy as np
def relu(x):
    if x > 0:
        return x
    return 0
def leaky_relu(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    r = np.where(x > 0, x, alpha * x)
    return float(r) if r.ndim == 0 else r
def sigmoid(x):
    r = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return float(r) if r.ndim == 0 else r
'''),
    Wrong("leaky_alpha_ignored", hint="leaky_alpha_ignored", source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    r = np.where(x > 0, x, 0.01 * x)
    return float(r) if r.ndim == 0 else r
def sigmoid(x):
    r = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return float(r) if r.ndim == 0 else r
'''),
    Wrong("leaky_is_relu", hint="leaky_negative", source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.maximum(x, 0)
def sigmoid(x):
    r = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return float(r) if r.ndim == 0 else r
'''),
    Wrong("sigmoid_sign", hint="sigmoid_sign", source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    return 1 / (1 + np.exp(np.asarray(x, dtype=float)))[()]
'''),
    Wrong("sigmoid_math_exp", hint="sigmoid_overflow", source='''
import math
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    if np.ndim(x):
        return np.array([sigmoid(v) for v in np.ravel(x)]).reshape(np.shape(x))
    return 1 / (1 + math.exp(-x))
'''),
    # tanh form: 0.5 * (1 + tanh(-20)) rounds to exactly 0, so σ(-40) = 4.25e-18 is lost.
    Wrong("sigmoid_tanh_form", hint="sigmoid_tiny", source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    return (0.5 * (1 + np.tanh(0.5 * np.asarray(x, dtype=float))))[()]
'''),
    # Clipped "to avoid overflow": exactly 0 and 1 beyond |x| = 28.
    Wrong("sigmoid_clipped", hint="sigmoid_tiny", source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    x = np.asarray(x, dtype=float)
    return np.where(x < -28, 0.0,
                    np.where(x > 28, 1.0, 1 / (1 + np.exp(-np.clip(x, -28, 28)))))[()]
'''),
    # Right only for alpha <= 1.
    Wrong("leaky_as_maximum", hint="leaky_maximum", source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.maximum(x, alpha * np.asarray(x))[()]
def sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-np.asarray(x, dtype=float))))[()]
'''),
    # Realistic mistakes (issue 8): a wrong operation, a misread default, a sign, a term left out.
    # the wrong operation: np.minimum
    Wrong('relu_minimum', hint='relu_swapped', source='''
import numpy as np
def relu(x):
    return np.minimum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-np.asarray(x, dtype=float))))[()]
'''),
    # default alpha 0.1 (the lecture's 0.01 misread)
    Wrong('leaky_default_alpha', hint='leaky_default_alpha', source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.1):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-np.asarray(x, dtype=float))))[()]
'''),
    # negative side with its sign flipped
    Wrong('leaky_sign_flipped', hint='leaky_sign', source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, -alpha * np.asarray(x))[()]
def sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-np.asarray(x, dtype=float))))[()]
'''),
    # the 1 + of the denominator left out
    Wrong('sigmoid_without_one', hint='sigmoid_plus_one', source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / np.exp(-np.asarray(x, dtype=float)))[()]
'''),
    # e^x / (1 + e^x): inf / inf for large x
    Wrong('sigmoid_exp_ratio', hint='sigmoid_nan', source='''
import numpy as np
def relu(x):
    return np.maximum(x, 0)
def leaky_relu(x, alpha=0.01):
    return np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    with np.errstate(over="ignore"):
        return (np.exp(np.asarray(x, dtype=float)) / (1 + np.exp(np.asarray(x, dtype=float))))[()]
'''),
]

CORRECT = [
    Correct("if_else_and_loops", source='''
import math
import numpy as np

def _scalar_relu(v):
    if v > 0:
        return v
    return 0.0

def relu(x):
    if isinstance(x, np.ndarray):
        out = np.zeros(x.shape)
        for index, v in np.ndenumerate(x):
            out[index] = _scalar_relu(v)
        return out
    return _scalar_relu(x)

def leaky_relu(x, alpha=0.01):
    if isinstance(x, np.ndarray):
        out = np.empty(x.shape)
        for index, v in np.ndenumerate(x):
            out[index] = v if v > 0 else alpha * v
        return out
    return x if x > 0 else alpha * x

def _scalar_sigmoid(v):
    if v >= 0:
        return 1 / (1 + math.exp(-v))
    e = math.exp(v)
    return e / (1 + e)

def sigmoid(x):
    if isinstance(x, np.ndarray):
        return np.vectorize(_scalar_sigmoid, otypes=[float])(x)
    return _scalar_sigmoid(x)
'''),
    Correct("numpy_one_liners", source='''
import numpy as np
relu = lambda x: np.maximum(x, 0)
leaky_relu = lambda x, alpha=0.01: np.where(np.asarray(x) > 0, x, alpha * np.asarray(x))[()]
def sigmoid(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))[()]
'''),
    Correct("logaddexp_and_clip", source='''
import numpy as np
def relu(x):
    return np.clip(x, 0, None)
def leaky_relu(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return (np.maximum(x, 0) + alpha * np.minimum(x, 0))[()]
def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=float)))[()]
'''),
]

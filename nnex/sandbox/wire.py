"""The wire format between grader and worker: one JSON object per line, arrays as raw bytes.

This module is imported on both sides of the process boundary, so it uses only the standard
library and NumPy. The worker encodes whatever student code returned; the grader decodes it
strictly into plain Python and NumPy values (``allow_pickle=False``, no other object types), so
an object that claims to equal everything arrives as a plain number. Never pickle.

An array travels as its dtype, shape and raw C-order bytes (base64):
``{"__ndarray__": {"dtype": "<f8", "shape": [3, 4], "data": "..."}}``; a NumPy scalar the same
way under ``"__npscalar__"`` with shape ``[]``. The dtype must be one of a fixed list of
numbers (bool, integers, floats), and the data exactly as long as dtype and shape say, checked
before anything is allocated.

A long list of Python floats, or of equal-length tuples (or lists) of Python floats, such as
ex05's training samples, travels the same way as raw float64 bytes and arrives as exactly that
list again: ``{"__floats__": {"shape": [5000, 3], "rows": "tuple", "data": "..."}}``.
"""

from __future__ import annotations

import array
import base64
import json
import re
import sys

MAX_DEPTH = 64
MAX_MESSAGE_BYTES = 64 << 20
"""A message line's size; arrays travel as base64 strings, so honest replies stay far below."""
MAX_ITEMS = 1_000_000
"""Values in one message, counted as commas, ``[`` and ``{`` before parsing: a parsed value
costs up to ~60 bytes, so 100 MB of ``[],`` would take gigabytes. Arrays are base64 strings
and count once."""
_LONE_SURROGATE = re.compile(rb"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_ARRAY_KINDS = "biuf"  # bool, signed, unsigned, float: what the contract's values can be
_DTYPES = re.compile(r"\|b1|[|<>][iu]1|[<>](?:[iu][248]|f(?:2|4|8|12|16))")
"""The ``dtype.str`` an array may arrive with: numbers only, never objects, records or text."""
MAX_DIMENSIONS = 64
"""NumPy's own limit (32 before NumPy 2)."""
_ARRAY_KEYS = frozenset(("dtype", "shape", "data"))
PACKED_FLOATS = 64
"""Lists of floats at least this long travel as raw bytes (shorter ones are not worth it)."""
_ROWS = {"tuple": tuple, "list": list}
_TAGS = ("__tuple__", "__dict__", "__ndarray__", "__npscalar__", "__floats__")
_PLAIN = frozenset((type(None), bool, int, float, str))
"""Types that are their own JSON data, both ways (exactly these types: not subclasses)."""


class WireError(ValueError):
    """A value cannot be encoded, or a message is not in the wire format."""


def encode(value: object, _depth: int = 0) -> object:
    """Turn a value into JSON-ready data. Raises WireError naming an unsupported type."""
    if _depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:  # the common containers first, subclasses below
        return _packed(value) or _encode_items(value, _depth)
    if kind is tuple:
        return {"__tuple__": _encode_items(value, _depth)}
    np = sys.modules.get("numpy")  # no NumPy loaded: no NumPy values to encode
    if np is not None and isinstance(value, np.generic):
        return {"__npscalar__": _raw(np.asarray(value))}
    if np is not None and isinstance(value, np.ndarray):
        return {"__ndarray__": _raw(np.ndarray.view(value, np.ndarray))}
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, tuple):
        return {"__tuple__": _encode_items(value, _depth)}
    if isinstance(value, list):
        return _encode_items(value, _depth)
    if isinstance(value, dict):
        if not all(type(k) is str for k in value):
            raise WireError("a dict whose keys are not all strings")
        return {"__dict__": {k: encode(v, _depth + 1) for k, v in value.items()}}
    raise WireError(f"a value of type {type(value).__name__}")


def _encode_items(values, depth: int) -> list:
    return [v if type(v) in _PLAIN else encode(v, depth + 1) for v in values]


def _packed(values: list) -> dict | None:
    """A long list of floats, or of equal-length tuples or lists of floats, as raw bytes
    (None: not such a list). Exactly these types: a subclass is encoded as usual."""
    if len(values) < PACKED_FLOATS:
        return None
    rows = type(values[0])
    if rows is float:
        shape, flat = [len(values)], values
    elif rows in (tuple, list) and values[0] \
            and all(type(row) is rows and len(row) == len(values[0]) for row in values):
        shape, flat = [len(values), len(values[0])], [v for row in values for v in row]
    else:
        return None
    if set(map(type, flat)) != {float}:
        return None
    data = array.array("d", flat)
    if sys.byteorder == "big":
        data.byteswap()
    body = {"shape": shape, "data": base64.b64encode(data.tobytes()).decode("ascii")}
    if len(shape) == 2:
        body["rows"] = rows.__name__
    return {"__floats__": body}


def _unpacked(body: dict) -> list:
    """The list ``_packed`` sent, checking the data's length before anything is allocated."""
    shape, data, rows = body.get("shape"), body.get("data"), body.get("rows")
    if not (type(shape) is list and 1 <= len(shape) <= 2
            and all(type(n) is int and n > 0 for n in shape)
            and body.keys() == ({"shape", "data", "rows"} if len(shape) == 2
                                else {"shape", "data"})
            and (len(shape) == 1 or rows in _ROWS)):
        raise WireError("packed floats must be given as a shape of 1 or 2 sizes, data and rows")
    count = shape[0] * (shape[1] if len(shape) == 2 else 1)
    if type(data) is not str or len(data) % 4 or \
            count * 8 != len(data) // 4 * 3 - data[-2:].count("="):
        raise WireError(f"packed floats that promise shape {tuple(shape)}, not their data")
    values = array.array("d")
    try:
        values.frombytes(base64.b64decode(data, validate=True))
    except ValueError as exc:
        raise WireError(f"malformed float data ({exc.__class__.__name__})") from None
    if sys.byteorder == "big":
        values.byteswap()
    flat = values.tolist()
    if len(shape) == 1:
        return flat
    return list(map(_ROWS[rows], zip(*[iter(flat)] * shape[1])))


def decode(data: object, _depth: int = 0) -> object:
    """Turn JSON data from the other side back into values, accepting nothing else."""
    if _depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if type(data) in _PLAIN:
        return data
    if type(data) is list:
        return [v if type(v) in _PLAIN else decode(v, _depth + 1) for v in data]
    if type(data) is dict and len(data) == 1:
        (tag, body), = data.items()
        if tag == "__tuple__" and type(body) is list:
            return tuple([v if type(v) in _PLAIN else decode(v, _depth + 1) for v in body])
        if tag == "__dict__" and type(body) is dict:
            return {str(k): decode(v, _depth + 1) for k, v in body.items()}
        if tag == "__ndarray__" and type(body) is dict:
            return _from_raw(body)
        if tag == "__floats__" and type(body) is dict:
            return _unpacked(body)
        if tag == "__npscalar__" and type(body) is dict:
            array = _from_raw(body)
            if array.ndim != 0:
                raise WireError("a NumPy scalar must be 0-dimensional")
            return array[()]
    raise WireError(f"unexpected data {str(data)[:60]!r}")


def dumps(message: dict) -> bytes:
    """One message as a line of UTF-8 JSON (NaN and infinities allowed)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def loads(line: bytes) -> dict:
    """Parse one message line. Raises WireError if it is not a JSON object.

    Refused before parsing: more than ``MAX_MESSAGE_BYTES``, more than ``MAX_ITEMS``
    values, and ``\\uD800``-style surrogate escapes (this encoder never writes them; decoded
    they are text that cannot be written as UTF-8). Integers beyond Python's 4,300-digit limit
    are refused by the parser.
    """
    if len(line) > MAX_MESSAGE_BYTES:
        raise WireError(f"a message of {len(line)} bytes (at most {MAX_MESSAGE_BYTES})")
    if line.count(b",") + line.count(b"[") + line.count(b"{") > MAX_ITEMS:
        raise WireError(f"more than {MAX_ITEMS} values in one message")
    if b"\\u" in line and _LONE_SURROGATE.search(line):  # base64 arrays hold no backslash
        raise WireError("a \\uD800-style surrogate escape (not text)")
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError also covers integers of more than 4,300 digits (int_max_str_digits).
        raise WireError(f"not a JSON message ({exc.__class__.__name__})") from None
    if type(message) is not dict:
        raise WireError("a message must be a JSON object")
    return message


def _raw(array) -> dict:
    """An array (a base-class ndarray: no subclass's methods run) as dtype, shape and bytes."""
    dtype = array.dtype
    if dtype.kind not in _ARRAY_KINDS or not _DTYPES.fullmatch(dtype.str):
        raise WireError(f"a NumPy array of dtype {dtype}")
    return {"dtype": dtype.str, "shape": list(array.shape),
            "data": base64.b64encode(array.tobytes()).decode("ascii")}


def _from_raw(body: dict):
    """An array from dtype, shape and data, checking that the data is exactly as large as dtype
    and shape say before anything is allocated (a forged shape would otherwise cost its size:
    8 TiB for a few bytes)."""
    import numpy as np

    if body.keys() != _ARRAY_KEYS:
        raise WireError("an array must be given as dtype, shape and data")
    dtype, shape, data = body["dtype"], body["shape"], body["data"]
    if type(dtype) is not str or not _DTYPES.fullmatch(dtype):
        raise WireError(f"an array of dtype {str(dtype)[:20]!r} (numbers only)")
    if (type(shape) is not list or len(shape) > MAX_DIMENSIONS
            or not all(type(n) is int and n >= 0 for n in shape)):
        raise WireError("an array shape must be a list of at most "
                        f"{MAX_DIMENSIONS} sizes (whole numbers, 0 or more)")
    if type(data) is not str or len(data) % 4:
        raise WireError("array data must be base64 text")
    dtype = np.dtype(dtype)
    count = 1
    for size in shape:
        count *= size
    if count * dtype.itemsize != len(data) // 4 * 3 - data[-2:].count("="):
        raise WireError(f"an array that promises shape {tuple(shape[:8])}, not its data")
    try:
        flat = np.frombuffer(base64.b64decode(data, validate=True), dtype=dtype).copy()
        if dtype.kind == "b":  # only 0 and 1 are booleans
            flat = flat.view(np.uint8) != 0
        return flat.reshape(shape)
    except (ValueError, OverflowError, MemoryError) as exc:
        raise WireError(f"malformed array data ({exc.__class__.__name__})") from None

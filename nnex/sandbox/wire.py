"""The wire format between grader and worker: one JSON object per line, arrays as .npy bytes.

This module is imported on both sides of the process boundary, so it uses only the standard
library and NumPy. The worker encodes whatever student code returned; the grader decodes it
strictly into plain Python and NumPy values (``allow_pickle=False``, no other object types), so
an object that claims to equal everything arrives as a plain number. Never pickle.
"""

from __future__ import annotations

import base64
import io
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
_TAGS = ("__tuple__", "__dict__", "__ndarray__", "__npscalar__")


class WireError(ValueError):
    """A value cannot be encoded, or a message is not in the wire format."""


def encode(value: object, _depth: int = 0) -> object:
    """Turn a value into JSON-ready data. Raises WireError naming an unsupported type."""
    if _depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if value is None or type(value) in (bool, str):
        return value
    np = sys.modules.get("numpy")  # no NumPy loaded: no NumPy values to encode
    if np is not None and isinstance(value, np.generic):
        return {"__npscalar__": _npy(np.asarray(value))}
    if np is not None and isinstance(value, np.ndarray):
        return {"__ndarray__": _npy(np.array(value, subok=False))}
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, _depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, _depth + 1) for v in value]
    if isinstance(value, dict):
        if not all(type(k) is str for k in value):
            raise WireError("a dict whose keys are not all strings")
        return {"__dict__": {k: encode(v, _depth + 1) for k, v in value.items()}}
    raise WireError(f"a value of type {type(value).__name__}")


def decode(data: object, _depth: int = 0) -> object:
    """Turn JSON data from the other side back into values, accepting nothing else."""
    if _depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(v, _depth + 1) for v in data]
    if type(data) is dict and len(data) == 1:
        (tag, body), = data.items()
        if tag == "__tuple__" and type(body) is list:
            return tuple(decode(v, _depth + 1) for v in body)
        if tag == "__dict__" and type(body) is dict:
            return {str(k): decode(v, _depth + 1) for k, v in body.items()}
        if tag == "__ndarray__" and type(body) is str:
            return _from_npy(body)
        if tag == "__npscalar__" and type(body) is str:
            array = _from_npy(body)
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


def _npy(array) -> str:
    import numpy as np

    if array.dtype.kind not in _ARRAY_KINDS:
        raise WireError(f"a NumPy array of dtype {array.dtype}")
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _from_npy(text: str):
    try:
        return _read_npy(base64.b64decode(text, validate=True))
    except WireError:
        raise
    except (ValueError, OSError, EOFError, MemoryError) as exc:
        raise WireError(f"malformed array data ({exc.__class__.__name__})") from None


def _read_npy(data: bytes):
    """An array from .npy bytes, checking that the data is as large as the header says before
    anything is allocated (a forged shape would otherwise cost its size: 8 TiB for a few bytes
    of header). The header is parsed once; the array is built straight from the bytes."""
    import numpy as np
    from numpy.lib import format as npy

    stream = io.BytesIO(data)
    version = npy.read_magic(stream)
    if version == (1, 0):
        shape, fortran_order, dtype = npy.read_array_header_1_0(stream)
    elif version == (2, 0):
        shape, fortran_order, dtype = npy.read_array_header_2_0(stream)
    else:
        raise WireError(f"an array in .npy format version {version}")
    if dtype.kind not in _ARRAY_KINDS or dtype.hasobject:
        raise WireError("arrays must hold numbers")
    count = 1
    for size in shape:
        count *= size
    offset = stream.tell()
    if count * dtype.itemsize != len(data) - offset:
        raise WireError(f"an array header that promises shape {shape[:8]}, not its data")
    flat = np.frombuffer(data, dtype=dtype, count=count, offset=offset).copy()
    if fortran_order:
        return flat.reshape(shape[::-1]).transpose()
    return flat.reshape(shape)

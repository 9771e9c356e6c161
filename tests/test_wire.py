"""The wire format: values make the round trip exactly; hostile or broken payloads are refused
with a WireError before anything large is allocated."""

from __future__ import annotations

import base64
import json
import resource

import numpy as np
import pytest

from nnex.sandbox import wire


def _round_trip(value):
    return wire.decode(wire.loads(wire.dumps({"value": wire.encode(value)}))["value"])


@pytest.mark.parametrize("array", [
    np.arange(12.0).reshape(3, 4) - 6,
    np.arange(6).reshape(2, 3).T,  # not C-contiguous
    np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.array([True, False, True]),
    np.arange(5, dtype=np.uint8),
    np.arange(4, dtype=np.int16).reshape(2, 2),
    np.zeros(3, dtype=">f8"),
    np.array([np.nan, np.inf, -0.0], dtype=np.float32),
    np.zeros((0, 5)),
    np.zeros((2, 0, 3), dtype=np.float16),
    np.array(2.5),
], ids=lambda a: f"{a.dtype.str}{a.shape}")
def test_arrays_arrive_with_their_dtype_shape_and_values(array):
    got = _round_trip(array)
    assert type(got) is np.ndarray and got.dtype == array.dtype and got.shape == array.shape
    assert np.array_equal(got, array, equal_nan=array.dtype.kind == "f")
    assert got.flags.writeable and got.flags.c_contiguous


@pytest.mark.parametrize("scalar", [np.float64(-1.5), np.float32(0.25), np.int8(-3),
                                    np.uint64(2**64 - 1), np.bool_(True)])
def test_numpy_scalars_arrive_as_numpy_scalars(scalar):
    got = _round_trip(scalar)
    assert type(got) is type(scalar) and got == scalar


def test_nested_values_keep_their_types():
    value = {"w1": np.ones((2, 2)), "samples": [(0.5, -1.0, 1.0)] * 3, "b2": 0.0,
             "n": [1, True, None, "x", (np.int64(2),)]}
    got = _round_trip(value)
    assert got.keys() == value.keys() and got["samples"] == value["samples"]
    assert type(got["samples"][0]) is tuple and type(got["n"][4][0]) is np.int64
    assert got["n"][:4] == [1, True, None, "x"] and type(got["n"][1]) is bool


def test_an_array_subclass_arrives_as_a_plain_array_without_its_methods_running():
    class Liar(np.ndarray):
        def tobytes(self, *args, **kwargs):
            raise AssertionError("a subclass's method ran")

        def __eq__(self, other):
            return True

    got = _round_trip(np.arange(3.0).view(Liar))
    assert type(got) is np.ndarray and got.tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("value", [np.array([object()]), np.array([1 + 2j]),
                                   np.array(["text"]), np.zeros(2, dtype=[("a", "<f8")]),
                                   np.array([1], dtype="datetime64[s]")],
                         ids=["object", "complex", "text", "record", "datetime"])
def test_arrays_that_are_not_numbers_are_not_encoded(value):
    with pytest.raises(wire.WireError, match="dtype"):
        wire.encode(value)


def _array(dtype="<f8", shape=(2,), data: bytes | str = bytes(16), **extra) -> dict:
    if isinstance(data, bytes):
        data = base64.b64encode(data).decode()
    return {"__ndarray__": {"dtype": dtype, "shape": list(shape), "data": data, **extra}}


@pytest.mark.parametrize("data, reason", [
    (_array(data=bytes(8)), "promises shape"),  # too short
    (_array(data=bytes(24)), "promises shape"),  # too long
    (_array(shape=(1 << 40,), data=b""), "promises shape"),  # 8 TiB from nothing
    (_array(shape=(1 << 62, 1 << 62, 0), data=b""), "malformed array data"),
    (_array(shape=(2, -1)), "sizes"),
    (_array(shape=(2.0,)), "sizes"),
    (_array(shape=(True, 2)), "sizes"),
    (_array(shape=(1,) * 65, data=bytes(8)), "sizes"),
    (_array(dtype="|O"), "dtype"),
    (_array(dtype="|O8"), "dtype"),
    (_array(dtype="<c16", shape=(1,)), "dtype"),
    (_array(dtype="|V16", shape=(1,)), "dtype"),
    (_array(dtype="[('a', 'O')]"), "dtype"),
    (_array(dtype="<U2"), "dtype"),
    (_array(dtype="<f8 "), "dtype"),
    (_array(dtype=["<f8"]), "dtype"),
    (_array(data="*" * 22 + "=="), "malformed array data"),
    (_array(data="AAA"), "base64"),
    (_array(data=16), "base64"),
    (_array(extra="x"), "dtype, shape and data"),
    ({"__ndarray__": {"dtype": "<f8", "shape": [1]}}, "dtype, shape and data"),
    ({"__ndarray__": "k05VTVBZ"}, "unexpected data"),  # the old .npy form
    ({"__npscalar__": _array()["__ndarray__"]}, "0-dimensional"),
], ids=["short", "long", "8TiB", "overflowing_shape", "negative_size", "float_size",
        "bool_size", "65_dimensions", "object", "object8", "complex", "void", "record",
        "text", "dtype_with_space", "dtype_not_text", "not_base64", "base64_unpadded",
        "data_not_text", "extra_key", "missing_key", "npy_text", "scalar_not_0d"])
def test_hostile_array_payloads_are_refused_before_allocating(data, reason):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(wire.WireError, match=reason):
        wire.decode(data)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 << 10  # KiB


def test_booleans_other_than_0_and_1_arrive_as_true():
    got = wire.decode(_array(dtype="|b1", shape=(3,), data=bytes([0, 2, 255])))
    assert got.dtype == bool and got.view(np.uint8).tolist() == [0, 1, 1]


@pytest.mark.parametrize("value", [
    [float(i) / 7 for i in range(100)],
    [(0.5 * i, -1.0, float("nan") if i == 3 else 1.0) for i in range(wire.PACKED_FLOATS)],
    [[1e308, -0.0, float("inf"), 5e-324] for _ in range(70)],
], ids=["floats", "tuples", "lists"])
def test_long_lists_of_floats_travel_as_raw_bytes_and_arrive_the_same(value):
    encoded = wire.encode(value)
    assert "__floats__" in encoded
    got = _round_trip(value)
    assert type(got) is list and len(got) == len(value)
    for row, sent in zip(got, value):
        assert type(row) is type(sent)
        if isinstance(sent, float):
            row, sent = [row], [sent]
        assert all(type(v) is float for v in row)
        assert [repr(v) for v in row] == [repr(v) for v in sent]  # -0.0 and nan too


class _Float(float):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [
    [1.0] * (wire.PACKED_FLOATS - 1),  # short
    [1.0] * 99 + [1],  # an int among them
    [1.0] * 99 + [True],
    [(1.0, 2.0)] * 99 + [(1.0,)],  # rows of different lengths
    [(1.0, 2.0)] * 99 + [[1.0, 2.0]],  # a list among tuples
    [()] * 100,
    [1.0] * 99 + [_Float(2.0)],  # a subclass
], ids=["short", "int", "bool", "ragged", "mixed_rows", "empty_rows", "float_subclass"])
def test_other_lists_keep_their_exact_types(value):
    assert "__floats__" not in json.dumps(wire.encode(value))
    got = _round_trip(value)
    assert [type(v) for v in got] == [float if type(v) is _Float else type(v) for v in value]
    assert got == [float(v) if type(v) is _Float else v for v in value]


def _floats(shape=(2,), data: bytes | str = bytes(16), **body) -> dict:
    if isinstance(data, bytes):
        data = base64.b64encode(data).decode()
    return {"__floats__": {"shape": list(shape), "data": data, **body}}


@pytest.mark.parametrize("data, reason", [
    (_floats(data=bytes(8)), "promise shape"),
    (_floats(shape=(1 << 40,), data=b""), "promise shape"),
    (_floats(shape=(1 << 20, 1 << 20), rows="tuple", data=bytes(8)), "promise shape"),
    (_floats(shape=(2, 0), rows="tuple", data=b""), "shape of 1 or 2"),
    (_floats(shape=(0,), data=b""), "shape of 1 or 2"),
    (_floats(shape=(1, 1, 2)), "shape of 1 or 2"),
    (_floats(shape=(2, 1)), "shape of 1 or 2"),  # rows missing
    (_floats(shape=(2, 1), rows="set"), "shape of 1 or 2"),
    (_floats(rows="tuple"), "shape of 1 or 2"),  # rows for a flat list
    (_floats(shape=(2.0,)), "shape of 1 or 2"),
    (_floats(extra=1), "shape of 1 or 2"),
    (_floats(data="*" * 22 + "=="), "malformed float data"),
    (_floats(data=7), "promise shape"),
], ids=["short", "8TiB", "rows_8TiB", "zero_width", "empty", "three_dims", "rows_missing",
        "rows_not_a_sequence", "rows_on_flat", "float_size", "extra_key", "not_base64",
        "data_not_text"])
def test_hostile_packed_floats_are_refused_before_allocating(data, reason):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(wire.WireError, match=reason):
        wire.decode(data)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 << 10  # KiB

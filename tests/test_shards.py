"""Sharding: a stable, name-based split of a class into N parts."""

from __future__ import annotations

import pytest

from nnex.errors import UsageError
from nnex.classgrade.shards import Shard, parse_shard, shard_number

NAMES = [f"student{n:03d}" for n in range(300)] + ["山田_太郎", "-k_suzuki", "sato hanako"]


@pytest.mark.parametrize("text, shard", [("1/4", Shard(1, 4)), ("4/4", Shard(4, 4)),
                                         (" 2 / 3 ", Shard(2, 3)), ("1/1", Shard(1, 1))])
def test_parse_shard_accepts_k_of_n(text, shard):
    assert parse_shard(text) == shard
    assert str(shard) == text.replace(" ", "")


@pytest.mark.parametrize("text, message", [
    ("0/4", "--shard '0/4': K must be between 1 and N (e.g. 1/4 … 4/4)"),
    ("5/4", "--shard '5/4': K must be between 1 and N (e.g. 1/4 … 4/4)"),
    ("1/0", "--shard '1/0': K must be between 1 and N (e.g. 1/4 … 4/4)"),
    ("2", "--shard '2' is not of the form K/N (e.g. 1/4 for the first of four shards)"),
    ("a/b", "--shard 'a/b' is not of the form K/N (e.g. 1/4 for the first of four shards)"),
    ("-1/4", "--shard '-1/4' is not of the form K/N (e.g. 1/4 for the first of four shards)"),
])
def test_parse_shard_rejects_bad_values(text, message):
    with pytest.raises(UsageError) as caught:
        parse_shard(text)
    assert str(caught.value) == message


def test_every_student_is_in_exactly_one_shard():
    for count in (1, 2, 3, 7):
        shards = [Shard(k, count) for k in range(1, count + 1)]
        for name in NAMES:
            assert sum(shard.holds(name) for shard in shards) == 1


def test_shards_are_roughly_even():
    sizes = [sum(Shard(k, 4).holds(name) for name in NAMES) for k in range(1, 5)]
    assert sum(sizes) == len(NAMES)
    assert min(sizes) >= len(NAMES) / 4 * 0.7, sizes


def test_a_students_shard_depends_on_their_name_only():
    before = {name: shard_number(name, 5) for name in NAMES}
    # Adding students (sorting before everyone else) moves nobody.
    after = {name: shard_number(name, 5) for name in ["aaa_new", "000", *NAMES]}
    assert all(after[name] == before[name] for name in NAMES)
    # And the split is fixed forever (other machines, other Python versions): pinned values.
    pinned = ("山田_太郎", "-k_suzuki", "sato hanako", "student000")
    assert [shard_number(name, 5) for name in pinned] == [3, 2, 1, 1]

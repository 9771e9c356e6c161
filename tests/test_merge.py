"""Sharded grading: the merged shards are the unsharded class; bad sets of shards are refused."""

from __future__ import annotations

import json
import shutil

import pytest

from nnex.errors import UsageError
from nnex.classgrade.grade import grade_class
from nnex.classgrade.merge import merge_outputs
from nnex.classgrade.shards import Shard
from tests.engine_classes import (ENGINE_EXERCISES, build_class, gradebook_rows,
                                  without_timings)


@pytest.fixture(scope="module")
def sharded(tmp_path_factory, course):
    base = tmp_path_factory.mktemp("merge")
    root = build_class(course, base / "class", extra=5)
    shards = []
    for k in (1, 2, 3):
        result = grade_class(root, base / f"shard{k}", exercise_ids=ENGINE_EXERCISES, workers=1,
                             shard=Shard(k, 3))
        assert result.submissions, f"shard {k}/3 is empty: the comparison would prove little"
        shards.append(base / f"shard{k}")
    whole = grade_class(root, base / "whole", exercise_ids=ENGINE_EXERCISES, workers=2)
    return root, shards, base / "whole", whole


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_merged_shards_equal_the_unsharded_run(sharded, tmp_path):
    root, shards, whole, whole_result = sharded
    merged = merge_outputs(list(reversed(shards)), tmp_path / "merged")
    out = tmp_path / "merged"
    assert merged.shards == ["1/3", "2/3", "3/3"]
    assert [r.student for r in merged.submissions] == [r.student for r in whole_result.submissions]
    assert (out / "grades.csv").read_bytes() == (whole / "grades.csv").read_bytes()
    assert without_timings((out / "scores.csv").read_text(encoding="utf-8")) == \
        without_timings((whole / "scores.csv").read_text(encoding="utf-8"))
    assert _files(out / "feedback") == _files(whole / "feedback")
    assert sorted(_files(out / "results")) == sorted(_files(whole / "results"))
    assert gradebook_rows(out / "gradebook.sqlite") == gradebook_rows(whole / "gradebook.sqlite")
    manifest = json.loads((out / "nnex-run.json").read_text(encoding="utf-8"))
    assert manifest["shard"] is None and manifest["merged_from"] == ["1/3", "2/3", "3/3"]

    # The merged folder is a whole class's output: grading into it again reuses everything.
    again = grade_class(root, out, exercise_ids=ENGINE_EXERCISES, workers=1)
    assert again.graded == [] and len(again.reused) == len(whole_result.submissions)


def _copy(folder, target, **manifest_changes):
    shutil.copytree(folder, target)
    path = target / "nnex-run.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(manifest_changes)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return target


def _refused(inputs, out) -> str:
    with pytest.raises(UsageError) as caught:
        merge_outputs(inputs, out)
    assert not out.exists(), "a refused merge must write nothing"
    return str(caught.value)


def test_overlapping_incomplete_or_foreign_shards_are_refused(sharded, tmp_path):
    root, (s1, s2, s3), whole, _ = sharded
    out = tmp_path / "merged"
    assert _refused([s1, s2, s1, s3], out) == f"{s1} and {s1} both hold shard 1/3; pass each " \
                                              "shard once"
    assert _refused([s1, s3], out) == "shard 2/3 missing; pass the output folders of all 3 shards"
    assert _refused([s1, whole], out) == (f"{whole} holds a whole class, not a shard; nnex merge "
                                          "combines the folders written by nnex grade --shard K/N")
    assert _refused([s1, root], out) == (
        f"{root} holds no nnex-run.json: it is not an output folder of nnex grade (or grading "
        "it did not finish; run it again)")
    other_split = _copy(s2, tmp_path / "other_split", shard="2/4")
    assert _refused([s1, other_split, s3], out) == (
        f"{s1} is shard 1/3 but {other_split} is shard 2/4; merge the shards of one split")
    other_grader = _copy(s2, tmp_path / "other_grader", grader_version="0" * 32)
    assert _refused([s1, other_grader, s3], out) == (
        f"{s1} and {other_grader} were graded by different graders (nnex or course versions "
        "differ); grade every shard with the same installation")
    other_class = _copy(s2, tmp_path / "other_class", roster="1" * 32)
    assert _refused([s1, other_class, s3], out) == (
        f"{s1} and {other_class} were graded from different class lists; grade every shard "
        "from the same submissions folder")
    exercises = json.loads((s2 / "nnex-run.json").read_text(encoding="utf-8"))["exercises"]
    more = _copy(s2, tmp_path / "more", exercises=[*exercises, "ex99_extra"])
    assert _refused([s1, more, s3], out) == (
        f"{s1} graded {', '.join(exercises)} but {more} graded {', '.join(exercises)}, "
        "ex99_extra; grade every shard with the same --exercise options")
    overlapping = _copy(s2, tmp_path / "overlapping")
    manifest = json.loads((overlapping / "nnex-run.json").read_text(encoding="utf-8"))
    stolen = json.loads((s1 / "nnex-run.json").read_text(encoding="utf-8"))["students"][0]
    manifest["students"].append(stolen)
    (overlapping / "nnex-run.json").write_text(json.dumps(manifest), encoding="utf-8")
    shutil.copy(s1 / "results" / f"{stolen}.json", overlapping / "results")
    assert _refused([s1, overlapping, s3], out) == (
        f"student '{stolen}' is in more than one shard folder (again in {overlapping}); the "
        "shards overlap")
    torn = _copy(s3, tmp_path / "torn")
    victim = json.loads((torn / "nnex-run.json").read_text(encoding="utf-8"))["students"][-1]
    (torn / "results" / f"{victim}.json").unlink()
    assert _refused([s1, s2, torn], out) == (
        f"{torn / 'results' / (victim + '.json')} is missing or unreadable; grade shard 3/3 again")
    assert _refused([s1, s2, s3], s2 / "merged") == (
        f"--out {s2 / 'merged'} is inside the shard folder {s2}; choose a folder of its own for "
        "the merged class")

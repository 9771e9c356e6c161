"""exercise.yaml: every shipped file loads; malformed ones get one message naming file and key."""

from __future__ import annotations

import shutil

import pytest
import yaml

from nnex.errors import MetadataError
from nnex.course.metadata import SCHEMA_VERSION, load_exercise


@pytest.fixture
def exercise_yaml(tmp_path, course):
    folder = tmp_path / "ex01_relu"
    folder.mkdir()
    shutil.copyfile(course.exercises_dir / "ex01_relu" / "exercise.yaml", folder / "exercise.yaml")
    return folder / "exercise.yaml"


def _edit(path, change):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


def _error(path) -> str:
    with pytest.raises(MetadataError) as raised:
        load_exercise(path)
    return str(raised.value)


def test_every_shipped_exercise_loads(course):
    for exercise_id in course.exercise_ids():
        meta = course.exercise(exercise_id)
        assert meta.max_score > 0 and meta.provides and meta.title.ja and meta.title.en


def test_unknown_key_is_named_with_the_closest_known_one(exercise_yaml):
    _edit(exercise_yaml, lambda raw: raw["checks"]["relu_lecture"].update(ponits=1))
    assert _error(exercise_yaml) == (f"{exercise_yaml}: unknown key 'checks.relu_lecture.ponits'"
                                     " — did you mean 'points'?")


def test_missing_key(exercise_yaml):
    _edit(exercise_yaml, lambda raw: raw.pop("time_limit"))
    assert _error(exercise_yaml).endswith("missing key 'time_limit'")


@pytest.mark.parametrize("version, words", [
    (None, "missing 'schema_version'"), (SCHEMA_VERSION - 1, "too old"),
    (SCHEMA_VERSION + 1, "upgrade nnex"), ("1", "whole number")])
def test_schema_version_errors_are_distinct(exercise_yaml, version, words):
    def change(raw):
        if version is None:
            raw.pop("schema_version")
        else:
            raw["schema_version"] = version
    _edit(exercise_yaml, change)
    assert words in _error(exercise_yaml)


def test_not_yaml_and_wrong_values(exercise_yaml):
    exercise_yaml.write_text("checks: [unclosed", encoding="utf-8")
    assert "not valid UTF-8 YAML" in _error(exercise_yaml)
    exercise_yaml.write_text("- a list", encoding="utf-8")
    assert "must be a YAML mapping" in _error(exercise_yaml)


def test_points_must_be_positive_and_id_must_match_folder(tmp_path, exercise_yaml):
    text = exercise_yaml.read_text(encoding="utf-8")
    _edit(exercise_yaml, lambda raw: raw["checks"]["relu_lecture"].update(points=0))
    assert "'checks.relu_lecture.points' must be a positive number" in _error(exercise_yaml)
    exercise_yaml.write_text(text, encoding="utf-8")
    _edit(exercise_yaml, lambda raw: raw.update(id="ex02_neuron"))
    assert "must equal its folder name 'ex01_relu'" in _error(exercise_yaml)

"""Gradescope results.json: valid against the specification, visibility, and what students see."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from nnex.render.gradescope import HIDDEN_VISIBILITY, gradescope_results
from tests.expected_files import assert_matches_expected
from tests.samples import GRADER_FAULT, sample_class

SCHEMA = json.loads(Path(__file__).with_name("gradescope_results.schema.json").read_text())


def student(name: str):
    return next(r for r in sample_class() if r.student == name)


@pytest.mark.parametrize("instructor", [False, True])
@pytest.mark.parametrize("result", sample_class(), ids=lambda r: r.student)
def test_every_result_is_valid_results_json(result, instructor):
    data = json.loads(json.dumps(gradescope_results(result, show_hidden_values=instructor)))
    jsonschema.validate(data, SCHEMA)
    assert data["score"] == result.score == sum(t["score"] for t in data["tests"])
    assert sum(t["max_score"] for t in data["tests"]) == result.max_score


@pytest.mark.parametrize(("change", "where"), [
    ({"visibility": "secret"}, "test"), ({"status": "error"}, "test"),
    ({"score": -1}, "test"), ({"output_format": "rtf"}, "top"), ({"tests": {}}, "top"),
])
def test_the_schema_rejects_what_gradescope_would(change, where):
    data = gradescope_results(student("abe"))
    (data["tests"][0] if where == "test" else data).update(change)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_matches_expected():
    text = json.dumps(gradescope_results(student("abe")), ensure_ascii=False, indent=1) + "\n"
    assert_matches_expected("gradescope_abe.json", text)


def test_public_checks_are_visible_and_hidden_ones_wait_for_publishing():
    tests = gradescope_results(student("abe"))["tests"]
    by_check = {t["extra_data"]["check"]: t for t in tests}
    assert by_check["relu_lecture"]["visibility"] == "visible"
    assert by_check["relu_random"]["visibility"] == HIDDEN_VISIBILITY == "after_published"
    assert [t["status"] for t in tests[:3]] == ["failed", "passed", "failed"]
    assert [t["number"] for t in tests] == ["1.1", "1.2", "1.3", "2.1", "2.2"]


def test_hidden_check_output_names_no_input_unless_instructor():
    hidden = gradescope_results(student("abe"))["tests"][2]
    assert "relu(array of shape (4, 3))" not in hidden["output"]
    assert "期待 / expected" not in hidden["output"]
    assert "ヒント: ReLU は負の入力を 0 にします" in hidden["output"]
    assert "Hint: ReLU turns negative inputs into 0" in hidden["output"]
    instructor = gradescope_results(student("abe"), show_hidden_values=True)["tests"][2]
    assert "relu(array of shape (4, 3))" in instructor["output"]


def test_grader_error_says_not_your_fault_and_keeps_the_trace_from_students():
    data = gradescope_results(student("kato"))
    failed = next(t for t in data["tests"] if t["extra_data"].get("outcome") == "grader_error")
    assert GRADER_FAULT.ja in failed["output"] and GRADER_FAULT.en in failed["output"]
    assert "numpy" not in failed["output"]
    assert "あなたのせいではありません" in data["output"]
    trace = data["tests"][-1]
    assert (trace["visibility"], trace["max_score"]) == ("hidden", 0.0)
    assert "AttributeError: module 'numpy' has no attribute 'float'" in trace["output"]


@pytest.mark.parametrize("result", sample_class(), ids=lambda r: r.student)
def test_always_visible_summary_counts_only_visible_checks(result):
    """The top-level output is shown at once: its points must be the visible tests' points."""
    data = gradescope_results(result)
    visible = [t for t in data["tests"] if t["visibility"] == "visible"]
    lines = data["output"].splitlines()
    earned, possible = (sum(t[key] for t in visible) for key in ("score", "max_score"))
    assert lines[0] == f"公開チェックの合計 / Public checks: {earned:g} / {possible:g}"
    for exercise in result.exercises:
        mine = [t for t in visible if t["extra_data"]["exercise"] == exercise.exercise]
        assert (f"{exercise.exercise}: {sum(t['score'] for t in mine):g} / "
                f"{sum(t['max_score'] for t in mine):g}") in lines
    assert "Hidden checks are graded too; their points appear when grades are published." in lines


def test_unloadable_exercise_is_explained_in_the_summary():
    data = gradescope_results(student("江藤"))
    assert "ex01_relu: 0 / 2\n  ex01_relu.py の 3 行目に文法エラー" in data["output"]
    stub_tests = [t for t in data["tests"] if t["extra_data"]["exercise"] == "ex02_neuron"]
    assert all("まだスタブのままです" in t["output"] for t in stub_tests)


def test_every_output_is_plain_text():
    data = gradescope_results(student("<script>alert(\"name\")</script>"))
    formats = {data["output_format"], data["test_output_format"], data["test_name_format"],
               *(t["output_format"] for t in data["tests"])}
    assert formats == {"text"}

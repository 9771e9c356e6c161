"""GitHub Classroom: the workflow in the kit and the results ``nnex check --format github`` prints."""

from __future__ import annotations

import base64
import json

import jsonschema
import yaml

from nnex.classroom import JOB_ID, REPORTER, WORKFLOW_NAME, WORKFLOW_PATH
from nnex.cli import main
from nnex.release import release_kit

# The shape classroom-resources/autograding-grading-reporter reads (src/main.js,
# src/helpers/test-helpers.js): status decides pass/fail, max_score and tests[].score are summed.
RESULT_SCHEMA = {
    "type": "object",
    "required": ["version", "status", "max_score", "tests"],
    "properties": {
        "version": {"const": 1},
        "status": {"enum": ["pass", "fail", "error"]},
        "max_score": {"type": "number", "minimum": 0},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "status", "score", "message"],
            "properties": {"name": {"type": "string"}, "status": {"enum": ["pass", "fail", "error"]},
                           "score": {"type": "number", "minimum": 0},
                           "message": {"type": "string"}}}},
    },
}


def _github_result(folder, capsys) -> dict:
    assert main(["check", "ex01_relu", "--dir", str(folder), "--format", "github"]) == 0
    text = capsys.readouterr().out.strip()
    assert "\n" not in text
    payload = json.loads(base64.b64decode(text))
    jsonschema.validate(payload, RESULT_SCHEMA)
    return payload


def test_github_format_matches_the_text_report(tmp_path, course, capsys):
    source = course.solution_path("ex01_relu").read_text().replace(
        "return x if x > 0 else alpha * x", "return x if x > 0 else 0.01 * x")
    (tmp_path / "ex01_relu.py").write_text(source)
    payload = _github_result(tmp_path, capsys)
    assert main(["check", "ex01_relu", "--dir", str(tmp_path)]) == 1
    text = capsys.readouterr().out
    score = sum(t["score"] for t in payload["tests"])
    assert f"合計 / Total: {score:g} / {payload['max_score']:g}" in text
    assert payload["status"] == "fail" and (score, payload["max_score"]) == (4, 5)
    failed = [t for t in payload["tests"] if t["status"] == "fail"]
    assert len(failed) == 1 and "alpha" in failed[0]["message"]


def test_all_passing_is_pass(tmp_path, course, capsys):
    (tmp_path / "ex01_relu.py").write_text(course.solution_path("ex01_relu").read_text())
    payload = _github_result(tmp_path, capsys)
    assert payload["status"] == "pass" and sum(t["score"] for t in payload["tests"]) == 5


def test_student_output_cannot_inject_workflow_commands(tmp_path, capsys):
    (tmp_path / "ex01_relu.py").write_text(
        "def relu(x):\n    raise ValueError('\\n::error::owned\\n::add-mask::x')\n"
        "def leaky_relu(x, alpha=0.01):\n    raise ValueError('::set-env name=A::1')\n"
        "def sigmoid(x):\n    print('::warning::hi')\n    return 0\n")
    payload = _github_result(tmp_path, capsys)
    for test in payload["tests"]:
        for line in (test["name"] + "\n" + test["message"]).splitlines():
            assert not line.lstrip().startswith("::"), line


def test_release_writes_the_classroom_workflow(tmp_path, course):
    release_kit(tmp_path / "kit", course=course, github_classroom=True)
    document = yaml.safe_load((tmp_path / "kit" / WORKFLOW_PATH).read_text())
    assert document["name"] == WORKFLOW_NAME
    assert set(document["on"]) == {"push", "repository_dispatch"}
    assert list(document["jobs"]) == [JOB_ID]
    steps = document["jobs"][JOB_ID]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert any(s.get("run") == "pip install ./nnex-kit" for s in steps)
    graders = [s for s in steps if "id" in s]
    assert [s["name"] for s in graders] == course.exercise_ids()
    for step in graders:
        assert step["id"].isalnum()
        assert f"nnex check {step['name']} --format github" in step["run"]
        assert '>> "$GITHUB_OUTPUT"' in step["run"]
    reporter = steps[-1]
    assert reporter["uses"] == REPORTER
    assert reporter["with"]["runners"] == ",".join(s["id"] for s in graders)
    assert reporter["env"] == {f"{s['id'].upper()}_RESULTS": f"${{{{ steps.{s['id']}.outputs.result }}}}"
                               for s in graders}

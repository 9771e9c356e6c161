"""GitHub Classroom: the kit's workflow and the results ``nnex check --format github`` prints."""

from __future__ import annotations

import base64
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import jsonschema
import pytest
import yaml

from nnex.kit.classroom import JOB_ID, REPORTER, WORKFLOW_NAME, WORKFLOW_PATH, runner_id
from nnex.cli import main
from nnex.kit.release import release_kit

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
            "properties": {"name": {"type": "string"},
                           "status": {"enum": ["pass", "fail", "error"]},
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
    # The mapping form, which every actionlint release accepts (older ones reject
    # repository_dispatch in a list).
    assert document["on"] == {"push": None, "repository_dispatch": None}
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
    assert reporter["env"] == {
        f"{s['id'].upper()}_RESULTS": f"${{{{ steps.{s['id']}.outputs.result }}}}"
        for s in graders}


# --- What the student reads in the Actions log ------------------------------------------------
# Re-implemented from classroom-resources/autograding-grading-reporter, tag v1 (commit d13b591):
# src/console-results.js (the per-test lines and "Total points for"), src/aggregate-results.js
# (the table), src/helpers/test-helpers.js (getTestScore: passed tests / tests × max_score) and
# src/notify-classroom.js (the points Classroom records: the sum of the tests' scores). Colours
# are left out.


def _js_string(value: float) -> str:
    """JavaScript's String(number) for the values at hand (no exponents)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _js_to_fixed(value: float, digits: int) -> str:
    """Number.prototype.toFixed: the exact value, ties rounded up."""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _reporter(runner_results: list[tuple[str, dict]]) -> tuple[str, list[list[str]], tuple]:
    """The reporter's log text, its summary table rows and the points sent to Classroom."""
    log, rows = [], []
    for runner, results in runner_results:
        max_score = results["max_score"] or 0
        passed = sum(1 for t in results["tests"] if t["status"] == "pass")
        score = passed / len(results["tests"]) * max_score  # getTestScore
        log.append(f"🔄 Processing: {runner}")
        for test in results["tests"]:
            if test["status"] == "pass":
                log.append(f"✅ {test['name']}")
            elif test["status"] == "error":
                fallback = f"Failed to run test '{test['name']}'"
                log.append(f"Error: {test['message'] or fallback}\n")
            else:
                log.append(f"❌ {test['name']}")
            if test.get("test_code"):
                log.append(f"Test code:\n{test['test_code']}\n")
        if max_score != 0:
            log.append(f"Total points for {runner}: "
                       f"{_js_to_fixed(score, 2)}/{_js_string(max_score)}\n")
        rows.append([runner, _js_string(score), _js_string(max_score), score, max_score])
    rows.append(["Total: ", _js_string(sum(r[3] for r in rows)),
                 _js_string(sum(r[4] for r in rows))])
    scored = [r for _, r in runner_results if r["max_score"]]
    notified = (sum(t["score"] for r in scored for t in r["tests"]),
                sum(r["max_score"] for r in scored))
    return "\n".join(log), [row[:3] for row in rows], notified


def _wrong(exercise_id: str, name: str) -> str:
    from importlib import import_module

    wrong = import_module(f"tests.catalogue.{exercise_id}").WRONG
    return next(w.source for w in wrong if w.name == name)


@pytest.fixture(scope="module")
def weighted_class(tmp_path_factory, course):
    """One student's folder where checks of different weights fail (ex03 5/7, ex05 2/7)."""
    folder = tmp_path_factory.mktemp("classroom")
    (folder / "ex01_relu.py").write_text(course.solution_path("ex01_relu").read_text().replace(
        "return x if x > 0 else alpha * x", "return x if x > 0 else 0.01 * x"))
    (folder / "ex03_network.py").write_text(_wrong("ex03_network", "layer_transposed_numpy"))
    (folder / "ex05_backprop.py").write_text(_wrong("ex05_backprop", "relu_derivative"))
    return folder


def test_the_reporters_log_shows_nnexs_points_and_hints(weighted_class, capsys):
    runners, texts = [], {}
    for exercise_id in ("ex01_relu", "ex03_network", "ex05_backprop"):
        assert main(["check", exercise_id, "--dir", str(weighted_class),
                     "--format", "github"]) == 0
        payload = json.loads(base64.b64decode(capsys.readouterr().out.strip()))
        jsonschema.validate(payload, RESULT_SCHEMA)
        runners.append((runner_id(exercise_id), payload))
        main(["check", exercise_id, "--dir", str(weighted_class)])
        texts[runner_id(exercise_id)] = capsys.readouterr().out
    log, table, notified = _reporter(runners)

    nnex_points = {runner: re.search(r"合計 / Total: (\S+) / (\S+)", text).groups()
                   for runner, text in texts.items()}
    assert nnex_points == {"ex01": ("4", "5"), "ex03": ("5", "7"), "ex05": ("2", "7")}
    assert table[:-1] == [[runner, *nnex_points[runner]] for runner, _ in runners]
    assert table[-1] == ["Total: ", "11", "19"]
    assert notified == (11, 19)
    for runner, (score, maximum) in nnex_points.items():
        assert f"Total points for {runner}: {float(score):.2f}/{maximum}" in log
    # The old shape (one test per check) would have shown other points: the case is a real one.
    for runner, payload in runners[1:]:
        checks = {re.sub(r" \[\d+/\d+\]$", "", t["name"].splitlines()[0]): t["status"]
                  for t in payload["tests"]}
        per_check = sum(s == "pass" for s in checks.values()) / len(checks) * payload["max_score"]
        assert _js_string(per_check) != nnex_points[runner][0]

    hints = [line.strip() for text in texts.values() for line in text.splitlines()
             if line.strip().startswith(("ヒント:", "Hint:"))]
    assert len(hints) >= 6
    printed = [line.strip() for line in log.splitlines()]
    for hint in hints:
        assert hint in printed, hint
    assert not any(line.startswith("::") for line in printed)


def test_fractional_points_are_shown_exactly():
    from dataclasses import replace

    from nnex.render.github import classroom_result
    from tests.samples import sample_class

    student = sample_class()[0]  # abe: some checks passed, some failed
    weights = iter([0.5, 1.5, 2.5, 1.0, 0.5])
    exercises = []
    for exercise in student.exercises:
        checks = []
        for check in exercise.checks:
            weight = next(weights)
            checks.append(replace(check, max_points=weight,
                                  points=weight if check.passed else 0.0))
        exercises.append(replace(exercise, checks=checks))
    student = replace(student, exercises=exercises)
    payload = classroom_result(student)
    _, table, notified = _reporter([("all", payload)])
    assert 0 < student.score < student.max_score
    assert table[0] == ["all", f"{student.score:g}", f"{student.max_score:g}"]
    assert notified == (student.score, student.max_score)
    assert {t["score"] for t in payload["tests"]} <= {0.0, 0.5}

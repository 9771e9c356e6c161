"""Hand-built results for renderer and report tests: every status and outcome, hostile text.

Built by hand (not by grading) so the tests of the presentation layer do not depend on the
engine, and so they cover what a real class rarely shows at once: a grader error, a timeout,
a file that cannot be loaded, a file never submitted, a stub, and a student whose name and
output are HTML.
"""

from __future__ import annotations

from nnex.grading.results import (ERROR, FAILED, GRADER_ERROR, PASSED, CheckResult, ExerciseResult,
                                  SubmissionResult)
from nnex.text import Text

HOSTILE_NAME = '<script>alert("name")</script>'
HOSTILE_OUTPUT = '</pre><script>alert("printed")</script>'

RELU = Text("活性化関数", "Activation functions")
NEURON = Text("ニューロン 1 個", "One neuron")

HINTS = {
    "relu_abs": Text("ReLU は負の入力を 0 にします（絶対値ではありません）。",
                     "ReLU turns negative inputs into 0 (it is not the absolute value)."),
    "leaky_alpha_ignored": Text("引数 alpha が使われていません。",
                                "The alpha argument is ignored."),
    "bias_forgotten": Text("バイアスを足し忘れていませんか？", "Did you forget to add the bias?"),
}
# (name, title, points, visibility) of each check, per exercise.
CHECKS = {
    "ex01_relu": [("relu_lecture", Text("講義の例", "Lecture examples"), 1.0, "public"),
                  ("leaky_relu_basic", Text("leaky ReLU と alpha", "Leaky ReLU and alpha"), 1.0,
                   "public"),
                  ("relu_random", Text("ランダムな入力", "Random inputs"), 2.0, "hidden")],
    "ex02_neuron": [("neuron_lecture", Text("講義の例", "Lecture example"), 2.0, "public"),
                    ("neuron_random", Text("ランダムな重み", "Random weights"), 2.0, "hidden")],
}
GRADER_FAULT = Text("採点プログラム側の問題です（あなたのせいではありません）。",
                    "The grader itself failed (not your fault).")


def check(exercise: str, name: str, outcome: str = PASSED, **fields) -> CheckResult:
    """One check of ``exercise`` with ``outcome``; full points when it passed."""
    _, title, points, visibility = next(c for c in CHECKS[exercise] if c[0] == name)
    if fields.get("hint_key"):
        fields["hint"] = HINTS[fields["hint_key"]]
    return CheckResult(name=name, title=title, points=points if outcome == PASSED else 0.0,
                       max_points=points, outcome=outcome, visibility=visibility,
                       seconds=fields.pop("seconds", 0.01), **fields)


def exercise(exercise_id: str, overrides: dict[str, CheckResult] | None = None,
             **fields) -> ExerciseResult:
    """Every check of ``exercise_id`` passed, except those in ``overrides`` (by check name)."""
    overrides = overrides or {}
    checks = [overrides.get(name) or check(exercise_id, name)
              for name, *_ in CHECKS[exercise_id]]
    title = RELU if exercise_id == "ex01_relu" else NEURON
    return ExerciseResult(exercise=exercise_id, title=title, checks=checks, **fields)


def _wrong_value(exercise_id: str, name: str, hint_key: str | None, what: str) -> CheckResult:
    return check(exercise_id, name, FAILED, hint_key=hint_key, what=what,
                 problem="値が違います / wrong value", expected="0.0", actual="3.0")


def _not_loadable(exercise_id: str, reason: Text) -> ExerciseResult:
    overrides = {name: check(exercise_id, name, ERROR, kind="syntax", message=reason)
                 for name, *_ in CHECKS[exercise_id]}
    return exercise(exercise_id, overrides, reason=reason)


def _missing(exercise_id: str) -> ExerciseResult:
    reason = Text(f"{exercise_id}.py が提出されていません。",
                  f"{exercise_id}.py was not submitted.")
    overrides = {name: check(exercise_id, name, ERROR, kind="missing_file", message=reason)
                 for name, *_ in CHECKS[exercise_id]}
    return exercise(exercise_id, overrides, reason=reason)


def _stub(exercise_id: str) -> ExerciseResult:
    message = Text("関数はまだ実装されていません。", "The function is not implemented yet.")
    overrides = {name: check(exercise_id, name, ERROR, kind="not_implemented", message=message)
                 for name, *_ in CHECKS[exercise_id]}
    return exercise(exercise_id, overrides)


def abs_student() -> SubmissionResult:
    """ReLU as the absolute value (public and hidden failures, same hint); ex02 all right."""
    return SubmissionResult("abe", [
        exercise("ex01_relu", {
            "relu_lecture": _wrong_value("ex01_relu", "relu_lecture", "relu_abs", "relu(-3)"),
            "relu_random": _wrong_value("ex01_relu", "relu_random", "relu_abs",
                                        "relu(array of shape (4, 3))")}),
        exercise("ex02_neuron")])


def sample_class() -> list[SubmissionResult]:
    """Seven students covering every status, outcome and hint path (see the module docstring)."""
    syntax = Text("ex01_relu.py の 3 行目に文法エラーがあります: expected ':'",
                  "ex01_relu.py has a syntax error on line 3: expected ':'")
    timeout = Text("relu() が 2 秒以内に終わりませんでした。", "relu() did not finish within 2 s.")
    return [
        abs_student(),
        SubmissionResult("iida", [exercise("ex01_relu"), exercise("ex02_neuron")]),
        SubmissionResult("ueda", [
            exercise("ex01_relu", {"leaky_relu_basic": _wrong_value(
                "ex01_relu", "leaky_relu_basic", "leaky_alpha_ignored",
                "leaky_relu(-2, alpha=0.1)")}),
            exercise("ex02_neuron", {"neuron_random": _wrong_value(
                "ex02_neuron", "neuron_random", None, "neuron(w of shape (3,), b=0.7)")})]),
        SubmissionResult("江藤", [_not_loadable("ex01_relu", syntax), _stub("ex02_neuron")]),
        SubmissionResult("ogawa", [
            exercise("ex01_relu", {"relu_random": check(
                "ex01_relu", "relu_random", ERROR, kind="timeout", message=timeout,
                seconds=2.5)}),
            exercise("ex02_neuron", {"neuron_lecture": _wrong_value(
                "ex02_neuron", "neuron_lecture", "bias_forgotten", "neuron([1, 2], [3, 4], 5)"),
                "neuron_random": _wrong_value("ex02_neuron", "neuron_random", "bias_forgotten",
                                              "neuron(w of shape (3,), b=0.7)")})]),
        SubmissionResult("kato", [
            exercise("ex01_relu"),
            exercise("ex02_neuron", {"neuron_random": check(
                "ex02_neuron", "neuron_random", GRADER_ERROR, message=GRADER_FAULT,
                problem="AttributeError: module 'numpy' has no attribute 'float'")})]),
        SubmissionResult(HOSTILE_NAME, [
            exercise("ex01_relu", {"relu_lecture": check(
                "ex01_relu", "relu_lecture", ERROR, kind="raised",
                message=Text("relu() の実行中にエラー ValueError('<b>bold</b>') が起きました。",
                             "relu() raised ValueError('<b>bold</b>')."))},
                output=HOSTILE_OUTPUT),
            exercise("ex02_neuron")]),
        SubmissionResult("miura", [exercise("ex01_relu"), _missing("ex02_neuron")]),
    ]

"""The plain-text feedback rules every renderer builds on: points, a failed check's lines, the
not-attempted text, status labels, and what each audience may see of one check.

Plain text and plain Python only (no rich): the kernel-side check (``nnex.kit.notebook_check``)
and the nbgrader test cell run these in the student's kernel.
"""

from __future__ import annotations

from dataclasses import replace

from nnex.render import names
from nnex.grading.problems import UNFINISHED_KINDS, ProblemKind
from nnex.grading.results import ERROR, GRADER_ERROR, CheckResult, Status
from nnex.text import Text

NOT_ATTEMPTED_TEXT = Text(
    "まだスタブのままです。statements/{exercise}.md を読んで、"
    "{exercise}.py の関数を書きましょう。",
    "Still the stub as released: read statements/{exercise}.md and write the functions in "
    "{exercise}.py.")
STATUS_LABELS = {
    Status.NOT_ATTEMPTED: Text("未着手", "not attempted"),
    Status.MISSING: Text("未提出", "not submitted"),
    Status.NOT_LOADABLE: Text("読み込めません", "could not be loaded"),
    Status.INFRASTRUCTURE: Text("採点エラー", "grader error"),
}
"""How a student's feedback labels an exercise whose status is not ``graded``."""


def points(value: float) -> str:
    """Points without a needless ``.0``."""
    return f"{value:g}"


def detail_lines(check: CheckResult, show_values: bool = True) -> list[str]:
    """What to tell the student about a failed check: what failed, the values, the hint."""
    lines = []
    if check.outcome in (ERROR, GRADER_ERROR) and check.message is not None:
        lines += [names.terminal_line(line) for line in check.message.lines()]
    elif check.what:
        lines.append(f"{check.what}: {check.problem}")
        if show_values and check.expected is not None:
            lines.append(f"  期待 / expected: {check.expected}")
        if show_values and check.actual is not None:
            lines.append(f"  結果 / got:      {check.actual}")
    if check.hint is not None:
        lines += [f"ヒント: {check.hint.ja}", f"Hint: {check.hint.en}"]
    return lines


def said_before(check: CheckResult, earlier: list[CheckResult]) -> bool:
    """True when ``check`` only repeats what an earlier check of its exercise already said
    ("relu is not implemented yet"): renderers then show its ✗ line without the message."""
    return (check.kind in UNFINISHED_KINDS and check.message is not None
            and any(e.kind == check.kind and e.message == check.message for e in earlier))


QUOTING_KINDS = frozenset({ProblemKind.RAISED, ProblemKind.PROTOCOL,
                           ProblemKind.UNSUPPORTED_VALUE})
"""Problem kinds whose message quotes the student's process (an exception message, a returned
type's name): in a hidden check that text may carry the hidden inputs."""
HIDDEN_ERROR = Text("非公開の確認でエラー（{kind}）が起きました。非公開の入力を含みうるため、"
                    "メッセージは表示しません。",
                    "A hidden check ended in an error ({kind}); its message is not shown, as it "
                    "could carry the hidden inputs.")


def shows_values(check: CheckResult, show_hidden_values: bool) -> bool:
    """True when the check's inputs and values may be shown: a public check, or an instructor."""
    return show_hidden_values or check.visibility != "hidden"


def failure_lines(check: CheckResult, *, show_hidden_values: bool = False) -> list[str]:
    """Why ``check`` did not pass, without its hint (renderers place the hint themselves).

    A public check shows the call, the expected and the actual value. A hidden check shows only
    what went wrong ("wrong value", "timeout", "an error (raised)"): its ``what`` names the call
    with the hidden inputs, which are reproducible per student and would let them be
    hard-coded; nor does it quote what the student's process said (an exception message may
    hold the inputs).

    Args:
        check: a check that did not pass.
        show_hidden_values: the instructor's view: hidden checks show their values too.

    Returns:
        Lines of plain (unescaped) text; empty when there is nothing beyond pass/fail.
    """
    if shows_values(check, show_hidden_values):
        return detail_lines(replace(check, hint=None), True)
    if check.outcome == ERROR and check.kind in QUOTING_KINDS:
        return HIDDEN_ERROR.format(kind=check.kind).lines()
    if check.outcome in (ERROR, GRADER_ERROR) and check.message is not None:
        return check.message.lines()
    return [check.problem] if check.problem else []


def grader_trace(check: CheckResult) -> str | None:
    """The grader's own failure (pytest's report) of a grader-error check; instructors only."""
    if check.outcome != GRADER_ERROR:
        return None
    return check.problem or None

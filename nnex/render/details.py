"""What each audience may see of one check: the failure's lines, the hint, the grader's trace."""

from __future__ import annotations

from dataclasses import replace

from nnex.render.terminal import detail_lines
from nnex.grading.results import ERROR, GRADER_ERROR, CheckResult
from nnex.text import Text

QUOTING_KINDS = frozenset({"raised", "protocol", "unsupported_value"})
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

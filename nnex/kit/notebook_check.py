"""What a released notebook's cells call in the student's kernel: the check and the plot guard.

The check cell runs ``check("<exercise>", globals())``: the exercise's public checks, run by
the same graders as ``nnex check`` (without pytest when they are plain: ``nnex.grading.direct``)
against the names the notebook defined (``nnex.grading.local_student.LocalModules``). It returns
a ``NotebookCheck``, which Jupyter shows as an HTML table (✓/✗ per check, points, hints), a
terminal as plain text, and which carries a JSON summary under ``CHECK_MIME`` for programs
reading the executed notebook.

Plot cells wrap their drawing in ``with when_ready("relu", ...):`` so that while the stub
still raises NotImplementedError they print a short bilingual note instead of a traceback.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from nnex.course.content import Course
from nnex.grading.direct import run_plain_checks
from nnex.grading.local_student import LocalModules
from nnex.render.details import detail_lines, points
from nnex.grading.results import NOT_ATTEMPTED, NOT_LOADABLE, PASSED, ExerciseResult
from nnex.grading.submissions import Submission
from nnex.variants.identity import kit_identity
from nnex.text import Text

CHECK_MIME = "application/vnd.nnex.check+json"
SUMMARY_SCHEMA = 1
PUBLIC_ONLY = Text("ここで確かめるのは公開チェックだけです。"
                   "先生の採点ではランダムな入力でも確かめます。",
                   "These are the public checks only; your instructor's grading also tries "
                   "random inputs.")
NOT_ATTEMPTED_TEXT = Text("まだスタブのままです。上の解答セルに関数を書いて、"
                          "もう一度すべてのセルを実行しましょう。",
                          "Still the stub as released: write the functions in the solution "
                          "cell above, then run all cells again.")
NOT_READY = Text("この図は {names} を使います。まだ書かれていないので（NotImplementedError）図は"
                 "出ません。解答セルを書いて実行してから、このセルをもう一度実行しましょう。",
                 "This picture uses {names}, which are not written yet (NotImplementedError). "
                 "Write and run the solution cell, then run this cell again.")
NOT_DEFINED = Text("この図は {names} を使います。先に解答セルを実行しましょう（{detail}）。",
                   "This picture uses {names}: run the solution cell first ({detail}).")
FAILED_PICTURE = Text("図を描けませんでした: {detail}。最後の確認セルのヒントを見ましょう。",
                      "The picture could not be drawn: {detail}. See the hints of the check "
                      "cell at the end.")


def check(exercise_id: str, namespace: dict[str, Any], *,
          course: Course | None = None) -> "NotebookCheck":
    """Run the public checks of ``exercise_id`` on the names in ``namespace`` (``globals()``).

    Raises:
        UsageError: unknown exercise id.
        GraderError: a grader itself failed (never the student's fault).
    """
    course = course or Course.installed()
    exercise = course.exercise(exercise_id)
    # The kernel runs in the kit folder: whose numbers, as `nnex check --student` remembered.
    submission = Submission("notebook", Path("."), identity=kit_identity(Path(".")) or "")
    result = run_plain_checks([submission], [exercise], course=course,
                              hidden=False, modules=LocalModules(namespace))[0]
    return NotebookCheck(result.exercise(exercise_id))


class NotebookCheck:
    """The check cell's result: HTML for Jupyter, text for terminals, JSON for programs."""

    def __init__(self, result: ExerciseResult):
        self.result = result

    @property
    def score(self) -> float:
        return self.result.score

    @property
    def max_score(self) -> float:
        return self.result.max_score

    def summary(self) -> dict[str, Any]:
        """A JSON-able summary: scores, status and each check's outcome."""
        return {"schema_version": SUMMARY_SCHEMA, "exercise": self.result.exercise,
                "score": self.score, "max_score": self.max_score, "status": self.result.status,
                "checks": [{"name": c.name, "outcome": c.outcome, "points": c.points,
                            "max_points": c.max_points} for c in self.result.checks]}

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        # IPython adds text/html and text/plain from the two methods below.
        return {CHECK_MIME: self.summary()}

    def __repr__(self) -> str:
        return "\n".join(self._lines())

    def _lines(self) -> list[str]:
        result = self.result
        lines = [f"{result.exercise}  {result.title.ja} / {result.title.en}  "
                 f"{points(self.score)}/{points(self.max_score)}"]
        notes = self._notes()
        if notes is not None:
            return lines + [f"  ! {line}" for line in notes]
        for c in result.checks:
            mark = "✓" if c.outcome == PASSED else "✗"
            lines.append(f"  {mark} {c.title.ja} / {c.title.en}  "
                         f"{points(c.points)}/{points(c.max_points)}")
            if c.outcome != PASSED:
                lines += [f"      {text}" for text in detail_lines(c)]
        return lines + [f"合計 / Total: {points(self.score)} / {points(self.max_score)}",
                        *PUBLIC_ONLY.lines()]

    def _notes(self) -> list[str] | None:
        if self.result.status == NOT_LOADABLE and self.result.reason is not None:
            return self.result.reason.lines()
        if self.result.status == NOT_ATTEMPTED:
            return NOT_ATTEMPTED_TEXT.lines()
        return None

    def _repr_html_(self) -> str:
        result, e = self.result, html.escape
        full = self.score == self.max_score
        colour = "#1a7f37" if full else "#b35900"
        rows = []
        notes = self._notes()
        for c in [] if notes is not None else result.checks:
            ok = c.outcome == PASSED
            details = "" if ok else "".join(
                f"<div style='color:#8a4b00'>{e(text)}</div>" for text in detail_lines(c))
            rows.append(
                f"<tr><td style='color:{'#1a7f37' if ok else '#c0392b'};font-weight:bold;"
                f"padding:2px 8px'>{'✓' if ok else '✗'}</td>"
                f"<td style='text-align:left;padding:2px 8px'>{e(c.title.ja)}<br>"
                f"<span style='color:#666'>{e(c.title.en)}</span>{details}</td>"
                f"<td style='white-space:nowrap;padding:2px 8px'>"
                f"{points(c.points)} / {points(c.max_points)}</td></tr>")
        body = (f"<table style='border-collapse:collapse'>{''.join(rows)}</table>" if rows else
                "".join(f"<div style='color:#8a4b00'>{e(line)}</div>" for line in notes or []))
        return (f"<div class='nnex-check' data-exercise='{e(result.exercise)}' "
                f"data-score='{points(self.score)}' data-max-score='{points(self.max_score)}' "
                f"style='border:2px solid {colour};border-radius:6px;padding:8px 12px;"
                f"font-family:sans-serif'>"
                f"<div style='font-weight:bold;font-size:1.1em'>{e(result.exercise)} "
                f"{e(result.title.ja)} / {e(result.title.en)}</div>"
                f"<div class='nnex-score' style='color:{colour};font-weight:bold;"
                f"font-size:1.3em;margin:4px 0'>得点 / Score: {points(self.score)} / "
                f"{points(self.max_score)}</div>{body}"
                f"<div style='color:#666;font-size:0.9em;margin-top:6px'>"
                f"{e(PUBLIC_ONLY.ja)}<br>{e(PUBLIC_ONLY.en)}</div></div>")


class when_ready:  # noqa: N801 - used as ``with when_ready(...)`` in notebook cells
    """Draw a picture with the student's functions; a bilingual note instead of a traceback.

    Args:
        names: the student's functions the picture uses (for the note).
    """

    def __init__(self, *names: str):
        self.names = ", ".join(names)

    def __enter__(self) -> "when_ready":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> bool:
        if error is None or not isinstance(error, Exception):
            return False
        if isinstance(error, NotImplementedError):
            note = NOT_READY.format(names=self.names)
        elif isinstance(error, NameError):
            note = NOT_DEFINED.format(names=self.names, detail=_one_line(error))
        else:
            note = FAILED_PICTURE.format(detail=_one_line(error))
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close("all")  # no half-drawn figure under the note
        print("\n".join(note.lines()))
        return True


def _one_line(error: BaseException) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= 300 else text[:300] + "…"


def japanese_font() -> list[str]:
    """A ``font.family`` that shows Japanese: the setup cell of notebooks released before
    :mod:`nnex.fonts` existed call this (``from nnex.notebook_check import japanese_font``)."""
    from nnex.fonts import japanese_font_family

    return japanese_font_family()

"""The term's lines in each student's feedback: which due date held, what was taken off, and
manual adjustments, without their reason (Japanese first, then English).

They go in a section of their own, between markers, at the end of ``feedback/<student>.md``
and ``.html``: rewriting them (after ``nnex override``) replaces that section only.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from nnex.classgrade.layout import OutputLayout
from nnex.files import write_atomic
from nnex.render import names

if TYPE_CHECKING:
    from nnex.term.gradesheet import TermGrades

_MARK = "<!-- nnex term -->"
HEADING = "提出期限と調整 / Due dates and adjustments"


def write_feedback_notes(out: Path, grades: "TermGrades") -> None:
    """Add (or replace) each student's late-policy and override lines in their feedback."""
    stems = names.file_stems(list(grades.rows))
    for student, rows in grades.rows.items():
        lines = [f"{row.exercise}: {row.late_note}" for row in rows if row.late_note]
        # The reason stays with the instructor (it may be private: a medical note, a suspicion).
        lines += [f"{row.exercise}: 先生が {row.override.points:g} 点に調整しました / set to "
                  f"{row.override.points:g} points by the instructor"
                  for row in rows if row.override is not None]
        if not lines:
            continue
        markdown = OutputLayout(out).feedback / f"{stems[student]}.md"
        if markdown.exists():
            kept = markdown.read_text(encoding="utf-8").split(_MARK)[0].rstrip("\n")
            write_atomic(markdown, f"{kept}\n\n{_MARK}\n## {HEADING}\n\n"
                         + "".join(f"- {names.markdown_line(line)}\n" for line in lines))
        page = OutputLayout(out).feedback / f"{stems[student]}.html"
        if page.exists():
            text = page.read_text(encoding="utf-8")
            if _MARK in text:
                text = text[:text.index(_MARK)] + text[text.rindex(_MARK) + len(_MARK):]
            cut = text.rindex("</main>")
            items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            write_atomic(page, f"{text[:cut]}{_MARK}<section><h2>{html.escape(HEADING)}</h2>"
                         f"<ul>{items}</ul></section>{_MARK}{text[cut:]}")

"""The README's exercise table stays in step with the exercises' metadata (exercise.yaml).

One row per exercise, in course order, whose "what" column names exactly the exercise's
``provides``, in order (`name` in backquotes; anything else in the cell is prose).
"""

from __future__ import annotations

import re
from pathlib import Path

from nnex.course.content import Course

README = Path(__file__).resolve().parents[1] / "README.md"
ROW = re.compile(r"^\| `(ex\d\d_\w+)`[^|]*\| ([^|]*) \|")


def exercise_table(text: str) -> dict[str, list[str]]:
    """{exercise id: the backquoted names of its "what" cell}, in the table's order."""
    section = re.split(r"^## ", text, flags=re.M)
    rows = next(s for s in section if s.startswith("Exercises\n")).splitlines()
    return {m[1]: re.findall(r"`([^`]+)`", m[2]) for m in map(ROW.match, rows) if m}


def test_one_row_per_exercise_in_course_order():
    rows = exercise_table(README.read_text(encoding="utf-8"))
    course = Course.installed()
    for meta in course.exercises():
        names = ", ".join(f"`{name}`" for name in meta.provides)
        assert meta.id in rows, (f"README.md, ## Exercises: add the row | `{meta.id}` | {names} "
                                 f"| {meta.lecture.ja} | — see docs/authoring.md#readme")
    assert list(rows) == course.exercise_ids(), "README.md, ## Exercises: rows in course order"


def test_each_row_names_the_exercises_provides():
    rows = exercise_table(README.read_text(encoding="utf-8"))
    for meta in Course.installed().exercises():
        assert rows[meta.id] == list(meta.provides), (
            f"README.md, ## Exercises, {meta.id}: name exactly {', '.join(meta.provides)} "
            "(exercise.yaml's provides), in order")


def test_the_table_is_read_as_written():
    # A row that names another function, or one too few, is caught.
    text = README.read_text(encoding="utf-8")
    wrong = text.replace("| `ex02_neuron` | `weighted_sum`, `neuron`",
                         "| `ex02_neuron` | `neuron`")
    assert exercise_table(wrong)["ex02_neuron"] == ["neuron"]
    assert "ex02_neuron" not in exercise_table(text.replace("| `ex02_neuron` |", "| ex02 |"))

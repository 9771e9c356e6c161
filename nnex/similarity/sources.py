"""What is compared: each student's code per exercise, and the distribution code to leave out.

A student's code is their ``<exercise>.py`` or, failing that, the solution cells of their
``<exercise>.ipynb``, read exactly as grading reads them (``Submission.source``). The
distribution code of an exercise is what every student received: the released stub (which is
also the notebook's solution cell as released) and the code blocks of the statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nnex.course.content import Course
from nnex.grading.problems import StudentProblem
from nnex.grading.submissions import Submission

_CODE_BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass
class ExerciseSources:
    """The code of one exercise across a class."""

    exercise: str
    distribution: str
    code: dict[str, str] = field(default_factory=dict)
    """Student → their code, for students who submitted a readable file that is not the stub."""


def distribution_code(course: Course, exercise_id: str) -> str:
    """The stub of ``exercise_id`` followed by the Python code blocks of its statement."""
    stub = course.stub_path(exercise_id).read_text(encoding="utf-8")
    statement_path = course.statement_path(exercise_id)
    statement = statement_path.read_text(encoding="utf-8") if statement_path.is_file() else ""
    return "\n".join([stub, *_CODE_BLOCK.findall(statement)])


def read_sources(submissions: list[Submission], exercise_ids: list[str],
                 course: Course) -> list[ExerciseSources]:
    """Each exercise's code across the class (missing, unreadable and untouched files left out:
    grading already reports them, and they hold no code of the student's own)."""
    found = []
    for exercise_id in exercise_ids:
        sources = ExerciseSources(exercise_id, distribution_code(course, exercise_id))
        stub = course.stub_path(exercise_id).read_text(encoding="utf-8")
        for submission in submissions:
            try:
                code = submission.source(exercise_id)
            except StudentProblem:
                continue
            if code.strip() != stub.strip():
                sources.code[submission.student] = code
        found.append(sources)
    return found

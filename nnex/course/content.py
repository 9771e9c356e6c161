"""Where the course content lives: exercises, graders and (for instructors) solutions."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from nnex.errors import CourseError, UsageError
from nnex.course.metadata import ExerciseMeta, load_exercise
from nnex.course.yaml_file import suggest

PUBLIC_GRADER = "test_public.py"
HIDDEN_GRADER = "test_hidden.py"
GRADER_HELPERS = "helpers.py"
"""Optional, per exercise: code both graders share (``nnex.graders.<id>.helpers``). Public-safe:
it ships to students with the public grader, so it must hold no hidden value and never import
the solutions."""


@dataclass(frozen=True)
class Course:
    """The folders of one course. A student kit has no solutions and no hidden graders."""

    exercises_dir: Path
    graders_dir: Path
    solutions_dir: Path | None = None

    @classmethod
    def installed(cls) -> "Course":
        """The course shipped inside the installed ``nnex`` distribution (or the student kit)."""
        solutions = _package_dir("nnex.solutions")
        return cls(
            exercises_dir=_package_dir("nnex.exercises", required=True),
            graders_dir=_package_dir("nnex.graders", required=True),
            solutions_dir=solutions,
        )

    @property
    def is_student_kit(self) -> bool:
        """True when solutions and hidden graders are absent (the released student kit)."""
        return self.solutions_dir is None

    def exercise_ids(self) -> list[str]:
        """Every exercise id, in course order (ex01 first)."""
        return sorted(p.parent.name for p in self.exercises_dir.glob("*/exercise.yaml"))

    def exercise(self, exercise_id: str) -> ExerciseMeta:
        """The metadata of one exercise.

        Raises:
            UsageError: no such exercise (with the closest name).
        """
        ids = self.exercise_ids()
        if exercise_id not in ids:
            hint = suggest(exercise_id, ids) or f"; choose from {', '.join(ids)}"
            raise UsageError(f"unknown exercise '{exercise_id}'{hint}")
        return load_exercise(self.exercises_dir / exercise_id / "exercise.yaml")

    def exercises(self, ids: list[str] | None = None) -> list[ExerciseMeta]:
        """The metadata of ``ids`` (all exercises when empty or None), in course order."""
        wanted = ids or self.exercise_ids()
        return [self.exercise(i) for i in wanted]

    def grader_files(self, exercise_id: str, *, hidden: bool) -> list[Path]:
        """The pytest files of one exercise: public only, or public and hidden."""
        folder = self.graders_dir / exercise_id
        files = [folder / PUBLIC_GRADER]
        if hidden:
            if self.is_student_kit or not (folder / HIDDEN_GRADER).is_file():
                raise CourseError(f"hidden checks for {exercise_id} are not installed; "
                                  "grading needs the instructor's nnex, not the student kit")
            files.append(folder / HIDDEN_GRADER)
        missing = [f for f in files if not f.is_file()]
        if missing:
            raise CourseError(f"grader file {missing[0]} is missing; reinstall nnex")
        return files

    def helpers_path(self, exercise_id: str) -> Path | None:
        """The exercise's shared grader helpers (``GRADER_HELPERS``), or None if it has none."""
        path = self.graders_dir / exercise_id / GRADER_HELPERS
        return path if path.is_file() else None

    def stub_path(self, exercise_id: str) -> Path:
        return self.exercises_dir / exercise_id / "stub.py"

    def statement_path(self, exercise_id: str) -> Path:
        return self.exercises_dir / exercise_id / "statement.md"

    def solution_path(self, exercise_id: str) -> Path:
        if self.solutions_dir is None:
            raise CourseError("solutions are not part of the student kit")
        return self.solutions_dir / f"{exercise_id}.py"


def _package_dir(name: str, required: bool = False) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        spec = None
    if spec is None or not spec.submodule_search_locations:
        if required:
            raise CourseError(f"package {name} is not installed; reinstall nnex")
        return None
    return Path(list(spec.submodule_search_locations)[0])

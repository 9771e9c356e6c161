"""Where the course content lives: exercises, graders and (for instructors) solutions."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from nnex.errors import CourseError, UsageError
from nnex.course.metadata import ExerciseMeta, load_exercise
from nnex.course.settings import SETTINGS_FILE, CourseSettings, load_settings
from nnex.course.yaml_file import suggest

PUBLIC_GRADER = "test_public.py"
HIDDEN_GRADER = "test_hidden.py"
VARIANT_GRADER = "test_variants.py"
"""Optional, per exercise: the public checks of its per-student numbers (``variants.yaml``),
collected and shipped only when the course turns them on (``settings.yaml``)."""
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

    @cached_property
    def settings(self) -> CourseSettings:
        """The instructor's course-wide opt-ins (``exercises/settings.yaml``)."""
        return load_settings(self.exercises_dir / SETTINGS_FILE)

    @property
    def per_student_numbers(self) -> bool:
        """True when exercises give each student their own numbers (``nnex.variants``)."""
        return self.settings.per_student_numbers

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
        return load_exercise(self.exercises_dir / exercise_id / "exercise.yaml",
                             per_student_numbers=self.per_student_numbers)

    def exercises(self, ids: list[str] | None = None) -> list[ExerciseMeta]:
        """The metadata of ``ids`` (all exercises when empty or None), in course order."""
        wanted = ids or self.exercise_ids()
        return [self.exercise(i) for i in wanted]

    def grader_files(self, exercise_id: str, *, hidden: bool) -> list[Path]:
        """The pytest files of one exercise: public only, or public and hidden; with
        per-student numbers, the public checks of its variants (``VARIANT_GRADER``) too."""
        folder = self.graders_dir / exercise_id
        files = [folder / PUBLIC_GRADER]
        if self.per_student_numbers and (folder / VARIANT_GRADER).is_file():
            files.append(folder / VARIANT_GRADER)
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

    def stub_text(self, exercise_id: str) -> str:
        """The stub as students get it: its per-student numbers parts only when on."""
        return self._text(self.stub_path(exercise_id))

    def statement_text(self, exercise_id: str) -> str | None:
        """The statement as students read it (as ``stub_text``); None when there is none."""
        path = self.statement_path(exercise_id)
        return self._text(path) if path.is_file() else None

    def solution_text(self, exercise_id: str) -> str:
        """The reference solution's source (as ``stub_text``)."""
        return self._text(self.solution_path(exercise_id))

    def _text(self, path: Path) -> str:
        from nnex.variants.sections import select

        return select(path.read_text(encoding="utf-8"), self.per_student_numbers, source=path)

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

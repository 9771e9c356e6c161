"""The course file for nbgrader: which nnex exercises make up which nbgrader assignment.

A course file is YAML (UTF-8). Every key is listed here; any other key is an error::

    schema_version: 1            # required; the format this nnex reads
    course_id: nnex              # optional; nbgrader's CourseDirectory.course_id (default "nnex")
    assignments:                 # required; nbgrader assignments, in course order
      week1:                     # the assignment's name: folder source/week1/ (letters, digits,
                                 # "_", "-", "."; not starting with "." or "-")
        exercises: [ex01_relu]   # required; one notebook per exercise:
                                 # source/week1/ex01_relu.ipynb

An exercise may appear in several assignments but only once in each. ``nnex nbgrader export``
without ``--course-file`` derives the course from the exercises (``default_course_file``): one
assignment per exercise, named after it, so a new exercise needs no edit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from nnex.course.content import Course
from nnex.errors import NnexError
from nnex.course.yaml_file import check_keys, check_schema_version, suggest

COURSE_FILE_SCHEMA = 1
"""The course-file format this version of nnex reads."""
DEFAULT_COURSE_ID = "nnex"

_TOP_KEYS = {"schema_version", "course_id", "assignments"}
_ASSIGNMENT_KEYS = {"exercises"}
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


class CourseFileError(NnexError):
    """A course file is missing or malformed; the message names the file and the key."""

    def __init__(self, path: Path, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class AssignmentSpec:
    """One nbgrader assignment: its name and its exercises (one notebook each), in order."""

    name: str
    exercises: tuple[str, ...]


@dataclass(frozen=True)
class CourseFile:
    """A validated course file."""

    course_id: str
    assignments: tuple[AssignmentSpec, ...]
    path: Path

    def assignment(self, name: str) -> AssignmentSpec:
        """The assignment called ``name``.

        Raises:
            CourseFileError: no such assignment (with the closest name).
        """
        for spec in self.assignments:
            if spec.name == name:
                return spec
        names = [a.name for a in self.assignments]
        raise CourseFileError(self.path, f"no assignment '{name}'{suggest(name, names)}")


def default_course_file(course: Course) -> CourseFile:
    """The course without a course file: one assignment per exercise of ``course``, named after
    it, in course order."""
    assignments = tuple(AssignmentSpec(name=e, exercises=(e,)) for e in course.exercise_ids())
    return CourseFile(course_id=DEFAULT_COURSE_ID, assignments=assignments,
                      path=Path("(one assignment per exercise)"))


def load_course_file(path: Path | None = None, *, course: Course | None = None) -> CourseFile:
    """Read and validate a course file (None: ``default_course_file``).

    Args:
        path: the YAML file; None for one assignment per exercise.
        course: the installed course whose exercise ids the file may name.

    Raises:
        CourseFileError: the file is missing, not YAML, has unknown or missing keys, bad names,
            unknown exercises, or a schema_version this nnex does not read.
    """
    course = course or Course.installed()
    if path is None:
        return default_course_file(course)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseFileError(path, "file not found; pass an existing --course-file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        detail = " ".join(str(exc).split())
        raise CourseFileError(path, f"not valid UTF-8 YAML ({detail})") from None
    if not isinstance(raw, dict):
        raise CourseFileError(path, "must be a YAML mapping with schema_version and assignments")
    check_keys(path, raw, _TOP_KEYS, {"schema_version", "assignments"}, "", CourseFileError)
    check_schema_version(path, raw["schema_version"], COURSE_FILE_SCHEMA, CourseFileError)
    course_id = raw.get("course_id", DEFAULT_COURSE_ID)
    if not (isinstance(course_id, str) and _NAME.match(course_id)):
        raise CourseFileError(path, f"'course_id' must be a name such as nnex, not {course_id!r}")
    assignments = raw["assignments"]
    if not isinstance(assignments, dict) or not assignments:
        raise CourseFileError(path, "'assignments' must map assignment names to "
                              "{exercises: [...]}")
    known = course.exercise_ids()
    specs = tuple(_assignment(path, name, spec, known) for name, spec in assignments.items())
    return CourseFile(course_id=course_id, assignments=specs, path=path)


def _assignment(path: Path, name: object, spec: object, known: list[str]) -> AssignmentSpec:
    if not (isinstance(name, str) and _NAME.match(name)):
        raise CourseFileError(path, f"assignment name {name!r} must be letters, digits, '_', '-' "
                              "or '.', not starting with '.' or '-' (it becomes a folder name)")
    where = f"assignments.{name}."
    if not isinstance(spec, dict):
        raise CourseFileError(path, f"'assignments.{name}' must be a mapping with 'exercises'")
    check_keys(path, spec, _ASSIGNMENT_KEYS, _ASSIGNMENT_KEYS, where, CourseFileError)
    exercises = spec["exercises"]
    if not (isinstance(exercises, list) and exercises
            and all(isinstance(e, str) for e in exercises)):
        raise CourseFileError(path, f"'{where}exercises' must be a non-empty list of exercise ids")
    for exercise_id in exercises:
        if exercise_id not in known:
            hint = suggest(exercise_id, known) or "; choose from " + ", ".join(known)
            raise CourseFileError(path,
                                  f"'{where}exercises': unknown exercise '{exercise_id}'{hint}")
    duplicates = sorted({e for e in exercises if exercises.count(e) > 1})
    if duplicates:
        raise CourseFileError(path, f"'{where}exercises' lists {duplicates[0]} twice")
    return AssignmentSpec(name=name, exercises=tuple(exercises))

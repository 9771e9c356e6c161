"""The class roster (``roster.csv``): who is enrolled, validated row by row.

Columns (UTF-8 CSV with a header row; a BOM from Excel is fine; order free):

``student_id``  required, unique: the id nnex grades under (the submission folder's name) and
                exports as the SIS id.
``name``        required: the student's full name as the LMS shows it.
``email``       optional: exported as the login id.
``section``     optional: the LMS section.
``lms_id``      optional: the LMS's own number for the student (Canvas user id, Moodle
                participant id), used by ``nnex import`` to map archive files to students.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from nnex.course.yaml_file import suggest
from nnex.errors import TermError

REQUIRED_COLUMNS = ("student_id", "name")
OPTIONAL_COLUMNS = ("email", "section", "lms_id")
"""The roster's copy in a graded output folder (what ``nnex export`` reads by default)."""


@dataclass(frozen=True)
class Student:
    """One row of the roster."""

    student_id: str
    name: str
    email: str = ""
    section: str = ""
    lms_id: str = ""


@dataclass(frozen=True)
class Roster:
    """Every enrolled student, in the file's order."""

    students: tuple[Student, ...]

    def ids(self) -> list[str]:
        return [student.student_id for student in self.students]

    def by_id(self, student_id: str) -> Student | None:
        return next((s for s in self.students if s.student_id == student_id), None)

    def by_lms_id(self, lms_id: str) -> Student | None:
        return next((s for s in self.students if s.lms_id and s.lms_id == lms_id), None)

    def by_name(self, name: str) -> list[Student]:
        """The students whose name equals ``name`` ignoring case, spaces and punctuation."""
        key = name_key(name)
        return [s for s in self.students if name_key(s.name) == key]


def name_key(name: str) -> str:
    """A name reduced to its letters, lower case: Canvas writes "Yamada, Taro" as yamadataro."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def read_roster(path: Path) -> Roster:
    """Read and validate ``path``.

    Raises:
        TermError: missing, not UTF-8, a column missing or unknown, a row without an id or a
            name, a duplicated id or LMS id, an e-mail address without '@'.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise TermError(f"{path}: no such roster file; write one with the columns "
                        f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}") from None
    except UnicodeDecodeError:
        raise TermError(f"{path}: not UTF-8 text; save the roster as CSV UTF-8") from None
    except OSError as exc:
        raise TermError(f"{path}: cannot be read ({exc.strerror})") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise TermError(f"{path}: empty; the first row names the columns "
                        f"({', '.join(REQUIRED_COLUMNS)}, …)")
    header = [cell.strip() for cell in rows[0]]
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    for column in header:
        if column not in known:
            raise TermError(f"{path}: unknown column '{column}'{suggest(column, known)}; "
                            f"the columns are {', '.join(known)}")
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise TermError(f"{path}: no '{column}' column; the first row must name "
                            f"{' and '.join(REQUIRED_COLUMNS)}")
    students: list[Student] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise TermError(f"{path}, row {line}: {len(row)} cells for {len(header)} columns; "
                            "quote cells that hold a comma")
        student = Student(**{column: cell.strip() for column, cell in zip(header, row)})
        students.append(_checked(path, line, student, students))
    if not students:
        raise TermError(f"{path}: no students below the header row")
    return Roster(tuple(students))


def _checked(path: Path, line: int, student: Student, before: list[Student]) -> Student:
    where = f"{path}, row {line}"
    if not student.student_id:
        raise TermError(f"{where}: empty student_id; every student needs an id")
    if student.student_id.startswith(".") or "/" in student.student_id:
        raise TermError(f"{where}: student_id '{student.student_id}' cannot be a folder name; "
                        "use letters, digits, '-' and '_'")
    if not student.name:
        raise TermError(f"{where}: empty name for student_id '{student.student_id}'")
    if student.email and "@" not in student.email:
        raise TermError(f"{where}: email '{student.email}' has no '@'")
    for other in before:
        if other.student_id == student.student_id:
            raise TermError(f"{where}: student_id '{student.student_id}' is listed twice")
        if student.lms_id and other.lms_id == student.lms_id:
            raise TermError(f"{where}: lms_id '{student.lms_id}' is listed twice "
                            f"('{other.student_id}' and '{student.student_id}')")
    return student


def compare_with_folders(roster: Roster, folders: list[str]) -> tuple[list[str], list[str]]:
    """``(missing, unknown)``: roster ids without a submission folder, and folders whose name
    is no roster id (reported to the instructor, never matched by guessing)."""
    present = set(folders)
    enrolled = set(roster.ids())
    return ([s for s in roster.ids() if s not in present],
            sorted(f for f in folders if f not in enrolled))

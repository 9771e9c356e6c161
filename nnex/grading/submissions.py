"""Reading submissions as data: one folder per student, never following links."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from nnex.render import names
from nnex.errors import SubmissionError
from nnex.grading.notebook_source import (MAX_NOTEBOOK_BYTES, nbgrader_solution_source,
                                          solution_source)
from nnex.grading.problems import StudentProblem
from nnex.variants.identity import graded_identity

MAX_SOURCE_BYTES = 1 << 20
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Submission:
    """One student's folder. ``student`` is the folder name exactly as given, or, when that is
    not UTF-8, its escaped form (``names.escaped``: every output can store it)."""

    student: str
    folder: Path
    identity: str | None = field(default=None, kw_only=True)
    """Whose per-student numbers (``nnex.variants``): None means the student's, as ``nnex
    grade`` sees them (``graded_identity``: the folder name, or the GitHub username of a
    Classroom repository); "" means not known yet (``nnex check`` before ``--student``)."""

    @property
    def numbers_identity(self) -> str | None:
        """The identity the student's numbers derive from, or None when unknown."""
        if self.identity is None:
            return graded_identity(self.student, self.folder) or None
        return self.identity or None

    def source(self, exercise_id: str) -> str:
        """The source text of ``<exercise_id>.py``, or else of the solution cells of
        ``<exercise_id>.ipynb`` (see ``nnex.grading.notebook_source``).

        Raises:
            StudentProblem: missing, a link, not a regular file, too large, or not UTF-8;
                for a notebook also malformed (no solution cell, check cell edited, ...).
        """
        path, notebook = self.folder / f"{exercise_id}.py", self.folder / f"{exercise_id}.ipynb"
        if not os.path.lexists(path) and os.path.lexists(notebook):
            text = read_source(notebook, limit=MAX_NOTEBOOK_BYTES)
            return solution_source(text, exercise_id, file=notebook.name)
        return read_source(path)

    def to_wire(self) -> dict:
        """This submission as plain data for a grading process (``from_wire`` reads it)."""
        return {"student": self.student, "folder": str(self.folder)}


@dataclass(frozen=True)
class NotebookSubmission(Submission):
    """One student's submitted nbgrader assignment folder: each exercise's module is the code
    answer cells of the notebook that holds its test cells."""

    notebooks: tuple[tuple[str, str], ...] = ()
    """(exercise id, notebook name without ``.ipynb``) pairs."""

    def source(self, exercise_id: str) -> str:
        """The code answer cells of the notebook of ``exercise_id``
        (``nnex.grading.notebook_source.nbgrader_solution_source``).

        Raises:
            StudentProblem: the notebook is missing, a link, too large or not a notebook.
        """
        notebook = dict(self.notebooks).get(exercise_id)
        if notebook is None:
            raise StudentProblem("missing_file", file=f"{exercise_id}.ipynb")
        path = self.folder / f"{notebook}.ipynb"
        text = read_source(path, limit=MAX_NOTEBOOK_BYTES)
        return nbgrader_solution_source(text, file=path.name)

    def to_wire(self) -> dict:
        return {**super().to_wire(), "notebooks": [list(pair) for pair in self.notebooks]}


def from_wire(data: dict) -> Submission:
    """The submission ``Submission.to_wire`` (or a subclass's) described."""
    student, folder = str(data["student"]), Path(data["folder"])
    if "notebooks" in data:
        return NotebookSubmission(student=student, folder=folder,
                                  notebooks=tuple((str(e), str(n)) for e, n in data["notebooks"]))
    return Submission(student=student, folder=folder)


def read_source(path: Path, *, limit: int = MAX_SOURCE_BYTES) -> str:
    """Read a student's file as UTF-8 text (BOM dropped, CRLF made LF), refusing links."""
    return decode_source(read_bytes(path, limit=limit), path.name)


def read_bytes(path: Path, *, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """A student's file's bytes, refusing symbolic links, non-files and files over ``limit``.

    What the path is gets checked before it is opened (``lstat``): opening a device file can
    act on the device (a tape rewinds, a terminal becomes the grader's), and the grader may run
    as root. The opened file is then checked again (``fstat``), in case it was swapped.

    Raises:
        StudentProblem: missing, a link, not a regular file, or too large.
    """
    name = path.name
    try:
        seen = os.lstat(path)
    except FileNotFoundError:
        raise StudentProblem("missing_file", file=name) from None
    except (OSError, ValueError):
        raise StudentProblem("not_a_file", file=name) from None
    if stat.S_ISLNK(seen.st_mode):
        raise StudentProblem("symlink", file=name)
    if not stat.S_ISREG(seen.st_mode):
        raise StudentProblem("not_a_file", file=name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise StudentProblem("missing_file", file=name) from None
    except OSError:
        if path.is_symlink():
            raise StudentProblem("symlink", file=name) from None
        raise StudentProblem("not_a_file", file=name) from None
    try:
        info = os.fstat(fd)
        swapped = (info.st_dev, info.st_ino) != (seen.st_dev, seen.st_ino)
        if not stat.S_ISREG(info.st_mode) or swapped:
            raise StudentProblem("not_a_file", file=name)
        if info.st_size > limit:
            raise StudentProblem("too_large", file=name, detail=f"{info.st_size} bytes > {limit}")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)


def decode_source(data: bytes, name: str) -> str:
    """Decode a source file's bytes, with a helpful message when it is not UTF-8."""
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StudentProblem("not_utf8", file=name, detail=_guess_encoding(data)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(data: bytes) -> str:
    for codec, label in (("shift_jis", "Shift_JIS"), ("euc_jp", "EUC-JP"), ("utf-16", "UTF-16")):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return f" ({label}?)"
    return ""


def discover(submissions_dir: Path) -> list[Submission]:
    """Every student folder directly under ``submissions_dir``, sorted by name.

    Hidden folders (``.git``) and symbolic links are skipped (``folder_notes`` names the
    hidden ones for the instructor). A folder name that is not UTF-8 (a zip made on Japanese
    Windows holds Shift_JIS names) is graded under its escaped form, ``\\x8eR\\x93c (not UTF-8)``.

    Raises:
        SubmissionError: the folder does not exist, is not a folder, or holds no student folder.
    """
    if not submissions_dir.exists():
        raise SubmissionError(f"{submissions_dir}: no such folder; pass the folder that holds "
                              "one folder per student")
    if not submissions_dir.is_dir():
        raise SubmissionError(f"{submissions_dir}: not a folder; pass the folder that holds "
                              "one folder per student")
    entries = [entry for entry in sorted(os.scandir(submissions_dir), key=lambda e: e.name)
               if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)]
    taken = {entry.name for entry in entries if _is_text(entry.name)}
    found = []
    for entry in entries:
        student = entry.name
        if not _is_text(student):
            student = names.escaped(student) + " (not UTF-8)"
            while student in taken:  # a folder may be named so on purpose
                student += "~"
            taken.add(student)
        found.append(Submission(student=student, folder=Path(entry.path)))
    if not found:
        raise SubmissionError(f"{submissions_dir}: no student folders inside; expected "
                              "<student>/ex01_relu.py and so on")
    return found


def folder_notes(submissions_dir: Path) -> list[str]:
    """What the instructor should know about the folder names under ``submissions_dir``:
    hidden folders that are not graded (other than ``.git``), names that are not UTF-8."""
    notes = []
    for entry in sorted(os.scandir(submissions_dir), key=lambda e: e.name):
        if not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name.startswith(".") and entry.name != ".git":
            notes.append(f"{names.label(entry.name)}: not graded, as its name starts with '.'; "
                         "rename the folder if it is a student's")
        elif not entry.name.startswith(".") and not _is_text(entry.name):
            guess = names.label(os.fsencode(entry.name).decode("cp932", "replace"))
            notes.append(f"{names.escaped(entry.name)}: the folder name is not UTF-8 (Shift_JIS "
                         f"'{guess}'?); graded under that escaped name; rename the folder in "
                         "UTF-8 to grade it under its own")
    return notes


def _is_text(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.scandir keeps undecodable bytes as lone surrogates
        return False
    return True

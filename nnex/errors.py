"""The project's exception hierarchy: every error says what went wrong and what to do next."""

from __future__ import annotations


class NnexError(Exception):
    """Base of every error nnex raises on purpose.

    The CLI turns it into one line on stderr and a non-zero exit code; ``--debug`` shows the
    traceback. Subclasses carry their data as attributes and a message that says what to do.
    """

    exit_code = 2


class UsageError(NnexError):
    """A command-line argument or combination of arguments is wrong."""


class MetadataError(NnexError):
    """An exercise metadata file (``exercise.yaml``) is malformed."""

    def __init__(self, path, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


class CourseError(NnexError):
    """The course content (exercises, graders, solutions) is missing or inconsistent."""


class SubmissionError(NnexError):
    """A submissions folder cannot be read at all (not one student's file: the whole input)."""


class GraderError(NnexError):
    """A grader itself failed. Never the student's fault; shown to instructors as such."""

    exit_code = 3


class WorkerError(NnexError):
    """The worker process that runs student code could not be started or talked to."""

    exit_code = 3


class ReportError(NnexError):
    """A graded output folder cannot be reported on: missing, empty, or inconsistent."""


class GradebookError(NnexError):
    """The SQLite gradebook in an output folder cannot be read or written."""


class TermError(NnexError):
    """A term file (roster, LMS archive, late policy, overrides) is malformed or cannot be
    mapped; the message names the file (and row) and what to change."""

"""The student's check: run the public checks on the exercise files in one folder."""

from __future__ import annotations

from pathlib import Path

from nnex.course.content import Course
from nnex.errors import UsageError
from nnex.sandbox.host import WorkerHost
from nnex.grading.direct import run_plain_checks
from nnex.grading.results import SubmissionResult
from nnex.grading.submissions import Submission
from nnex.variants.identity import kit_identity


def check_folder(folder: Path, exercise_ids: list[str] | None = None, *,
                 course: Course | None = None,
                 host: WorkerHost | None = None,
                 identity: str | None = None) -> SubmissionResult:
    """Run the public checks of ``exercise_ids`` (all when empty) on the files in ``folder``
    (without pytest when the graders are plain: ``nnex.grading.direct``).

    Args:
        identity: whose per-student numbers (``nnex.variants``); default: the one remembered in
            ``folder`` or, in GitHub Classroom, the GitHub username (``kit_identity``).

    Raises:
        UsageError: ``folder`` is not a folder, or an exercise id is unknown.
    """
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder; run nnex check in the folder that holds "
                         "your exercise files, or pass --dir")
    course = course or Course.installed()
    exercises = course.exercises(exercise_ids)
    identity = identity or kit_identity(folder)
    submission = Submission(student=folder.resolve().name or str(folder), folder=folder,
                            identity=identity or "")
    return run_plain_checks([submission], exercises, course=course, hidden=False, host=host)[0]

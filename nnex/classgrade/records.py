"""The results folder that makes grading resumable: one JSON record per graded student.

``OUT/results/<student>.json`` is the student's ``SubmissionResult.to_dict()`` (what the class
report reads) plus a ``grading`` entry: the fingerprint it was graded under — a SHA-256 of the
student's exercise files, the exercises graded, the grader version (exercise metadata,
grader and reference files, nnex's grading code) and the isolation student code ran under —
a unique id and the time. A rerun reuses a record whose fingerprint still matches and regrades
everything else: a result graded under ``rlimits`` is never kept by a ``bwrap`` run (nor the
other way round), so a cheat that only works unconfined is regraded. A record with a grader
error is never reused: the grader's failure is retried, not remembered.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from nnex import __version__
from nnex.course.content import Course
from nnex.course.metadata import ExerciseMeta
from nnex.render.names import record_stem
from nnex.files import write_atomic
from nnex.grading.problems import StudentProblem
from nnex.grading.results import INFRASTRUCTURE, RESULT_SCHEMA, SubmissionResult
from nnex.grading.submissions import Submission

RECORD_SCHEMA = 2
"""2: the isolation is recorded and part of the fingerprint (older records are regraded)."""
RESULTS_FOLDER = "results"
_NNEX_DIR = Path(__file__).resolve().parent.parent
# The parts of nnex whose changes can change a score; a change to them regrades everyone.
_GRADING_CODE = ("grading/checks.py", "grading/grading.ini", "course/metadata.py",
                 "grading/outcome.py", "grading/plugin.py", "grading/problems.py",
                 "grading/results.py", "grading/stored.py", "grading/runner.py",
                 "grading/student.py", "sandbox/wire.py", "sandbox/worker.py")


@dataclass
class ResultRecord:
    """One student's graded result, as stored in ``OUT/results/<student>.json``."""

    student: str
    fingerprint: str
    result_id: str
    """Unique id of this grading (the gradebook keys its rows by it)."""
    graded_at: str
    """When the grading finished (ISO 8601, UTC)."""
    result: SubmissionResult
    isolation: str | None = None
    """The confinement student code ran under ("bwrap" or "rlimits")."""

    @property
    def complete(self) -> bool:
        """False when the grader failed on some exercise: such a record is graded again."""
        return all(exercise.status != INFRASTRUCTURE for exercise in self.result.exercises)

    def to_dict(self) -> dict:
        return {**self.result.to_dict(), "grading": {
            "schema_version": RECORD_SCHEMA, "fingerprint": self.fingerprint,
            "result_id": self.result_id, "graded_at": self.graded_at,
            "isolation": self.isolation}}

    @classmethod
    def from_dict(cls, data: dict) -> "ResultRecord":
        grading = data["grading"]
        if grading.get("schema_version") != RECORD_SCHEMA:
            raise ValueError(f"record schema_version {grading.get('schema_version')!r}")
        result = SubmissionResult.from_dict(data)
        return cls(student=result.student, fingerprint=grading["fingerprint"],
                   result_id=grading["result_id"], graded_at=grading["graded_at"],
                   result=result, isolation=grading.get("isolation"))


def new_record(result: SubmissionResult, fingerprint: str,
               isolation: str | None = None) -> ResultRecord:
    """A record for a result graded just now (under ``isolation``), with a fresh id."""
    return ResultRecord(student=result.student, fingerprint=fingerprint,
                        result_id=uuid.uuid4().hex, graded_at=utc_now(), result=result,
                        isolation=isolation)


def isolations_of(records: list[ResultRecord]) -> str | None:
    """The isolations ``records`` were graded under, joined by "+" (None when no record)."""
    known = sorted({record.isolation or "unknown" for record in records})
    return "+".join(known) if known else None


def utc_now() -> str:
    """The current time as ISO 8601 UTC, to the millisecond."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def grader_version(course: Course, exercises: list[ExerciseMeta]) -> str:
    """A hash of everything that decides a score for ``exercises`` (but not the submissions)."""
    digest = hashlib.sha256(f"nnex {__version__} results {RESULT_SCHEMA}\0".encode())
    files = [_NNEX_DIR / name for name in _GRADING_CODE]
    for meta in exercises:
        files.append(course.exercises_dir / meta.id / "exercise.yaml")
        files += sorted((course.graders_dir / meta.id).glob("*.py"))
    if course.solutions_dir is not None:
        files += sorted(course.solutions_dir.glob("*.py"))
    for path in files:
        digest.update(f"{path.name}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()[:32]


def fingerprint(submission: Submission, module_names: list[str], version: str,
                exercise_ids: list[str], *, isolation: str) -> str:
    """A hash of what grading ``submission`` depends on.

    Args:
        module_names: every exercise module of the course (a file may import its siblings,
            so a change to any of them regrades the student).
        version: ``grader_version(...)`` of the exercises graded.
        exercise_ids: the exercises graded.
        isolation: the confinement student code runs under: a score earned unconfined must
            not be kept by a confined run.
    """
    digest = hashlib.sha256(f"{version}\0{','.join(exercise_ids)}\0{isolation}\0".encode())
    for name in module_names:
        try:
            content = "=" + submission.source(name)
        except StudentProblem as problem:
            content = f"!{problem.kind}:{problem}"
        digest.update(f"{name}\0{len(content)}\0{content}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def record_path(results_dir: Path, student: str) -> Path:
    """Where ``student``'s record lives (a file name safe for any folder name)."""
    return results_dir / f"{record_stem(student)}.json"


def write_record(results_dir: Path, record: ResultRecord) -> None:
    """Write one record atomically (a reader sees the previous record or this one)."""
    text = json.dumps(record.to_dict(), ensure_ascii=False, indent=1)
    write_atomic(record_path(results_dir, record.student), text + "\n")


def read_record(path: Path) -> ResultRecord | None:
    """The record in ``path``, or None when it is missing or unreadable (it is then regraded)."""
    try:
        return ResultRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_records(results_dir: Path, students: list[str]) -> dict[str, ResultRecord]:
    """The readable records of ``students`` in ``results_dir``, by student."""
    records = {}
    for student in students:
        record = read_record(record_path(results_dir, student))
        if record is not None and record.student == student:
            records[student] = record
    return records


def remove_stale(results_dir: Path, keep: set[str]) -> None:
    """Delete the records of students not in ``keep`` (they left the class or the shard)."""
    if not results_dir.is_dir():
        return
    stems = {record_stem(student) for student in keep}
    for entry in os.scandir(results_dir):
        if entry.name.endswith(".json") and entry.name[:-len(".json")] not in stems:
            Path(entry.path).unlink(missing_ok=True)

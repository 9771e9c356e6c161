"""Grading results as plain data: check → exercise → submission, with one versioned dict form."""

from __future__ import annotations

from dataclasses import dataclass, field

from nnex.grading.problems import UNFINISHED_KINDS, ProblemKind
from nnex.grading.stored import StoredValue
from nnex.text import Text

RESULT_SCHEMA = 1


class Outcome(StoredValue):
    """How one check ended."""

    PASSED = "passed"
    FAILED = "failed"              # a wrong value (CheckFailed)
    ERROR = "error"                # the student's code raised, timed out, … (StudentProblem)
    GRADER_ERROR = "grader_error"  # the grader itself failed: never the student's fault


class Status(StoredValue):
    """How one exercise of one submission was graded (derived from its checks)."""

    GRADED = "graded"                  # the code ran; the score is what the checks gave
    NOT_ATTEMPTED = "not_attempted"    # every check hit NotImplementedError: the stub as released
    MISSING = "missing"                # the file was never submitted
    NOT_LOADABLE = "not_loadable"      # not UTF-8, syntax error, import failed, …
    INFRASTRUCTURE = "grader_error"    # our fault, never the student's


# The members under their short names, as renderers and graders import them.
PASSED, FAILED, ERROR, GRADER_ERROR = Outcome
GRADED, NOT_ATTEMPTED, MISSING, NOT_LOADABLE, INFRASTRUCTURE = Status


@dataclass
class CheckResult:
    """One check of one exercise for one student."""

    name: str
    title: Text
    points: float
    max_points: float
    outcome: Outcome
    visibility: str = "public"
    hint: Text | None = None
    hint_key: str | None = None
    message: Text | None = None
    what: str | None = None
    problem: str | None = None
    expected: str | None = None
    actual: str | None = None
    seconds: float = 0.0
    kind: ProblemKind | None = None
    """For outcome ``error``: the StudentProblem kind (timeout, raised, not_implemented, …)."""

    def __post_init__(self) -> None:
        # Results read back from JSON, a pool worker or the gradebook carry plain strings.
        self.outcome = Outcome(self.outcome)
        self.kind = ProblemKind(self.kind) if self.kind is not None else None

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["outcome"] = self.outcome.value
        data["kind"] = self.kind.value if self.kind is not None else None
        for key in ("title", "hint", "message"):
            data[key] = data[key].to_dict() if data[key] is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "CheckResult":
        data = dict(data)
        for key in ("title", "hint", "message"):
            data[key] = Text.from_dict(data[key]) if data.get(key) is not None else None
        return cls(**data)


@dataclass
class ExerciseResult:
    """All checks of one exercise for one student."""

    exercise: str
    title: Text
    checks: list[CheckResult] = field(default_factory=list)
    reason: Text | None = None
    """Why the exercise could not be graded normally (file missing, import error, …)."""
    output: str = ""
    """What the student's code printed (capped)."""

    @property
    def score(self) -> float:
        return sum(c.points for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.max_points for c in self.checks)

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.checks)

    @property
    def status(self) -> Status:
        if any(c.outcome == Outcome.GRADER_ERROR for c in self.checks):
            return Status.INFRASTRUCTURE
        if self.reason is not None:
            if self.checks and all(c.kind == ProblemKind.MISSING_FILE for c in self.checks):
                return Status.MISSING
            return Status.NOT_LOADABLE
        if self.checks and all(c.kind in UNFINISHED_KINDS for c in self.checks):
            return Status.NOT_ATTEMPTED
        return Status.GRADED

    def to_dict(self) -> dict:
        # "status" is derived (from_dict ignores it): written so that readers of the JSON see it.
        return {"exercise": self.exercise, "title": self.title.to_dict(),
                "status": self.status.value,
                "checks": [c.to_dict() for c in self.checks],
                "reason": self.reason.to_dict() if self.reason else None, "output": self.output}

    @classmethod
    def from_dict(cls, data: dict) -> "ExerciseResult":
        return cls(exercise=data["exercise"], title=Text.from_dict(data["title"]),
                   checks=[CheckResult.from_dict(c) for c in data["checks"]],
                   reason=Text.from_dict(data["reason"]) if data.get("reason") else None,
                   output=data.get("output", ""))


@dataclass
class SubmissionResult:
    """One student's results over the exercises graded."""

    student: str
    exercises: list[ExerciseResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(e.max_score for e in self.exercises)

    @property
    def seconds(self) -> float:
        return sum(e.seconds for e in self.exercises)

    def exercise(self, exercise_id: str) -> ExerciseResult:
        for result in self.exercises:
            if result.exercise == exercise_id:
                return result
        raise KeyError(exercise_id)

    def to_dict(self) -> dict:
        return {"schema_version": RESULT_SCHEMA, "student": self.student,
                "exercises": [e.to_dict() for e in self.exercises]}

    @classmethod
    def from_dict(cls, data: dict) -> "SubmissionResult":
        version = data.get("schema_version")
        if version != RESULT_SCHEMA:
            raise ValueError(f"result schema_version {version!r}; this nnex reads {RESULT_SCHEMA}")
        return cls(student=data["student"],
                   exercises=[ExerciseResult.from_dict(e) for e in data["exercises"]])

"""Due dates and the late policy (``late.yaml``), applied to the recorded submission times.

Format (unknown keys are refused; times are ISO 8601 with their time zone)::

    schema_version: 1
    due: 2026-05-01T23:59:00+09:00       # every exercise's due date …
    exercises:                           # … unless an exercise has its own (optional)
      ex02_neuron: 2026-05-08T23:59:00+09:00
    grace_minutes: 10                    # handed in up to this late counts as on time
    penalty_per_day: 0.1                 # share of the points lost per started day late
    max_penalty: 0.5                     # the cap (default 1: everything)
    extensions:                          # per student: their own due date (all exercises)
      s002: 2026-05-04T23:59:00+09:00

Days late = started days after due + grace; penalty = min(days × penalty_per_day,
max_penalty); score after the policy = raw score × (1 − penalty).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from nnex.course.yaml_file import check_keys, check_schema_version
from nnex.errors import TermError

POLICY_SCHEMA = 1
_KEYS = {"schema_version", "due", "exercises", "grace_minutes", "penalty_per_day",
         "max_penalty", "extensions"}


@dataclass(frozen=True)
class LatePolicy:
    """A validated ``late.yaml``."""

    due: datetime
    exercises: dict[str, datetime] = field(default_factory=dict)
    grace_minutes: float = 0
    penalty_per_day: float = 0
    max_penalty: float = 1
    extensions: dict[str, datetime] = field(default_factory=dict)

    def due_for(self, student: str, exercise: str) -> datetime:
        """The due date that holds for ``student`` on ``exercise`` (an extension wins)."""
        return self.extensions.get(student) or self.exercises.get(exercise) or self.due


@dataclass(frozen=True)
class LateDecision:
    """What the policy did to one student's exercise."""

    raw_score: float
    score: float
    due: datetime
    submitted_at: datetime | None
    days_late: int
    penalty: float
    extended: bool

    def note(self) -> str:
        """One bilingual line for the student's feedback."""
        due = self.due.isoformat(timespec="minutes")
        extension = "（延長あり） / (extended) " if self.extended else ""
        if self.submitted_at is None:
            return ("提出時刻の記録なし：遅延ペナルティなし / "
                    "no submission time recorded: no late penalty")
        if self.days_late == 0:
            return (f"期限 {due} {extension}内に提出 / handed in by the due date {due} "
                    f"{extension}").rstrip()
        return (f"期限 {due} {extension}から {self.days_late} 日遅れ：{self.penalty:.0%} 減点"
                f"（{self.raw_score:g} → {self.score:g} 点） / {self.days_late} day(s) late: "
                f"{self.penalty:.0%} taken off ({self.raw_score:g} → {self.score:g} points)")


def read_policy(path: Path) -> LatePolicy:
    """Read and validate ``path``.

    Raises:
        TermError: missing, not YAML, an unknown or missing key, a time without a time zone,
            a penalty outside 0..1.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TermError(f"{path}: no such late policy file") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TermError(f"{path}: not a readable YAML file ({str(exc).splitlines()[0]})"
                        ) from None
    if not isinstance(raw, dict):
        raise TermError(f"{path}: expected keys such as 'due' and 'penalty_per_day'")
    check_keys(path, raw, _KEYS, {"schema_version", "due"}, "", _error)
    check_schema_version(path, raw["schema_version"], POLICY_SCHEMA, _error)
    return LatePolicy(
        due=_time(path, "due", raw["due"]),
        exercises=_times(path, "exercises", raw.get("exercises")),
        grace_minutes=_number(path, "grace_minutes", raw.get("grace_minutes", 0), None),
        penalty_per_day=_number(path, "penalty_per_day", raw.get("penalty_per_day", 0), 1),
        max_penalty=_number(path, "max_penalty", raw.get("max_penalty", 1), 1),
        extensions=_times(path, "extensions", raw.get("extensions")))


def apply_policy(policy: LatePolicy, student: str, exercise: str, raw_score: float,
                 submitted_at: datetime | None) -> LateDecision:
    """The score of ``student``'s ``exercise`` after the late policy."""
    due = policy.due_for(student, exercise)
    days = 0
    if submitted_at is not None:
        late = submitted_at - due - timedelta(minutes=policy.grace_minutes)
        days = max(0, math.ceil(late / timedelta(days=1)))
    penalty = min(days * policy.penalty_per_day, policy.max_penalty)
    return LateDecision(raw_score=raw_score, score=round(raw_score * (1 - penalty), 6),
                        due=due, submitted_at=submitted_at, days_late=days, penalty=penalty,
                        extended=student in policy.extensions)


def _error(path: Path, message: str) -> TermError:
    return TermError(f"{path}: {message}")


def _time(path: Path, key: str, value: object) -> datetime:
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise TermError(f"{path}: '{key}: {value}' is not an ISO 8601 time with its time zone; "
                        "write e.g. 2026-05-01T23:59:00+09:00")
    return parsed


def _times(path: Path, key: str, value: object) -> dict[str, datetime]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TermError(f"{path}: '{key}' maps names to due dates "
                        "(name: 2026-05-01T23:59:00+09:00)")
    return {str(name): _time(path, f"{key}.{name}", when) for name, when in value.items()}


def _number(path: Path, key: str, value: object, most: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (
            most is not None and value > most):
        limit = f" from 0 to {most:g}" if most is not None else " of at least 0"
        raise TermError(f"{path}: '{key}: {value}' must be a number{limit}")
    return float(value)

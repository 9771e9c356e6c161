"""Loading and validating an exercise's metadata file (``exercise.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nnex.errors import MetadataError
from nnex.grading.problems import COMMON_HINTS
from nnex.text import Text
from nnex.course.yaml_file import check_keys, check_schema_version, suggest
from nnex.variants.spec import VARIANTS_FILE, VariantSpec, parse_variants

SCHEMA_VERSION = 1
"""The metadata format this version of nnex reads."""

_TOP_KEYS = {
    "schema_version", "id", "title", "lecture", "provides", "time_limit", "checks", "hints",
}
_REQUIRED_KEYS = _TOP_KEYS - {"hints"}
_TIME_KEYS = {"call_seconds", "exercise_seconds"}
_CHECK_KEYS = {"points", "title"}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class TimeLimit:
    """Limits for student code: one call (CPU seconds) and one exercise in total (wall seconds)."""

    call_seconds: float
    exercise_seconds: float


@dataclass(frozen=True)
class CheckMeta:
    """One check (a pytest test ``test_<name>`` in the grader) and what it is worth."""

    name: str
    points: float
    title: Text


@dataclass(frozen=True)
class ExerciseMeta:
    """Everything nnex knows about one exercise, read from its ``exercise.yaml``."""

    id: str
    title: Text
    lecture: Text
    provides: tuple[str, ...]
    time_limit: TimeLimit
    checks: dict[str, CheckMeta]
    hints: dict[str, Text] = field(default_factory=dict)
    path: Path | None = None
    variants: VariantSpec | None = None
    """Per-student numbers (``nnex.variants``, the exercise's ``variants.yaml``), or None when
    every student has the lecture's: the exercise has none, or the course has them off."""

    @property
    def max_score(self) -> float:
        return sum(check.points for check in self.checks.values())

    def hint(self, key: str) -> Text:
        """The bilingual hint called ``key``.

        Raises:
            MetadataError: no hint of that name (a grader bug, caught by the project's tests).
        """
        try:
            return self.hints[key] if key in self.hints else COMMON_HINTS[key]
        except KeyError:
            raise MetadataError(self.path, f"grader asked for hint '{key}', which is not "
                                f"defined under 'hints'{suggest(key, self.hints)}") from None


def load_exercise(path: Path, *, per_student_numbers: bool = False) -> ExerciseMeta:
    """Read and validate ``path`` (an ``exercise.yaml``).

    Args:
        per_student_numbers: the course turns per-student numbers on: a ``variants.yaml``
            beside ``path`` adds its constant to ``provides`` and its checks to ``checks``.

    Raises:
        MetadataError: the file (or its ``variants.yaml``) is missing, not YAML, has unknown or
            missing keys, or values of the wrong kind. The message names the file and the key.
    """
    raw = _read_mapping(path)
    check_schema_version(path, raw.get("schema_version"), SCHEMA_VERSION, MetadataError)
    check_keys(path, raw, _TOP_KEYS, _REQUIRED_KEYS, where="", error=MetadataError)

    exercise_id = _string(path, raw, "id")
    if exercise_id != path.parent.name:
        raise MetadataError(path, f"id '{exercise_id}' must equal its folder name "
                            f"'{path.parent.name}'")
    provides = raw["provides"]
    if not (isinstance(provides, list) and provides
            and all(isinstance(n, str) and n.isidentifier() for n in provides)):
        raise MetadataError(path, "'provides' must be a non-empty list of Python names")

    limits = raw["time_limit"]
    if not isinstance(limits, dict):
        raise MetadataError(path, "'time_limit' must be a mapping with "
                            "call_seconds and exercise_seconds")
    check_keys(path, limits, _TIME_KEYS, _TIME_KEYS, where="time_limit.", error=MetadataError)
    time_limit = TimeLimit(
        call_seconds=_positive(path, limits, "call_seconds", "time_limit."),
        exercise_seconds=_positive(path, limits, "exercise_seconds", "time_limit."),
    )

    checks = _checks(path, raw["checks"])

    raw_hints = raw.get("hints") or {}
    if not isinstance(raw_hints, dict):
        raise MetadataError(path, "'hints' must map hint names to {ja, en}")
    hints = {name: _text(path, raw_hints, name, "hints.") for name in raw_hints}

    variants = None
    variants_path = path.parent / VARIANTS_FILE
    if per_student_numbers and variants_path.is_file():
        raw_variants = _read_mapping(variants_path)
        variants = parse_variants(variants_path, raw_variants, tuple(provides), MetadataError)
        added = _checks(variants_path, raw_variants["checks"])
        for name in added.keys() & checks.keys():
            raise MetadataError(variants_path, f"check '{name}' is already in {path.name}")
        checks.update(added)
        provides = [*provides, variants.constant]

    return ExerciseMeta(
        id=exercise_id,
        title=_text(path, raw, "title", ""),
        lecture=_text(path, raw, "lecture", ""),
        provides=tuple(provides),
        time_limit=time_limit,
        checks=checks,
        hints=hints,
        path=path,
        variants=variants,
    )


def _read_mapping(path: Path) -> dict:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        raise MetadataError(path, "file not found; every exercise folder needs one") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MetadataError(path, f"not valid UTF-8 YAML ({_one_line(exc)})") from None
    if not isinstance(raw, dict):
        raise MetadataError(path, "must be a YAML mapping of keys to values")
    return raw


def _checks(path: Path, raw_checks: object) -> dict[str, CheckMeta]:
    if not isinstance(raw_checks, dict) or not raw_checks:
        raise MetadataError(path, "'checks' must map check names to {points, title}")
    checks = {}
    for name, spec in raw_checks.items():
        where = f"checks.{name}."
        if not (isinstance(name, str) and _NAME.match(name)):
            raise MetadataError(path, f"check name {name!r} must be lower_snake_case")
        if not isinstance(spec, dict):
            raise MetadataError(path, f"'checks.{name}' must be a mapping with points and title")
        check_keys(path, spec, _CHECK_KEYS, _CHECK_KEYS, where=where, error=MetadataError)
        checks[name] = CheckMeta(name=name, points=_positive(path, spec, "points", where),
                                 title=_text(path, spec, "title", where))
    return checks


def _string(path: Path, raw: dict, key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value:
        raise MetadataError(path, f"'{key}' must be a non-empty string")
    return value


def _positive(path: Path, raw: dict, key: str, where: str) -> float:
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise MetadataError(path, f"'{where}{key}' must be a positive number, not {value!r}")
    return float(value)


def _text(path: Path, raw: dict, key: str, where: str) -> Text:
    value = raw[key]
    if not isinstance(value, dict):
        raise MetadataError(path, f"'{where}{key}' must have a 'ja' and an 'en' text")
    check_keys(path, value, {"ja", "en"}, {"ja", "en"}, where=f"{where}{key}.",
               error=MetadataError)
    if not all(isinstance(value[lang], str) and value[lang].strip() for lang in ("ja", "en")):
        raise MetadataError(path, f"'{where}{key}.ja' and '.en' must be non-empty strings")
    return Text(ja=value["ja"].strip(), en=value["en"].strip())


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())

"""Course-wide settings (``exercises/settings.yaml``): the instructor's opt-ins, read by every
command through ``Course.settings``, in the instructor's install and in the kits it builds.

```yaml
schema_version: 1
per_student_numbers: false   # true: each student their own numbers (exercises' variants.yaml)
```

A missing file means every default (a course or kit built before the file existed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from nnex.course.yaml_file import check_keys, check_schema_version
from nnex.errors import MetadataError

SETTINGS_FILE = "settings.yaml"
SCHEMA_VERSION = 1
_KEYS = {"schema_version", "per_student_numbers"}


@dataclass(frozen=True)
class CourseSettings:
    """What the instructor turned on for the whole course.

    Attributes:
        per_student_numbers: exercises with a ``variants.yaml`` give each student their own
            numbers (``nnex.variants``): its constant, its check, the stub's and statement's
            marked sections. Off (the default): the course is exactly the contract's.
    """

    per_student_numbers: bool = False


def load_settings(path: Path) -> CourseSettings:
    """Read ``path`` (``settings.yaml``); the defaults when it does not exist.

    Raises:
        MetadataError: not YAML, unknown keys, or a value of the wrong kind.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return CourseSettings()
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MetadataError(path, f"not valid UTF-8 YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(raw, dict):
        raise MetadataError(path, "must be a YAML mapping, such as 'per_student_numbers: false'")
    check_schema_version(path, raw.get("schema_version"), SCHEMA_VERSION, MetadataError)
    check_keys(path, raw, _KEYS, {"schema_version"}, where="", error=MetadataError)
    enabled = raw.get("per_student_numbers", False)
    if not isinstance(enabled, bool):
        raise MetadataError(path, f"'per_student_numbers' must be true or false, not {enabled!r}")
    return CourseSettings(per_student_numbers=enabled)


def write_settings(path: Path, settings: CourseSettings) -> None:
    """Write ``settings`` to ``path`` (a kit's or bundle's copy, or a test course's)."""
    path.write_text(f"schema_version: {SCHEMA_VERSION}\n"
                    f"per_student_numbers: {str(settings.per_student_numbers).lower()}\n",
                    encoding="utf-8")

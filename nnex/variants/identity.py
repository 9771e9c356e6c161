"""Whose numbers: a student's identity, and the numbers it derives by stable hashing.

Like PrairieLearn's ``generate()``, but offline: the variant is SHA-256 of the course id, the
exercise and the identity, so the same student gets the same numbers in ``nnex check``,
``nnex grade``, GitHub Classroom and Gradescope, on any machine.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from nnex.variants.spec import Numbers, VariantSpec

IDENTITY_FILE = ".nnex-student"
"""In the kit folder: the identity the student set once with ``nnex check --student ID``."""
CLASSROOM_FOLDER = "-submissions"
"""``gh classroom clone student-repos`` clones an assignment's repositories, each named
``<assignment slug>-<GitHub username>``, into ``<assignment slug>-submissions/``."""


def normalize(identity: str) -> str:
    """The form that is hashed: surrounding space dropped, case folded (GitHub usernames and
    e-mail addresses ignore case)."""
    return identity.strip().casefold()


def pick(spec: VariantSpec, exercise_id: str, identity: str) -> Numbers:
    """The student's numbers for ``exercise_id``: one of ``spec.all_numbers()``, chosen by
    SHA-256 of course id, exercise and identity."""
    seed = "\n".join((spec.course_id, exercise_id, normalize(identity))).encode("utf-8")
    digest = hashlib.sha256(seed).digest()
    variants = spec.all_numbers()
    return variants[int.from_bytes(digest[:8], "big") % len(variants)]


def graded_identity(student: str, folder: Path) -> str:
    """Whose numbers ``nnex grade`` judges a submission folder by: the student's folder name;
    for a GitHub Classroom repository cloned by ``gh classroom clone student-repos``
    (``<slug>-submissions/<slug>-<username>``), the GitHub username, as the Classroom workflow's
    ``nnex check`` has it (``GITHUB_ACTOR``)."""
    parent = folder.parent.name
    slug = parent[:-len(CLASSROOM_FOLDER)] if parent.endswith(CLASSROOM_FOLDER) else ""
    if slug and student.startswith(f"{slug}-") and len(student) > len(slug) + 1:
        return student[len(slug) + 1:]
    return student


def describe(numbers: Numbers) -> str:
    """``a_out = 5, w_a = 7, b_limit = 4``."""
    return ", ".join(f"{name} = {value:g}" for name, value in numbers.items())


def remember(folder: Path, identity: str) -> None:
    """Store ``identity`` in ``folder`` for later runs of ``nnex check``."""
    (folder / IDENTITY_FILE).write_text(identity.strip() + "\n", encoding="utf-8")


def kit_identity(folder: Path, environ: dict[str, str] | None = None) -> str | None:
    """Who runs ``nnex check`` in ``folder``: the remembered identity, else the GitHub username
    in a GitHub Actions run (GitHub Classroom), else None."""
    environ = os.environ if environ is None else environ
    try:
        saved = (folder / IDENTITY_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        saved = ""
    if saved:
        return saved
    if environ.get("GITHUB_ACTIONS") == "true" and environ.get("GITHUB_ACTOR", "").strip():
        return environ["GITHUB_ACTOR"].strip()
    return None


def gradescope_identity(metadata: Path) -> str | None:
    """The submitter in Gradescope's ``submission_metadata.json``: ``users[0].email``, else its
    ``sid``; None when the file is missing or has neither."""
    try:
        users = json.loads(metadata.read_text(encoding="utf-8")).get("users") or []
    except (OSError, ValueError, AttributeError):
        return None
    first = users[0] if users and isinstance(users[0], dict) else {}
    for key in ("email", "sid"):
        value = first.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    return None

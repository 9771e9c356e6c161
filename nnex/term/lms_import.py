"""``nnex import``: an LMS's bulk-download archive turned into the submissions layout.

Writes ``SUBMISSIONS/<student_id>/<file>`` for every file it can map to a roster student, and
``SUBMISSIONS/submitted.csv`` (``student_id, submitted_at, lms_late``: the latest time the
archive records for the student's files, ISO 8601 in UTC, and whether the LMS marked it late),
which ``nnex grade --late-policy`` reads. ``nnex grade`` only looks at folders, so the CSV
beside them is never taken for a student.

Archive layouts (zip files; a Moodle download already unpacked into a folder works too):

``canvas``  "Download Submissions": every file at the top, named
            ``<name>[_LATE]_<user id>_<attachment id>_<original file name>`` where ``<name>``
            is the sortable name in lower case without spaces or punctuation and ``_LATE``
            marks a file handed in after the due date; a re-submitted file's name gains
            ``-1``, ``-2`` … before its extension, which is dropped. Mapped by the roster's
            ``lms_id`` (the Canvas user id).
``moodle``  assignment "Download all submissions": ``<Full Name>_<participant id>_
            assignsubmission_file_/<file>`` (one folder per student) or, without folders,
            ``<Full Name>_<participant id>_assignsubmission_file_<file>``; online-text
            entries (``assignsubmission_onlinetext_``) are skipped. Mapped by the roster's
            ``lms_id`` (the participant id), else by a unique full name.

Zip entry times carry no time zone; they are read as UTC. What cannot be mapped is refused
with one line each, and the rest is imported.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from nnex.errors import TermError, UsageError
from nnex.files import write_atomic
from nnex.term.roster import Roster, Student

LMS_NAMES = ("canvas", "moodle")
TIMES_FILE = "submitted.csv"
TIMES_COLUMNS = ["student_id", "submitted_at", "lms_late"]
MAX_FILE_BYTES = 20 << 20
"""A larger entry is refused (a notebook with its outputs stays well under it)."""

_CANVAS = re.compile(r"^(?P<name>[^_/]+)(?P<late>_LATE)?_(?P<user>\d+)_(?P<attachment>\d+)_"
                     r"(?P<file>[^/]+)$")
_RESUBMITTED = re.compile(r"^(?P<stem>.+)-\d+(?P<suffix>\.[^.]+)$")
_MOODLE = re.compile(r"^(?P<name>.+)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)_"
                     r"(?:/(?P<inner>.+)|(?P<flat>[^/]+))$")


@dataclass
class Entry:
    """One file of an archive: its name inside, bytes and recorded time (UTC)."""

    name: str
    data: bytes | None
    """None: larger than ``MAX_FILE_BYTES`` (refused)."""
    time: datetime


@dataclass
class ImportResult:
    """What ``import_archive`` wrote and what it refused."""

    files: dict[str, list[str]] = field(default_factory=dict)
    """Each mapped student's files (by student id)."""
    submitted_at: dict[str, datetime] = field(default_factory=dict)
    late_marked: set[str] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)
    """One line per archive entry that could not be mapped."""


def import_archive(archive: Path, roster: Roster, submissions_dir: Path, *,
                   lms: str) -> ImportResult:
    """Unpack ``archive`` (an ``lms`` bulk download) into ``submissions_dir``.

    Raises:
        UsageError: ``lms`` is unknown or ``submissions_dir`` exists and is not empty.
        TermError: the archive cannot be read at all.
    """
    if lms not in LMS_NAMES:
        raise UsageError(f"--lms {lms}: choose one of {', '.join(LMS_NAMES)}")
    if submissions_dir.exists() and (not submissions_dir.is_dir()
                                     or any(submissions_dir.iterdir())):
        raise UsageError(f"--out {submissions_dir} exists and is not an empty folder; import "
                         "each archive into a new folder")
    result = ImportResult()
    placed: dict[tuple[str, str], Entry] = {}
    for entry in read_entries(archive):
        if entry.data is None:
            result.refused.append(f"{entry.name}: larger than {MAX_FILE_BYTES >> 20} MiB; "
                                  "not imported")
            continue
        mapped = (_canvas if lms == "canvas" else _moodle)(entry, roster, result)
        if mapped is None:
            continue
        student, file_name = mapped
        if not _safe_file_name(file_name):
            result.refused.append(f"{entry.name}: file name '{file_name}' is not a plain file "
                                  "name; not imported")
            continue
        key = (student.student_id, file_name)
        if key not in placed or entry.time >= placed[key].time:  # the newest resubmission
            placed[key] = entry
        seen = result.submitted_at.get(student.student_id)
        result.submitted_at[student.student_id] = max(seen or entry.time, entry.time)
    for (student_id, file_name), entry in sorted(placed.items()):
        folder = submissions_dir / student_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / file_name).write_bytes(entry.data)
        result.files.setdefault(student_id, []).append(file_name)
    submissions_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(submissions_dir / TIMES_FILE, times_csv(result))
    return result


def times_csv(result: ImportResult) -> str:
    """``submitted.csv``'s text: one row per imported student, sorted by id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TIMES_COLUMNS)
    for student_id in sorted(result.submitted_at):
        writer.writerow([student_id, result.submitted_at[student_id].isoformat(),
                         int(student_id in result.late_marked)])
    return buffer.getvalue()


def read_times(submissions_dir: Path) -> dict[str, datetime]:
    """The submission times ``nnex import`` recorded in ``submissions_dir/submitted.csv``.

    Raises:
        TermError: the file is missing or malformed.
    """
    path = submissions_dir / TIMES_FILE
    try:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    except FileNotFoundError:
        raise TermError(f"{path}: no submission times; a late policy needs them: import the "
                        "LMS archive with nnex import, or write this file (student_id, "
                        "submitted_at)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TermError(f"{path}: cannot be read ({exc})") from None
    times = {}
    for line, row in enumerate(rows, start=2):
        try:
            times[row["student_id"]] = parse_time(row["submitted_at"])
        except (KeyError, TypeError, ValueError):
            raise TermError(f"{path}, row {line}: needs student_id and an ISO 8601 "
                            "submitted_at with its time zone (2026-05-01T23:59:00+09:00)"
                            ) from None
    return times


def parse_time(text: str) -> datetime:
    """An ISO 8601 time with a time zone. Raises ValueError otherwise."""
    value = datetime.fromisoformat(str(text).strip())
    if value.tzinfo is None:
        raise ValueError("no time zone")
    return value


def read_entries(archive: Path) -> list[Entry]:
    """Every file of a zip archive, or of an unpacked folder (times from the files).

    Raises:
        TermError: missing, not a zip file, or damaged.
    """
    if archive.is_dir():
        return [Entry(path.relative_to(archive).as_posix(), path.read_bytes(),
                      datetime.fromtimestamp(path.stat().st_mtime, timezone.utc))
                for path in sorted(archive.rglob("*")) if path.is_file()
                and not path.is_symlink()]
    try:
        with zipfile.ZipFile(archive) as bundle:
            return [Entry(info.filename, _read(bundle, info),
                          datetime(*info.date_time, tzinfo=timezone.utc))
                    for info in bundle.infolist() if not info.is_dir()]
    except FileNotFoundError:
        raise TermError(f"{archive}: no such archive; pass the zip file the LMS "
                        "downloaded") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise TermError(f"{archive}: not a readable zip file ({exc}); download it "
                        "again") from None


def _read(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    return None if info.file_size > MAX_FILE_BYTES else bundle.read(info)


def _canvas(entry: Entry, roster: Roster, result: ImportResult) -> tuple[Student, str] | None:
    match = _CANVAS.match(entry.name)
    if match is None:
        result.refused.append(f"{entry.name}: not named like a Canvas submission "
                              "(name[_LATE]_userid_attachmentid_file); not imported")
        return None
    student = roster.by_lms_id(match["user"])
    if student is None:
        result.refused.append(f"{entry.name}: Canvas user id {match['user']} is no lms_id of "
                              "the roster; add it to roster.csv and import again")
        return None
    if match["late"]:
        result.late_marked.add(student.student_id)
    file_name = match["file"]
    resubmitted = _RESUBMITTED.match(file_name)
    if resubmitted:
        file_name = resubmitted["stem"] + resubmitted["suffix"]
    return student, file_name


def _moodle(entry: Entry, roster: Roster, result: ImportResult) -> tuple[Student, str] | None:
    match = _MOODLE.match(entry.name)
    if match is None:
        result.refused.append(f"{entry.name}: not named like a Moodle submission "
                              "(Full Name_id_assignsubmission_file_); not imported")
        return None
    if match["plugin"] != "file":
        return None  # online text, comments: not a file to grade
    student = roster.by_lms_id(match["participant"])
    if student is None:
        named = roster.by_name(match["name"])
        if len(named) != 1:
            why = "no roster name" if not named else f"{len(named)} roster names"
            result.refused.append(
                f"{entry.name}: participant {match['participant']} '{match['name']}' matches "
                f"no lms_id and {why}; add its lms_id to roster.csv and import again")
            return None
        student = named[0]
    return student, match["inner"] or match["flat"]


def _safe_file_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (len(path.parts) == 1 and name not in (".", "..") and not name.startswith(".")
            and "\\" not in name and "\0" not in name)


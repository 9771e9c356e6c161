"""The term's library parts on their own: roster validation, the late policy's arithmetic,
archive mapping and refusals, override checks, exports needing a roster."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from nnex.errors import TermError, UsageError
from nnex.term.late import LatePolicy, apply_policy, read_policy
from nnex.term.lms_import import import_archive, read_times
from nnex.term.roster import compare_with_folders, read_roster

JST = timezone(timedelta(hours=9))
DUE = datetime(2026, 5, 1, 23, 59, tzinfo=JST)
HEADER = "student_id,name,email,section,lms_id\n"


def _roster(tmp_path: Path, text: str, *, name: str = "roster.csv", bom: bool = False):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_a_roster_is_read_with_a_bom_and_blank_lines(tmp_path):
    roster = read_roster(_roster(tmp_path, HEADER + "s1,山田 太郎,t@x.jp,A,7\n\ns2,Bo,,,\n",
                                 bom=True))
    assert roster.ids() == ["s1", "s2"]
    assert roster.by_lms_id("7").name == "山田 太郎" and roster.by_lms_id("") is None
    assert compare_with_folders(roster, ["s2", "zed", "amy"]) == (["s1"], ["amy", "zed"])


@pytest.mark.parametrize("text, message", [
    ("", "empty; the first row names the columns (student_id, name, …)"),
    ("student_id,name,sectoin\n", "unknown column 'sectoin' — did you mean 'section'?; the "
                                  "columns are student_id, name, email, section, lms_id"),
    ("student_id,email\n", "no 'name' column; the first row must name student_id and name"),
    (HEADER, "no students below the header row"),
    (HEADER + ",Ann,,,\n", "row 2: empty student_id; every student needs an id"),
    (HEADER + "s1,,,,\n", "row 2: empty name for student_id 's1'"),
    (HEADER + "s1,Ann,ann.example.jp,,\n", "row 2: email 'ann.example.jp' has no '@'"),
    (HEADER + "s1,Ann,,,\ns1,Ben,,,\n", "row 3: student_id 's1' is listed twice"),
    (HEADER + "s1,Ann,,,9\ns2,Ben,,,9\n", "row 3: lms_id '9' is listed twice ('s1' and 's2')"),
    (HEADER + "../x,Ann,,,\n", "row 2: student_id '../x' cannot be a folder name; use "
                               "letters, digits, '-' and '_'"),
    (HEADER + "s1,Ann,a@b,A\n", "row 2: 4 cells for 5 columns; quote cells that hold a comma"),
])
def test_a_bad_roster_is_one_line_naming_the_row(tmp_path, text, message):
    path = _roster(tmp_path, text)
    with pytest.raises(TermError) as caught:
        read_roster(path)
    assert str(caught.value) in (f"{path}: {message}", f"{path}, {message}")
    assert "\n" not in str(caught.value)


def test_a_roster_that_is_missing_or_not_utf8(tmp_path):
    with pytest.raises(TermError, match="no such roster file; write one with the columns"):
        read_roster(tmp_path / "nowhere.csv")
    path = tmp_path / "sjis.csv"
    path.write_bytes((HEADER + "s1,山田,,,\n").encode("cp932"))
    with pytest.raises(TermError, match="not UTF-8 text; save the roster as CSV UTF-8"):
        read_roster(path)


POLICY = LatePolicy(due=DUE, exercises={"ex02": DUE + timedelta(days=7)}, grace_minutes=10,
                    penalty_per_day=0.1, max_penalty=0.3,
                    extensions={"s9": DUE + timedelta(days=2)})


@pytest.mark.parametrize("student, exercise, late_by, days, penalty", [
    ("s1", "ex01", timedelta(minutes=10), 0, 0),        # inside the grace period
    ("s1", "ex01", timedelta(minutes=11), 1, 0.1),      # a started day counts
    ("s1", "ex01", timedelta(days=1, minutes=11), 2, 0.2),
    ("s1", "ex01", timedelta(days=9), 9, 0.3),          # capped
    ("s1", "ex02", timedelta(days=6), 0, 0),            # the exercise's own due date
    ("s9", "ex01", timedelta(days=2), 0, 0),            # the student's extension
    ("s9", "ex01", timedelta(days=3), 1, 0.1),
])
def test_the_late_policy_counts_started_days_after_grace(student, exercise, late_by, days,
                                                         penalty):
    decision = apply_policy(POLICY, student, exercise, 10, DUE + late_by)
    assert (decision.days_late, decision.penalty) == (days, pytest.approx(penalty))
    assert decision.score == pytest.approx(10 * (1 - penalty))


def test_no_recorded_time_means_no_penalty_and_says_so():
    decision = apply_policy(POLICY, "s1", "ex01", 10, None)
    assert (decision.score, decision.days_late) == (10, 0)
    assert decision.note().endswith("no submission time recorded: no late penalty")


@pytest.mark.parametrize("text, message", [
    ("schema_version: 1\ndue: 2026-05-01T23:59:00+09:00\npenalty_per_dya: 0.1\n",
     "unknown key 'penalty_per_dya' — did you mean 'penalty_per_day'?"),
    ("schema_version: 1\n", "missing key 'due'"),
    ("schema_version: 1\ndue: 2026-05-01 23:59\n", "'due: 2026-05-01 23:59' is not an ISO "
     "8601 time with its time zone; write e.g. 2026-05-01T23:59:00+09:00"),
    ("schema_version: 1\ndue: 2026-05-01T23:59:00+09:00\npenalty_per_day: 5\n",
     "'penalty_per_day: 5' must be a number from 0 to 1"),
    ("schema_version: 2\ndue: 2026-05-01T23:59:00+09:00\n", "schema_version 2 is newer"),
    ("schema_version: 1\ndue: 2026-05-01T23:59:00+09:00\nextensions: [s1]\n",
     "'extensions' maps names to due dates"),
])
def test_a_bad_late_policy_is_one_line(tmp_path, text, message):
    path = tmp_path / "late.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TermError) as caught:
        read_policy(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_policy_reads_times_with_their_zone(tmp_path):
    path = tmp_path / "late.yaml"
    path.write_text("schema_version: 1\ndue: 2026-05-01T23:59:00+09:00\n"
                    "extensions: {s2: '2026-05-03T23:59:00+09:00'}\n", encoding="utf-8")
    policy = read_policy(path)
    assert policy.due == DUE and policy.extensions == {"s2": DUE + timedelta(days=2)}


def _zip(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name in names:
            bundle.writestr(zipfile.ZipInfo(name, (2026, 5, 1, 0, 0, 0)), f"# {name}\n")
    return path


def test_moodle_without_folders_by_unique_name_and_what_is_refused(tmp_path):
    roster = read_roster(_roster(tmp_path, HEADER + "s1,Ann Lee,,,\ns2,Bo Kim,,,\n"
                                 "s3,Bo Kim,,,\n"))
    archive = _zip(tmp_path / "m.zip", [
        "Ann Lee_11_assignsubmission_file_ex01_relu.py",       # flat, mapped by name
        "Ann Lee_11_assignsubmission_file_/../../escape.py",   # not a plain file name
        "Ann Lee_11_assignsubmission_file_/.hidden.py",
        "Bo Kim_12_assignsubmission_file_/ex01_relu.py",       # two roster students named so
        "readme.txt",
    ])
    out = tmp_path / "subs"
    result = import_archive(archive, roster, out, lms="moodle")
    assert result.files == {"s1": ["ex01_relu.py"]}
    assert [line.split(": ", 1)[1] for line in result.refused] == [
        "file name '../../escape.py' is not a plain file name; not imported",
        "file name '.hidden.py' is not a plain file name; not imported",
        "participant 12 'Bo Kim' matches no lms_id and 2 roster names; add its lms_id to "
        "roster.csv and import again",
        "not named like a Moodle submission (Full Name_id_assignsubmission_file_); not "
        "imported"]
    assert sorted(p.name for p in out.iterdir()) == ["s1", "submitted.csv"]
    assert not (tmp_path / "escape.py").exists()
    assert read_times(out) == {"s1": datetime(2026, 5, 1, tzinfo=timezone.utc)}


def test_import_refuses_a_used_folder_a_bad_archive_and_an_unknown_lms(tmp_path):
    roster = read_roster(_roster(tmp_path, HEADER + "s1,Ann,,,1\n"))
    used = tmp_path / "used"
    (used / "old").mkdir(parents=True)
    archive = _zip(tmp_path / "c.zip", ["ann_1_2_ex01_relu.py"])
    with pytest.raises(UsageError, match="exists and is not an empty folder"):
        import_archive(archive, roster, used, lms="canvas")
    not_zip = tmp_path / "not.zip"
    not_zip.write_text("hello", encoding="utf-8")
    with pytest.raises(TermError, match="not a readable zip file"):
        import_archive(not_zip, roster, tmp_path / "a", lms="canvas")
    with pytest.raises(UsageError, match="--lms blackboard: choose one of canvas, moodle"):
        import_archive(archive, roster, tmp_path / "b", lms="blackboard")


def test_grading_times_must_exist_for_a_late_policy(tmp_path):
    with pytest.raises(TermError, match="submitted.csv: no submission times; a late policy "
                                        "needs them"):
        read_times(tmp_path)
    (tmp_path / "submitted.csv").write_text("student_id,submitted_at\ns1,2026-05-01 10:00\n",
                                            encoding="utf-8")
    with pytest.raises(TermError, match=r"row 2: needs student_id and an ISO 8601 "
                                        r"submitted_at with its time zone"):
        read_times(tmp_path)


def _graded_folder(tmp_path: Path) -> Path:
    """An output folder whose gradebook holds one run: ann 2/3 on ex01_relu."""
    from nnex.classgrade.gradebook import RunInfo, record_run
    from nnex.classgrade.records import new_record
    from nnex.grading.results import FAILED, PASSED, CheckResult, ExerciseResult, \
        SubmissionResult
    from nnex.text import Text

    checks = [CheckResult(name=name, title=Text(name, name), points=points, max_points=max_,
                          outcome=PASSED if points == max_ else FAILED, seconds=0.1)
              for name, points, max_ in (("a", 2.0, 2.0), ("b", 0.0, 1.0))]
    result = SubmissionResult(student="ann", exercises=[
        ExerciseResult(exercise="ex01_relu", title=Text("活性化関数", "activations"),
                       checks=checks)])
    out = tmp_path / "out"
    out.mkdir()
    record_run(out / "gradebook.sqlite",
               RunInfo(run_uuid="r1", started_at="s", finished_at="f", nnex_version="0",
                       grader_version="g", exercises=["ex01_relu"], shard=None,
                       isolation="bwrap", workers=1, submissions_dir="/class"),
               [(new_record(result, "f1"), False)])
    return out


@pytest.mark.parametrize("student, exercise, points, reason, message", [
    ("ann", "ex01_relu", 3, " ", "override ann ex01_relu: give a --reason (it is kept with "
                                 "the override)"),
    ("bob", "ex01_relu", 3, "r", "override bob ex01_relu: no student 'bob' in the gradebook; "
                                 "use the name of their submission folder"),
    ("ann", "ex02_neuron", 1, "r", "override ann ex02_neuron: exercise 'ex02_neuron' was not "
                                   "graded for 'ann'"),
    ("ann", "ex01_relu", 3.5, "r", "override ann ex01_relu: 3.5 points is outside 0..3"),
])
def test_a_wrong_override_is_refused_and_nothing_is_kept(tmp_path, student, exercise, points,
                                                         reason, message):
    import sqlite3

    from nnex.term.overrides import Override, add_overrides

    out = _graded_folder(tmp_path)
    fine = Override("ann", "ex01_relu", 1, "fine")
    with pytest.raises(TermError) as caught:
        add_overrides(out, [fine, Override(student, exercise, points, reason)], who="t")
    assert str(caught.value) == message
    with sqlite3.connect(out / "gradebook.sqlite") as db:  # all or none
        assert db.execute("SELECT count(*) FROM overrides").fetchone() == (0,)


def test_the_newest_override_applies_and_every_one_is_kept(tmp_path):
    from contextlib import closing

    from nnex.classgrade.gradebook import open_gradebook
    from nnex.term.gradesheet import refresh_term_files
    from nnex.term.overrides import (Override, add_overrides, all_overrides,
                                     read_overrides_csv)

    out = _graded_folder(tmp_path)
    assert refresh_term_files(out) is None  # nothing to apply: the folder stays as it is
    assert not (out / "grades.csv").exists()
    add_overrides(out, [Override("ann", "ex01_relu", 1, "first")], who="t1")
    sheet = tmp_path / "overrides.csv"
    sheet.write_text("student,exercise,points,reason\nann,ex01_relu,2.5,\"second, after a "
                     "regrade request\"\n", encoding="utf-8")
    add_overrides(out, read_overrides_csv(sheet), who="t2")
    grades = refresh_term_files(out)
    assert grades.rows["ann"][0].score == 2.5 and grades.rows["ann"][0].raw_score == 2
    assert (out / "grades.csv").read_text(encoding="utf-8") == (
        "student,ex01_relu,total\nann,2.5,2.5\n")
    with closing(open_gradebook(out / "gradebook.sqlite")) as db:
        assert [(o.points, o.reason, o.who) for o in all_overrides(db)] == [
            (1.0, "first", "t1"), (2.5, "second, after a regrade request", "t2")]
    sheet.write_text("student,exercise,points\nann,ex01_relu,2\n", encoding="utf-8")
    with pytest.raises(TermError, match=r"overrides.csv, row 2: needs the columns student, "
                                        r"exercise, points, reason"):
        read_overrides_csv(sheet)


def test_export_needs_a_roster(tmp_path):
    from nnex.term.lms_export import export_grades

    out = _graded_folder(tmp_path)
    with pytest.raises(UsageError, match="graded without a roster; run nnex grade --roster"):
        export_grades(out, to="canvas")


def test_merging_gradebooks_carries_late_decisions_and_overrides_once(tmp_path):
    import sqlite3

    from nnex.classgrade.gradebook import merge_gradebooks
    from nnex.term.gradesheet import apply_term
    from nnex.term.overrides import Override, add_overrides

    out = _graded_folder(tmp_path)
    policy, submissions = tmp_path / "late.yaml", tmp_path / "subs"
    policy.write_text("schema_version: 1\ndue: 2026-05-01T23:59:00+09:00\n"
                      "penalty_per_day: 0.1\n", encoding="utf-8")
    submissions.mkdir()
    (submissions / "submitted.csv").write_text("student_id,submitted_at\n"
                                               "ann,2026-05-02T04:59:00+09:00\n")
    apply_term(out, submissions, policy_path=policy)
    add_overrides(out, [Override("ann", "ex01_relu", 3, "kept")], who="t")
    target = tmp_path / "merged.sqlite"
    merge_gradebooks([out / "gradebook.sqlite"], target)
    merge_gradebooks([out / "gradebook.sqlite"], target)  # again: nothing doubles
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT student, raw_score, days_late, score FROM late_results"
                          ).fetchall() == [("ann", 2.0, 1, 1.8)]
        assert db.execute("SELECT student, points, reason, who FROM overrides").fetchall() == [
            ("ann", 3.0, "kept", "t")]


def test_a_shard_lists_no_roster_student_as_not_submitted(tmp_path):
    import json

    from nnex.classgrade.layout import OutputLayout
    from nnex.classgrade.outputs import Manifest
    from nnex.term.gradesheet import apply_term

    out = _graded_folder(tmp_path)
    roster = _roster(tmp_path, HEADER + "ann,Ann,,,\nbob,Bob,,,\n")
    grades = apply_term(out, tmp_path, roster_path=roster)
    assert [row.status for row in grades.rows["bob"]] == ["no_submission"]
    manifest = Manifest(grader_version="g", exercises=["ex01_relu"], shard="1/2", class_size=2,
                        roster="r", students=["ann"])
    OutputLayout(out).manifest.write_text(json.dumps(manifest.to_dict()), encoding="utf-8")
    assert list(apply_term(out, tmp_path, roster_path=roster).rows) == ["ann"]


def test_an_unpacked_moodle_download_keeps_the_files_times(tmp_path):
    import os

    roster = read_roster(_roster(tmp_path, HEADER + "s1,Ann Lee,,,31\n"))
    download = tmp_path / "download"
    folder = download / "Someone Renamed_31_assignsubmission_file_"  # mapped by lms_id
    folder.mkdir(parents=True)
    (folder / "ex01_relu.py").write_text("x = 1\n", encoding="utf-8")
    when = datetime(2026, 5, 2, 3, 4, 5, tzinfo=timezone.utc)
    os.utime(folder / "ex01_relu.py", (when.timestamp(), when.timestamp()))
    result = import_archive(download, roster, tmp_path / "subs", lms="moodle")
    assert (result.files, result.refused) == ({"s1": ["ex01_relu.py"]}, [])
    assert read_times(tmp_path / "subs") == {"s1": when}

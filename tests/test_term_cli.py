"""The instructor's term end to end: nnex import (Canvas, Moodle) → grade with a late policy
and an extension → override → export, through ``main([...])``, on archives built here."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from nnex.cli import main
from tests.conftest import solution_sources

EXERCISE = "ex01_relu"

ROSTER = """student_id,name,email,section,lms_id
s001,Yamada Taro,taro@example.ac.jp,A,101
s002,Suzuki Hanako,hanako@example.ac.jp,A,102
s003,Sato Jiro,jiro@example.ac.jp,B,103
s004,Ito Miki,miki@example.ac.jp,B,104
"""

POLICY = """schema_version: 1
due: 2026-05-01T23:59:00+09:00
grace_minutes: 10
penalty_per_day: 0.25
max_penalty: 0.5
extensions:
  s002: 2026-05-04T23:59:00+09:00
"""
# Zip entry times are read as UTC: 2026-05-01 14:59 UTC is the due date (23:59 JST).
ON_TIME = (2026, 5, 1, 14, 0, 0)
TWO_DAYS_LATE = (2026, 5, 3, 12, 0, 0)   # s002: within the extension
THREE_DAYS_LATE = (2026, 5, 4, 10, 0, 0)  # s003: 3 started days → 75 %, capped at 50 %


def _zip(path: Path, entries: list[tuple[str, tuple, str]]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, when, text in entries:
            bundle.writestr(zipfile.ZipInfo(name, date_time=when), text)
    return path


@pytest.fixture
def term(tmp_path, course):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    policy = tmp_path / "late.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    return roster, policy, solution_sources(course)[EXERCISE]


def _canvas_archive(tmp_path: Path, solution: str) -> Path:
    return _zip(tmp_path / "submissions.zip", [
        (f"yamadataro_101_5001_{EXERCISE}.py", ON_TIME, "def relu(x):\n    return x\n"),
        (f"yamadataro_101_5002_{EXERCISE}-1.py", ON_TIME, solution),  # the resubmission
        (f"suzukihanako_LATE_102_5003_{EXERCISE}.py", TWO_DAYS_LATE, solution),
        (f"satojiro_LATE_103_5004_{EXERCISE}.py", THREE_DAYS_LATE, solution),
        (f"stranger_999_5005_{EXERCISE}.py", ON_TIME, solution),
    ])


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_canvas_term_end_to_end(tmp_path, term, capsys):
    roster, policy, solution = term
    archive = _canvas_archive(tmp_path, solution)
    submissions, out = tmp_path / "submissions", tmp_path / "out"

    assert main(["import", str(archive), "--lms", "canvas", "--roster", str(roster),
                 "--out", str(submissions)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (f"nnex: refused: stranger_999_5005_{EXERCISE}.py: Canvas user id "
                            "999 is no lms_id of the roster; add it to roster.csv and import "
                            "again\n")
    assert "imported 3 students" in captured.out and "(2 marked late by canvas)" in captured.out
    assert sorted(p.name for p in submissions.iterdir()) == ["s001", "s002", "s003",
                                                             "submitted.csv"]
    assert (submissions / "s001" / f"{EXERCISE}.py").read_text(encoding="utf-8") == solution
    assert (submissions / "submitted.csv").read_text(encoding="utf-8") == (
        "student_id,submitted_at,lms_late\n"
        "s001,2026-05-01T14:00:00+00:00,0\n"
        "s002,2026-05-03T12:00:00+00:00,1\n"
        "s003,2026-05-04T10:00:00+00:00,1\n")

    assert main(["grade", str(submissions), "--out", str(out), "-e", EXERCISE,
                 "--roster", str(roster), "--late-policy", str(policy)]) == 0
    capsys.readouterr()
    scores = [row[:5] + row[6:] for row in _rows(out / "scores.csv")]  # without seconds
    assert scores == [
        ["student", "exercise", "score", "max_score", "status", "raw_score", "days_late",
         "late_penalty", "override", "override_reason"],
        ["s001", EXERCISE, "12", "12", "graded", "12", "0", "0", "", ""],
        ["s002", EXERCISE, "12", "12", "graded", "12", "0", "0", "", ""],
        ["s003", EXERCISE, "6", "12", "graded", "12", "3", "0.5", "", ""],
        ["s004", EXERCISE, "0", "12", "no_submission", "0", "0", "0", "", ""],
    ]
    feedback = (out / "feedback" / "s003.md").read_text(encoding="utf-8")
    assert "3 day(s) late: 50% taken off (12 → 6 points)" in feedback
    assert "期限 2026-05-04T23:59+09:00 （延長あり） / (extended) 内に提出" in (
        out / "feedback" / "s002.md").read_text(encoding="utf-8")

    assert main(["override", "s003", EXERCISE, "4", "--reason", "regrade request: "
                 "illness note", "--by", "sensei", "--out", str(out)]) == 0
    assert "s003 ex01_relu: 4 points (regrade request: illness note; sensei," in (
        capsys.readouterr().out)
    feedback = (out / "feedback" / "s003.md").read_text(encoding="utf-8")
    assert feedback.count("提出期限と調整 / Due dates and adjustments") == 1  # replaced, not added
    assert feedback.endswith(
        "- ex01_relu: 期限 2026-05-01T23:59+09:00 から 3 日遅れ：50% 減点（12 → 6 点） / 3 day(s) "
        "late: 50% taken off (12 → 6 points)\n"
        "- ex01_relu: 先生が 4 点に調整しました / set to 4 points by the instructor\n")
    assert "illness" not in feedback
    assert _rows(out / "grades.csv") == [
        ["student", "name", "section", EXERCISE, "total"],
        ["s001", "Yamada Taro", "A", "12", "12"], ["s002", "Suzuki Hanako", "A", "12", "12"],
        ["s003", "Sato Jiro", "B", "4", "4"], ["s004", "Ito Miki", "B", "0", "0"]]

    # A regrade keeps the override (nbgrader's rule) and says that it still applies; it
    # applies the late policy and roster kept in OUT.
    policy.unlink()
    assert main(["grade", str(submissions), "--out", str(out), "-e", EXERCISE, "--force"]) == 0
    assert ("s003 ex01_relu: the manual override (4 points, regrade request: illness note; "
            "sensei) still applies over the graded 12") in capsys.readouterr().err
    assert _rows(out / "grades.csv")[3] == ["s003", "Sato Jiro", "B", "4", "4"]

    assert main(["export", str(out), "--to", "canvas", "--column",
                 f"{EXERCISE}=Lab 1: ReLU (4711)"]) == 0
    assert (out / "export-canvas.csv").read_text(encoding="utf-8") == (
        "Student,ID,SIS User ID,SIS Login ID,Section,Lab 1: ReLU (4711)\n"
        "Points Possible,,,,,12\n"
        "Yamada Taro,101,s001,taro@example.ac.jp,A,12\n"
        "Suzuki Hanako,102,s002,hanako@example.ac.jp,A,12\n"
        "Sato Jiro,103,s003,jiro@example.ac.jp,B,4\n"
        "Ito Miki,104,s004,miki@example.ac.jp,B,0\n")
    # The class report lists the override and the roster student who sent nothing.
    assert main(["report", str(out)]) == 0
    capsys.readouterr()
    page = (out / "report.html").read_text(encoding="utf-8")
    overrides = page.split('id="overrides"')[1].split("</table>")[0]
    assert "<td class=\"name\">s003</td><td><code>ex01_relu</code></td><td class=\"num\">4</td>" \
           "<td>regrade request: illness note</td><td>sensei, " in overrides
    assert '<span class="name">s004</span>' in page.split('id="no-submission"')[1].split(
        "</p>")[0]
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        assert db.execute("SELECT value FROM meta").fetchone() == ("3",)
        assert db.execute("SELECT student, points, who FROM overrides").fetchall() == [
            ("s003", 4.0, "sensei")]
        assert db.execute("SELECT raw_score, days_late, penalty, score FROM late_results "
                          "WHERE student = 's003' ORDER BY run_id").fetchall() == [
            (12.0, 3, 0.5, 6.0), (12.0, 3, 0.5, 6.0)]


def test_moodle_term_end_to_end(tmp_path, term, capsys):
    roster, policy, solution = term
    folder = f"{EXERCISE}.py"
    archive = _zip(tmp_path / "moodle.zip", [
        (f"Yamada Taro_2001_assignsubmission_file_/{folder}", ON_TIME, solution),
        (f"Suzuki Hanako_2002_assignsubmission_file_/{folder}", TWO_DAYS_LATE, solution),
        ("Suzuki Hanako_2002_assignsubmission_onlinetext_/onlinetext.html", ON_TIME, "<p/>"),
        (f"Sato Jiro_2003_assignsubmission_file_/{folder}", THREE_DAYS_LATE, solution),
        (f"Nobody Here_2009_assignsubmission_file_/{folder}", ON_TIME, solution),
    ])
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    assert main(["grade", "--nbgrader", str(tmp_path), "a1", "--roster", str(roster)]) == 2
    assert capsys.readouterr().err == (
        "nnex: error: --roster and --late-policy work with SUBMISSIONS --out OUT, not with "
        "--nbgrader (nbgrader keeps its own due dates)\n")
    assert main(["import", str(archive), "--lms", "moodle", "--roster", str(roster),
                 "--out", str(submissions)]) == 1
    assert capsys.readouterr().err == (
        f"nnex: refused: Nobody Here_2009_assignsubmission_file_/{folder}: participant 2009 "
        "'Nobody Here' matches no lms_id and no roster name; add its lms_id to roster.csv and "
        "import again\n")
    (submissions / "zed").mkdir()  # a folder no archive and no roster knows
    assert main(["grade", str(submissions), "--out", str(out), "-e", EXERCISE,
                 "--roster", str(roster), "--late-policy", str(policy)]) == 0
    assert ("nnex: warning: zed: a submission folder not on the roster; graded, but left out "
            "of every export (add the student to roster.csv or remove the folder)") in (
        capsys.readouterr().err)
    page = (out / "feedback" / "s003.html").read_text(encoding="utf-8")
    assert ("<li>ex01_relu: 期限 2026-05-01T23:59+09:00 から 3 日遅れ：50% 減点（12 → 6 点） / "
            "3 day(s) late: 50% taken off (12 → 6 points)</li>") in page
    assert main(["override", "s001", EXERCISE, "3", "--reason", "copied code", "--out",
                 str(out)]) == 0
    assert main(["export", str(out), "--to", "moodle", "--column", EXERCISE]) == 2
    assert capsys.readouterr().err == (f"nnex: error: --column '{EXERCISE}': write "
                                       "EXERCISE=HEADER, e.g. ex01_relu='Lab 1 (1234)'\n")
    assert main(["export", str(out), "--to", "moodle", "--column", "ex02_neuron=Lab 2"]) == 2
    assert capsys.readouterr().err == (f"nnex: error: --column ex02_neuron=…: ex02_neuron was "
                                       f"not graded in {out} (graded: {EXERCISE})\n")
    assert main(["export", str(out), "--to", "moodle"]) == 0
    assert (out / "export-moodle.csv").read_text(encoding="utf-8") == (
        f"ID number,Email address,Full name,{EXERCISE}\n"
        "s001,taro@example.ac.jp,Yamada Taro,3\n"
        "s002,hanako@example.ac.jp,Suzuki Hanako,12\n"
        "s003,jiro@example.ac.jp,Sato Jiro,6\n"
        "s004,miki@example.ac.jp,Ito Miki,0\n")


def test_a_late_policy_without_submission_times_stops_before_grading(tmp_path, term, capsys):
    roster, policy, solution = term
    submissions, out = tmp_path / "submissions", tmp_path / "out"
    (submissions / "s001").mkdir(parents=True)
    (submissions / "s001" / f"{EXERCISE}.py").write_text(solution, encoding="utf-8")
    assert main(["grade", str(submissions), "--out", str(out), "--late-policy",
                 str(policy)]) == 2
    assert capsys.readouterr().err == (
        f"nnex: error: {submissions / 'submitted.csv'}: no submission times; a late policy "
        "needs them: import the LMS archive with nnex import, or write this file (student_id, "
        "submitted_at)\n")
    assert not out.exists()

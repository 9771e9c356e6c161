"""``nnex grade`` and ``nnex merge`` on the command line: exact errors, exit codes, resuming."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nnex.cli import main
from nnex.course.content import Course
from tests.engine_classes import ENGINE_EXERCISES, build_class

FIRST = Course.installed().exercise_ids()[0]
ONLY = [arg for exercise in ENGINE_EXERCISES for arg in ("-e", exercise)]


@pytest.fixture
def small_class(tmp_path, course):
    return build_class(course, tmp_path / "class")


def _error(capsys, argv: list[str], code: int = 2) -> str:
    assert main(argv) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1, captured.err
    return captured.err


def test_missing_and_empty_submissions_folders(tmp_path, capsys):
    missing, out = tmp_path / "nowhere", tmp_path / "out"
    assert _error(capsys, ["grade", str(missing), "--out", str(out)]) == (
        f"nnex: error: {missing}: no such folder; pass the folder that holds one folder per "
        "student\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".git").mkdir()  # hidden folders are not students
    assert _error(capsys, ["grade", str(empty), "--out", str(out)]) == (
        f"nnex: error: {empty}: no student folders inside; expected <student>/ex01_relu.py and "
        "so on\n")
    assert not out.exists()


def test_out_inside_submissions_or_not_a_folder(small_class, tmp_path, capsys):
    inside = small_class / "results"
    assert _error(capsys, ["grade", str(small_class), "--out", str(inside)]) == (
        f"nnex: error: --out {inside} is inside the submissions folder {small_class}; choose an "
        "output folder outside it\n")
    assert not inside.exists()
    a_file = tmp_path / "out.txt"
    a_file.write_text("", encoding="utf-8")
    assert _error(capsys, ["grade", str(small_class), "--out", str(a_file)]) == (
        f"nnex: error: --out {a_file} exists and is not a folder\n")


def test_unknown_exercise(small_class, tmp_path, capsys):
    out = tmp_path / "out"
    assert _error(capsys, ["grade", str(small_class), "--out", str(out), "-e", FIRST[:-1]]) == (
        f"nnex: error: unknown exercise '{FIRST[:-1]}' — did you mean '{FIRST}'?\n")
    assert not out.exists()


@pytest.mark.parametrize("value", ["0", "-3", "two", "1.5"])
def test_bad_workers(small_class, tmp_path, capsys, value):
    out = tmp_path / "out"
    assert _error(capsys, ["grade", str(small_class), "--out", str(out), f"--workers={value}"]) \
        == f"nnex: error: --workers '{value}': give a whole number of grading processes, " \
           "1 or more\n"
    assert not out.exists()


@pytest.mark.parametrize("value, problem", [
    ("3/2", "K must be between 1 and N (e.g. 1/4 … 4/4)"),
    ("0/2", "K must be between 1 and N (e.g. 1/4 … 4/4)"),
    ("half", "is not of the form K/N (e.g. 1/4 for the first of four shards)")])
def test_bad_shard(small_class, tmp_path, capsys, value, problem):
    out = tmp_path / "out"
    separator = ": " if problem.startswith("K") else " "
    assert _error(capsys, ["grade", str(small_class), "--out", str(out), "--shard", value]) == \
        f"nnex: error: --shard '{value}'{separator}{problem}\n"
    assert not out.exists()


def test_corrupt_gradebook_stops_before_grading(small_class, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    gradebook = out / "gradebook.sqlite"
    gradebook.write_bytes(b"\x00garbage" * 512)
    assert _error(capsys, ["grade", str(small_class), "--out", str(out)]) == (
        f"nnex: error: {gradebook} is not a usable nnex gradebook (file is not a database); "
        f"move it aside (e.g. mv '{gradebook}' '{gradebook}.broken') and run again — graded "
        "results in the results folder beside it are reused\n")
    assert [p.name for p in out.iterdir()] == ["gradebook.sqlite"]
    assert gradebook.read_bytes() == b"\x00garbage" * 512


def test_grade_then_resume_then_shard_and_merge(small_class, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["grade", str(small_class), "--out", str(out), "--workers", "2", *ONLY]) == 0
    first = capsys.readouterr()
    assert first.err == ""
    assert "graded 7, unchanged and kept 0   isolation: " in first.out
    assert f"scores: {out / 'scores.csv'}   grades: {out / 'grades.csv'}   gradebook: " \
           f"{out / 'gradebook.sqlite'}   feedback: {out / 'feedback'}\n" in first.out
    assert main(["grade", str(small_class), "--out", str(out), *ONLY]) == 0
    second = capsys.readouterr().out
    assert "graded 0, unchanged and kept 7   isolation: " in second, second[-400:]

    # A shard into the whole class's folder is refused; shards get folders of their own.
    assert _error(capsys, ["grade", str(small_class), "--out", str(out), "--shard", "1/2"]) == (
        f"nnex: error: --out {out} holds the results of the whole class, not shard 1/2; give "
        "each shard its own output folder (nnex merge combines them) or delete this one\n")
    shards = [tmp_path / "s1", tmp_path / "s2"]
    for k, folder in enumerate(shards, 1):
        assert main(["grade", str(small_class), "--out", str(folder), "--shard", f"{k}/2",
                     "-j", "1", *ONLY]) == 0
    capsys.readouterr()
    merged = tmp_path / "merged"
    assert _error(capsys, ["merge", str(shards[0]), "--out", str(merged)]) == (
        "nnex: error: shard 2/2 missing; pass the output folders of all 2 shards\n")
    assert main(["merge", *map(str, shards), "--out", str(merged)]) == 0
    assert "merged shards 1/2, 2/2: 7 students\n" in capsys.readouterr().out
    assert (merged / "grades.csv").read_bytes() == (out / "grades.csv").read_bytes()


def test_grading_again_marks_an_outdated_report_stale(small_class, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out = tmp_path / "out"
    assert main(["grade", str(small_class), "--out", str(out), *ONLY]) == 0
    assert main(["report", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["grade", str(small_class), "--out", str(out), *ONLY]) == 0
    assert "report.html" not in capsys.readouterr().out  # nothing changed: still current
    assert (out / "report.html").read_text(encoding="utf-8") == page
    student = sorted(p for p in small_class.iterdir() if (p / f"{FIRST}.py").exists())[0]
    (student / f"{FIRST}.py").unlink()
    assert main(["grade", str(small_class), "--out", str(out), *ONLY]) == 0
    assert (f"{out / 'report.html'} shows an earlier grading (marked so in the page): run "
            f"`nnex report {out}` to update it\n") in capsys.readouterr().out
    assert "This report shows an earlier grading" in (out / "report.html").read_text("utf-8")


def _grading_processes(parent_pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"nnex.classgrade.pool_worker" in argv and str(parent_pid).encode() in argv:
            found.append(int(entry.name))
    return found


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a shell without job control does for `&`


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find processes")
@pytest.mark.parametrize("how", ["SIGKILL to nnex", "Ctrl-C to the terminal's group",
                                 "Ctrl-C to a run started with Ctrl-C ignored"])
def test_a_stopped_run_leaves_no_process_and_resumes(tmp_path, course, capsys, how):
    root = build_class(course, tmp_path / "class", extra=40)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "nnex", "grade", str(root), "--out", str(out), "-j", "1",
               *ONLY]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True,
                               preexec_fn=_ignore_ctrl_c if "ignored" in how else None)
    deadline = time.monotonic() + 120
    while len(list((out / "results").glob("*.json"))) < 3:
        assert process.poll() is None, "the run ended before it could be stopped"
        assert time.monotonic() < deadline, "no results after 120 s"
        time.sleep(0.05)
    if how.startswith("SIGKILL"):
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL
    else:
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(30) == 130
        assert process.stderr.read().decode() == \
            "nnex: interrupted; results written so far are kept\n"
    deadline = time.monotonic() + 20
    while _grading_processes(process.pid):
        assert time.monotonic() < deadline, "grading processes outlived a stopped nnex grade"
        time.sleep(0.1)
    assert not (out / "scores.csv").exists()
    kept = len(list((out / "results").glob("*.json")))
    assert 3 <= kept < 47

    assert main(["grade", str(root), "--out", str(out), *ONLY]) == 0
    summary = re.search(r"graded (\d+), unchanged and kept (\d+)", capsys.readouterr().out)
    assert (int(summary[1]), int(summary[2])) == (47 - kept, kept)
    assert len((out / "grades.csv").read_text(encoding="utf-8").splitlines()) == 1 + 47


def test_usage_line_shows_out_as_required(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert usage == ("usage: nnex grade SUBMISSIONS --out OUT [options]\n"
                     "       nnex grade --nbgrader COURSE ASSIGNMENT [--out OUT] [options]")

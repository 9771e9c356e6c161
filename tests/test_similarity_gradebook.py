"""The similarity leads in the gradebook: read back with sqlite3 they equal the CSV files, each
run replaces them, and a folder without a gradebook gets none."""

from __future__ import annotations

import csv
import shlex
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from nnex.cli import main
from nnex.files import folder_lock
from nnex.render import names
from tests.similarity_class import build_planted_class, record_gradebook

EXERCISES = ["ex01_relu", "ex02_neuron"]
FORMULA_NAME = "=HYPERLINK(1) 写し"
"""A student whose name a spreadsheet would run: the CSV shows it as a cell, the gradebook as
given."""
COPIED = "s000"
"""Whose ex01 file the student above hands in unchanged."""


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A planted class graded into its folder: results and a gradebook with one run."""
    planted = build_planted_class(tmp_path_factory.mktemp("graded"), students=30, copies=2,
                                  exercise_ids=EXERCISES)
    (planted.submissions / FORMULA_NAME).mkdir()
    shutil.copy(planted.submissions / COPIED / f"{EXERCISES[0]}.py",
                planted.submissions / FORMULA_NAME)
    record_gradebook(planted)
    return planted


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _query(path: Path, sql: str, *parameters: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql, parameters).fetchall()


def _pairs_as_csv(gradebook: Path) -> list[list[str]]:
    rows = _query(gradebook, "SELECT exercise, rank, student_a, student_b, score, share_a, "
                             "share_b FROM similar_pairs ORDER BY exercise, rank")
    return [[exercise, str(rank), names.csv_cell(a), names.csv_cell(b),
             *(f"{share:.3f}" for share in shares)] for exercise, rank, a, b, *shares in rows]


def _clusters_as_csv(gradebook: Path) -> list[list[str]]:
    students = _query(gradebook, "SELECT exercise, cluster, group_concat(student, char(0)) "
                                 "FROM (SELECT * FROM same_wrong_answers ORDER BY student) "
                                 "GROUP BY exercise, cluster")
    values = {(exercise, cluster): (texts, counts) for exercise, cluster, texts, counts in _query(
        gradebook, "SELECT exercise, cluster, "
                   "group_concat(check_name || ': ' || what || ' → ' || actual, ' | '), "
                   "group_concat(reached_by, ' | ') FROM (SELECT * FROM same_wrong_values "
                   "ORDER BY check_name) GROUP BY exercise, cluster")}
    return [[exercise, str(cluster),
             " | ".join(names.csv_cell(s) for s in joined.split("\0")),
             *values[exercise, cluster]]
            for exercise, cluster, joined in sorted(students, key=lambda row: row[:2])]


def test_the_gradebook_holds_what_the_csv_files_hold(graded_class, capsys):
    planted = graded_class
    out, gradebook = planted.graded, planted.graded / "gradebook.sqlite"
    assert main(["similarity", str(planted.submissions), "--out", str(out), "--pairs", "5",
                 *(f"--exercise={e}" for e in EXERCISES)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1
    assert f"gradebook tables similar_pairs, same_wrong_answers: {gradebook}" in printed

    pairs = _csv(out / "similarity.csv")
    assert pairs[1:] == _pairs_as_csv(gradebook)
    assert len(pairs) == 1 + 5 * len(EXERCISES)
    # The copy under a formula-like name: a quoted cell in the CSV, the name in the gradebook.
    [copied] = _query(gradebook, "SELECT student_a, student_b FROM similar_pairs WHERE ? IN "
                                 "(student_a, student_b) AND score = 1.0", FORMULA_NAME)
    assert set(copied) == {FORMULA_NAME, COPIED}
    assert any("'" + FORMULA_NAME in row[2:4] for row in pairs)

    clusters = _csv(out / "identical-wrong-answers.csv")
    assert clusters[1:] == _clusters_as_csv(gradebook)
    firsts = {frozenset(_query(gradebook, "SELECT student FROM same_wrong_answers WHERE "
                               f"exercise = '{exercise}' AND cluster = {rank}"))
              for exercise in EXERCISES[:1] for rank in (1, 2)}
    assert {frozenset(s for (s,) in pair) for pair in firsts} == planted.same_wrong[EXERCISES[0]]

    [run] = _query(gradebook, "SELECT run_at, graded_run_id, exercises, students, pairs_shown, "
                              "wrong_answers FROM similarity_run")
    assert run[1:] == (1, '["ex01_relu", "ex02_neuron"]', 31, 5, 1)
    assert f"compared {run[0]}" in (out / "similarity.html").read_text(encoding="utf-8")
    assert {at for (at,) in _query(gradebook, "SELECT run_at FROM similar_pairs UNION "
                                              "SELECT run_at FROM same_wrong_answers UNION "
                                              "SELECT run_at FROM same_wrong_values")} == {run[0]}


def test_each_run_replaces_the_leads(graded_class, capsys):
    planted = graded_class
    out, gradebook = planted.graded, planted.graded / "gradebook.sqlite"
    for pairs, exercises in ((5, EXERCISES), (2, EXERCISES[:1]), (2, EXERCISES[:1])):
        assert main(["similarity", str(planted.submissions), "--out", str(out), "--pairs",
                     str(pairs), *(f"--exercise={e}" for e in exercises)]) == 0
        assert _csv(out / "similarity.csv")[1:] == _pairs_as_csv(gradebook)
        assert _csv(out / "identical-wrong-answers.csv")[1:] == _clusters_as_csv(gradebook)
    assert _query(gradebook, "SELECT exercise, count(*) FROM similar_pairs GROUP BY 1") == [
        (EXERCISES[0], 2)]
    assert _query(gradebook, "SELECT DISTINCT exercise FROM same_wrong_answers") == [
        (EXERCISES[0],)]
    assert _query(gradebook, "SELECT count(*), max(pairs_shown) FROM similarity_run") == [(1, 2)]
    # The grading history is untouched.
    assert _query(gradebook, "SELECT count(*) FROM runs") == [(1,)]
    capsys.readouterr()


def test_a_folder_without_a_gradebook_gets_none(graded_class, tmp_path, capsys):
    planted = graded_class
    out = tmp_path / "leads"
    shutil.copytree(planted.graded / "results", out / "results")  # results, no gradebook
    assert main(["similarity", str(planted.submissions), "--out", str(out), "-e",
                 EXERCISES[0]]) == 0
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1
    assert f"; no gradebook in {out}, so the leads are in these files only" in printed
    assert not (out / "gradebook.sqlite").exists()
    assert (out / "identical-wrong-answers.csv").is_file()


def test_an_unusable_gradebook_stops_before_anything_is_written(graded_class, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "gradebook.sqlite").write_bytes(b"not a database, " * 100)
    assert main(["similarity", str(graded_class.submissions), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a usable nnex gradebook" in err
    assert sorted(path.name for path in out.iterdir()) == ["gradebook.sqlite"]


def test_a_folder_another_nnex_is_writing_is_left_alone(graded_class, tmp_path, capsys):
    out = tmp_path / "out"
    with folder_lock(out):
        assert main(["similarity", str(graded_class.submissions), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"another nnex is writing to {out}" in err
    assert not (out / "similarity.html").exists()


def test_the_readme_one_liner_lists_the_pairs_above_its_threshold(graded_class, capsys):
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    command = readme.split("each exercise's pairs scoring 0.8 or more:")[1]
    command = command.split("```bash\n")[1].split("```")[0].strip()
    program, *options, path, query = shlex.split(command)
    assert (program, path) == ("sqlite3", "out/gradebook.sqlite")
    planted = graded_class
    gradebook = planted.graded / "gradebook.sqlite"
    assert main(["similarity", str(planted.submissions), "--out", str(planted.graded),
                 *(f"--exercise={e}" for e in EXERCISES)]) == 0
    capsys.readouterr()
    expected = [(exercise, int(rank), a, b) for exercise, rank, a, b, score, *_ in
                _csv(planted.graded / "similarity.csv")[1:] if float(score) >= 0.8]
    assert len(expected) >= 2 * len(EXERCISES)  # the planted copies, and more than one
    rows = _query(gradebook, query)
    assert [(e, rank, names.csv_cell(a), names.csv_cell(b)) for e, rank, a, b, _ in rows] == \
        expected
    if shutil.which("sqlite3"):  # the command itself, as an instructor runs it
        done = subprocess.run([program, *options, str(gradebook), query], capture_output=True,
                              text=True, check=True)
        lines = done.stdout.splitlines()
        assert lines[0].split() == ["exercise", "rank", "student_a", "student_b", "score"]
        assert len(lines) == 2 + len(rows)


@pytest.mark.parametrize("wrong", ["submissions", "exercise"])
def test_wrong_input_leaves_no_output_folder(graded_class, tmp_path, capsys, wrong):
    out = tmp_path / "out"
    submissions = tmp_path / "nowhere" if wrong == "submissions" else graded_class.submissions
    assert main(["similarity", str(submissions), "--out", str(out),
                 *(["-e", "ex99_nothing"] if wrong == "exercise" else [])]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert not out.exists()

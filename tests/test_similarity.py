"""``nnex similarity``: planted copies and identical wrong answers rank above every honest pair;
disguises do not hide a copy; distribution code, known and frequent mistakes are left out."""

from __future__ import annotations

import ast
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import nbformat
import pytest

import nnex
from nnex.cli import main
from nnex.course.content import Course
from nnex.grading.results import FAILED, PASSED, CheckResult, ExerciseResult, SubmissionResult
from nnex.kit.notebooks import build_notebook, fill_solution
from nnex.similarity import copydetect_adapter
from nnex.similarity.code_pairs import rank_pairs
from nnex.similarity.find import find_similarities
from nnex.similarity.sources import ExerciseSources, distribution_code
from nnex.similarity.wrong_answers import cluster_wrong_answers
from nnex.text import Text
from tests.similarity_class import build_planted_class

EX01 = "ex01_relu"


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    planted = build_planted_class(root, students=40, copies=3)
    return planted, find_similarities(planted.submissions, graded=planted.graded)


def test_every_planted_copy_ranks_above_every_honest_pair(planted):
    planted, findings = planted
    for exercise in planted.exercises:
        ranked = [frozenset((p.student_a, p.student_b)) for p in findings.pairs[exercise]]
        copies = planted.copies[exercise]
        assert set(ranked[:len(copies)]) == copies, exercise
        assert len(ranked) > 10 * len(copies)  # honest pairs overlap too: a real ranking
        # Measured exactly, all 780 pairs: the quick estimate that picks the pairs measured
        # exactly (CANDIDATES) hides no honest pair above a copy.
        every = rank_pairs(findings.sources[exercise], candidates=10**6)
        assert len(every) > len(ranked)
        assert {frozenset((p.student_a, p.student_b)) for p in every[:len(copies)]} == copies


def test_every_planted_wrong_answer_pair_ranks_above_every_other_cluster(planted):
    planted, findings = planted
    for exercise in planted.exercises:
        clusters = findings.wrong_answers[exercise].clusters
        pairs = planted.same_wrong[exercise]
        ranked = [frozenset(cluster.students) for cluster in clusters]
        assert set(ranked[:len(pairs)]) == pairs, exercise
        # The honest pair that reached one rare value by chance is listed, below them.
        assert len(ranked) == len(pairs) + 1
        assert all(len(cluster.values) == 2 for cluster in clusters[:len(pairs)])


def _solution(course: Course) -> str:
    return course.solution_path(EX01).read_text(encoding="utf-8")


def _score(course: Course, a: str, b: str) -> float:
    sources = ExerciseSources(EX01, distribution_code(course, EX01), {"a": a, "b": b})
    pairs = rank_pairs(sources)
    return pairs[0].score if pairs else 0.0


def _renamed(code: str) -> str:
    return re.sub(r"\bx\b", "inputs", re.sub(r"\balpha\b", "slope", code))


def _reordered(code: str) -> str:
    head, *functions = re.split(r"\n(?=def )", code)
    return "\n".join([head, *reversed(functions)])


def _recommented(code: str) -> str:
    code = re.sub(r"#[^\n]*", "# 自分で考えた / my own idea", code)
    return re.sub(r'"""(.*?)"""', '"""書き直した説明 / rewritten"""', code, flags=re.DOTALL)


def _respaced(code: str) -> str:
    return code.replace(" = ", "=").replace(", ", " ,  ").replace("\n\n", "\n\n\n\n")


@pytest.mark.parametrize("disguise", [_renamed, _reordered, _recommented, _respaced,
                                      lambda c: _respaced(_recommented(_reordered(_renamed(c))))])
def test_a_disguise_does_not_hide_a_copy(course, disguise):
    solution = _solution(course)
    disguised = disguise(solution)
    assert disguised != solution
    assert _score(course, solution, disguised) > 0.9


def test_distribution_code_counts_for_no_one(course):
    stub = course.stub_path(EX01).read_text(encoding="utf-8")
    untouched = ExerciseSources(EX01, distribution_code(course, EX01), {"a": stub, "b": stub})
    assert rank_pairs(untouched) == []
    # Two students who both kept the stub's docstrings, each writing relu their own way.
    a = stub.replace('raise NotImplementedError("relu: ここを書きましょう / write this function")',
                     "return np.where(x > 0, x, 0 * x) + np.zeros_like(x, dtype=float)", 1)
    b = stub.replace('raise NotImplementedError("relu: ここを書きましょう / write this function")',
                     "result = x.copy() if hasattr(x, 'copy') else x\n    "
                     "return result * (result > 0)", 1)
    assert _score(course, a, b) < 0.2
    full = copydetect_adapter.distribution_hashes("")
    assert copydetect_adapter.overlap(copydetect_adapter.fingerprint(a, full),
                                      copydetect_adapter.fingerprint(b, full)).share_a > 0.5


_SCORES = """
from nnex.course.content import Course
from tests.test_similarity import _reordered, _score, _solution
course = Course.installed()
solution = _solution(course)
print(_score(course, solution, _reordered(solution)))
"""


def test_the_same_code_gets_the_same_score_in_every_run():
    """Python salts ``hash()`` anew in every process; a score must not depend on that salt."""
    scores = {subprocess.run([sys.executable, "-c", _SCORES], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": str(seed)},
                             cwd=Path(__file__).parent.parent).stdout
              for seed in (1, 2, 3, 4)}
    assert len(scores) == 1, scores


def test_a_notebook_is_compared_on_its_solution_cells(course, tmp_path):
    solution = _solution(course)
    notebook = fill_solution(build_notebook(course.exercise(EX01), course), _renamed(solution))
    notebook.cells.append(nbformat.v4.new_code_cell("relu(3)  # my experiment\n" * 40))
    (tmp_path / "subs" / "py").mkdir(parents=True)
    (tmp_path / "subs" / "nb").mkdir()
    (tmp_path / "subs" / "py" / f"{EX01}.py").write_text(solution, encoding="utf-8")
    nbformat.write(notebook, tmp_path / "subs" / "nb" / f"{EX01}.ipynb")
    findings = find_similarities(tmp_path / "subs", exercise_ids=[EX01])
    [pair] = findings.pairs[EX01]
    assert (pair.student_a, pair.student_b) == ("nb", "py")
    assert pair.score > 0.9
    assert "my experiment" not in findings.sources[EX01].code["nb"]


def _result(student: str, wrong: dict[str, tuple[str, str | None]]) -> SubmissionResult:
    checks = [CheckResult(name, Text("c", "c"), 0.0, 1.0, FAILED, what=f"{name}()",
                          actual=actual, hint_key=key) for name, (actual, key) in wrong.items()]
    checks.append(CheckResult("other", Text("c", "c"), 1.0, 1.0, PASSED))
    return SubmissionResult(student, [ExerciseResult(EX01, Text("e", "e"), checks)])


def test_known_and_frequent_wrong_answers_are_left_out():
    results = [_result("known1", {"relu": ("3.0", "relu_abs")}),
               _result("known2", {"relu": ("3.0", "relu_abs")}),
               *[_result(f"many{i}", {"relu": ("-1.0", "relu_negative")}) for i in range(3)],
               _result("rare1", {"relu": ("0.123", "relu_negative")}),
               _result("rare2", {"relu": ("0.123", "relu_negative")}),
               *[_result(f"right{i}", {}) for i in range(35)]]
    summary = cluster_wrong_answers(results, EX01, {"relu_abs"}, common_share=0.05)
    assert summary.common_limit == 2 and summary.known == 1 and summary.frequent == 1
    assert [cluster.students for cluster in summary.clusters] == [("rare1", "rare2")]
    looser = cluster_wrong_answers(results, EX01, set(), common_share=0.1)
    assert [cluster.students for cluster in looser.clusters] == [
        ("known1", "known2"), ("rare1", "rare2"), ("many0", "many1", "many2")]


HOSTILE = '<img src=x onerror=alert(1)>'


def test_cli_writes_a_self_contained_page_of_leads(tmp_path, capsys, planted):
    planted, _ = planted
    hostile = planted.submissions / HOSTILE.replace("/", "_")
    source = next(iter(planted.copies[EX01])).__iter__().__next__()
    hostile.mkdir()
    planted_file = planted.submissions / source / f"{EX01}.py"
    (hostile / f"{EX01}.py").write_bytes(planted_file.read_bytes())
    out = tmp_path / "leads"
    try:
        assert main(["similarity", str(planted.submissions), "--out", str(out), "-e", EX01,
                     "--pairs", "5"]) == 0
    finally:
        (hostile / f"{EX01}.py").unlink()
        hostile.rmdir()
    printed = capsys.readouterr().out
    assert "leads for a human to read" in printed and "grade into this folder" in printed
    page = (out / "similarity.html").read_text(encoding="utf-8")
    assert "不正の証拠でも判定でもありません" in page and "not evidence and not a verdict" in page
    assert "<img" not in page and "&lt;img src=x" in page
    assert not re.search(r"<script|<link|src=[\"']?http|url\(", page)
    assert page.count("<details") == 5 and "<mark>" in page
    rows = (out / "similarity.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "exercise,rank,student_a,student_b,score,share_a,share_b"
    assert len(rows) == 6 and rows[1].startswith(f"{EX01},1,")
    assert not (out / "identical-wrong-answers.csv").exists()


def test_cli_wrong_answers_from_a_graded_folder(planted, capsys):
    planted, _ = planted
    assert main(["similarity", str(planted.submissions), "--out", str(planted.graded),
                 "-e", EX01]) == 0
    rows = (planted.graded / "identical-wrong-answers.csv").read_text(encoding="utf-8")
    header, *clusters = rows.splitlines()
    assert header == "exercise,rank,students,shared_wrong_values,reached_by"
    firsts = {frozenset(line.split(",")[2].split(" | ")) for line in clusters[:2]}
    assert firsts == planted.same_wrong[EX01]
    page = (planted.graded / "similarity.html").read_text(encoding="utf-8")
    assert "known mistakes the grader recognises by their value" in page


def test_cli_refuses_an_output_folder_inside_the_submissions(planted, capsys):
    planted, _ = planted
    assert main(["similarity", str(planted.submissions), "--out",
                 str(planted.submissions / "leads")]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "inside the submissions folder" in captured.err
    assert not (planted.submissions / "leads").exists()


def test_the_class_report_links_the_page_when_present(planted, tmp_path, capsys):
    from nnex.report import write_report

    planted, _ = planted
    out = tmp_path / "out"
    shutil.copytree(planted.graded / "results", out / "results")
    link = 'href="similarity.html"'
    assert link not in write_report(out).path.read_text(encoding="utf-8")
    assert main(["similarity", str(planted.submissions), "--out", str(out), "-e", EX01]) == 0
    assert "does not link them: run `nnex report" in " ".join(capsys.readouterr().out.split())
    assert link in write_report(out).path.read_text(encoding="utf-8")
    assert main(["report", str(out)]) == 0
    assert f"similarity leads, linked from the report: {out / 'similarity.html'}" in " ".join(
        capsys.readouterr().out.split())


@pytest.mark.parametrize("option", [["--shard", "1/2"], ["--nbgrader", "course"]])
def test_grade_refuses_similarity_on_part_of_a_class(tmp_path, capsys, option):
    out = tmp_path / "out"
    assert main(["grade", str(tmp_path), "--out", str(out), "--similarity", *option]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--similarity compares a whole class" in err
    assert not out.exists()


def test_grade_with_similarity_writes_the_leads_beside_the_grades(course, tmp_path, capsys):
    from tests.engine_classes import build_class

    submissions = build_class(course, tmp_path / "class")
    out = tmp_path / "out"
    assert main(["grade", str(submissions), "--out", str(out), "-e", EX01, "--similarity"]) == 0
    assert "leads for a human to read" in capsys.readouterr().out
    rows = (out / "similarity.csv").read_text(encoding="utf-8").splitlines()
    # alice and 山田_太郎 submitted the same reference solution, bob and -dash the same
    # wrong one (a known mistake: not among the identical wrong answers).
    assert {tuple(row.split(",")[2:5]) for row in rows[1:3]} == {
        ("'-dash", "bob", "1.000"), ("alice", "山田_太郎", "1.000")}
    assert (out / "identical-wrong-answers.csv").is_file() and (out / "scores.csv").is_file()
    with closing(sqlite3.connect(out / "gradebook.sqlite")) as db:  # the run it graded, too
        assert db.execute("SELECT student_a, student_b, round(score, 3) FROM similar_pairs "
                          "WHERE rank <= 2 ORDER BY rank").fetchall() in (
            [("-dash", "bob", 1.0), ("alice", "山田_太郎", 1.0)],
            [("alice", "山田_太郎", 1.0), ("-dash", "bob", 1.0)])
        assert db.execute("SELECT count(*) FROM similar_pairs").fetchone() == (len(rows) - 1,)
        assert db.execute("SELECT graded_run_id FROM similarity_run").fetchall() == [(1,)]


def test_regrading_marks_leads_from_an_earlier_grading_stale(course, tmp_path, capsys):
    from tests.engine_classes import build_class

    submissions = build_class(course, tmp_path / "class")
    out, page = tmp_path / "out", tmp_path / "out" / "similarity.html"
    assert main(["grade", str(submissions), "--out", str(out), "-e", EX01, "--similarity"]) == 0
    fresh = page.read_text(encoding="utf-8")
    assert "compared with an earlier grading" not in fresh
    capsys.readouterr()
    assert main(["grade", str(submissions), "--out", str(out), "-e", EX01]) == 0
    assert "similarity.html" not in capsys.readouterr().out  # nothing changed: still current
    assert page.read_text(encoding="utf-8") == fresh
    student = sorted(p for p in submissions.iterdir() if (p / f"{EX01}.py").exists())[0]
    (student / f"{EX01}.py").unlink()
    assert main(["grade", str(submissions), "--out", str(out), "-e", EX01]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert f"{page} compared an earlier grading (marked so in the page)" in said
    assert "These leads were compared with an earlier grading" in page.read_text("utf-8")
    # Grading with --similarity replaces the page at once: no line about the old one.
    assert main(["grade", str(submissions), "--out", str(out), "-e", EX01, "--similarity"]) == 0
    assert "compared an earlier grading" not in capsys.readouterr().out
    assert "compared with an earlier grading" not in page.read_text("utf-8")


def test_leads_that_compared_code_only_are_never_marked_stale(course, tmp_path):
    from tests.engine_classes import build_class

    submissions = build_class(course, tmp_path / "class")
    out = tmp_path / "out"
    assert main(["similarity", str(submissions), "--out", str(out), "-e", EX01]) == 0
    before = (out / "similarity.html").read_text(encoding="utf-8")
    assert main(["grade", str(submissions), "--out", str(out), "-e", EX01]) == 0
    assert (out / "similarity.html").read_text(encoding="utf-8") == before


def _loaded_after(imports: str) -> bool:
    code = f"import sys; import {imports}; print('copydetect' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return done.stdout.strip() == "True"


def test_copydetect_stays_behind_its_adapter():
    assert not _loaded_after("nnex.cli, nnex.report, nnex.commands.similarity")
    package = Path(nnex.__file__).parent
    importers = set()
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] == "copydetect" for name in names):
                importers.add(path.relative_to(package).as_posix())
    assert importers == {"similarity/copydetect_adapter.py"}

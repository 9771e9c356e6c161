"""Submissions are read as data: names as given, encodings handled, links and extras ignored."""

from __future__ import annotations

from nnex.grading.results import NOT_LOADABLE
from nnex.grading.submissions import discover
from tests.conftest import grade_class, write_class

NAMES = ["山田_太郎", "-k_suzuki", "--help", "sato hanako", "o'brien", "ünïcødé"]


def test_student_folder_names_are_taken_as_given(tmp_path, course):
    source = course.solution_path("ex01_relu").read_text(encoding="utf-8")
    root = write_class(tmp_path / "class", {name: {"ex01_relu": source} for name in NAMES})
    assert [s.student for s in discover(root)] == sorted(NAMES)
    results = grade_class(course, root, exercises=["ex01_relu"])
    assert sorted(results) == sorted(NAMES)
    for name in NAMES:
        assert results[name].score == results[name].max_score == 12, name


def test_bom_and_crlf_files_grade_normally(tmp_path, course):
    source = course.solution_path("ex01_relu").read_text(encoding="utf-8")
    folder = tmp_path / "class" / "windows"
    folder.mkdir(parents=True)
    data = b"\xef\xbb\xbf" + ("# 日本語のコメント\n" + source).replace("\n", "\r\n").encode()
    (folder / "ex01_relu.py").write_bytes(data)
    result = grade_class(course, tmp_path / "class", exercises=["ex01_relu"])["windows"]
    assert result.score == result.max_score


def test_a_shift_jis_file_gets_a_clear_message(tmp_path, course):
    source = course.solution_path("ex01_relu").read_text(encoding="utf-8")
    root = write_class(tmp_path / "class", {"honest": {"ex01_relu": source}})
    (root / "sjis").mkdir()
    (root / "sjis" / "ex01_relu.py").write_bytes(("# 活性化関数\n" + source).encode("shift_jis"))
    results = grade_class(course, root, exercises=["ex01_relu"])
    exercise = results["sjis"].exercise("ex01_relu")
    assert exercise.score == 0 and exercise.status == NOT_LOADABLE
    assert "is not UTF-8 (Shift_JIS?); save it again as UTF-8" in exercise.reason.en
    assert "UTF-8 ではありません (Shift_JIS?)" in exercise.reason.ja
    assert results["honest"].score == 12


def test_a_symlinked_exercise_file_is_refused_with_a_reason(tmp_path, course):
    folder = tmp_path / "class" / "linker"
    folder.mkdir(parents=True)
    (folder / "ex01_relu.py").symlink_to(course.solution_path("ex01_relu"))
    exercise = grade_class(course, tmp_path / "class", exercises=["ex01_relu"])["linker"].exercise(
        "ex01_relu")
    assert exercise.score == 0
    assert "ex01_relu.py is a symbolic link; submit the file itself" in exercise.reason.en

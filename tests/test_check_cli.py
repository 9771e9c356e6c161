"""``nnex check`` as a student runs it: output, exit codes and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nnex.cli import main


def _student(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "ex01_relu.py").write_text(source, encoding="utf-8")
    return folder


def test_all_passing_exits_zero_with_ticks(tmp_path, course, capsys):
    folder = _student(tmp_path, course.solution_path("ex01_relu").read_text())
    assert main(["check", "ex01_relu", "--dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.count("✓") == 5  # the five public checks
    assert "✗" not in out and "合計 / Total: 5 / 5" in out


def test_a_mistake_shows_the_hint_in_both_languages(tmp_path, course, capsys):
    source = course.solution_path("ex01_relu").read_text().replace(
        "return x if x > 0 else alpha * x", "return x if x > 0 else 0.01 * x")
    folder = _student(tmp_path, source)
    assert main(["check", "ex01_relu", "--dir", str(folder)]) == 1
    out = capsys.readouterr().out
    hint = course.exercise("ex01_relu").hint("leaky_alpha_ignored")
    assert "✗ leaky ReLU と alpha" in out
    assert "leaky_relu(-2, alpha=0.1): 値が違います / wrong value" in out
    assert hint.ja[:20] in out and hint.en[:20] in out
    assert "Traceback" not in out


def test_a_syntax_error_is_one_clear_reason(tmp_path, capsys):
    folder = _student(tmp_path, "def relu(x)\n    return x\n")
    assert main(["check", "ex01_relu", "--dir", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "ex01_relu.py の 1 行目に文法エラーがあります" in out
    assert "ex01_relu.py has a syntax error on line 1" in out
    assert "Traceback" not in out


def test_unknown_exercise_is_a_one_line_error(tmp_path, capsys):
    assert main(["check", "ex01_relo", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "nnex: error: unknown exercise 'ex01_relo' — did you mean 'ex01_relu'?"


def test_missing_folder_is_a_one_line_error(tmp_path, capsys):
    assert main(["check", "--dir", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnex: error: ") and "not a folder" in err and err.count("\n") == 1


def test_every_subcommand_has_help_and_is_in_the_readme(capsys):
    from nnex.cli import COMMANDS, build_parser

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    for name in COMMANDS:
        assert f"nnex {name}" in readme, f"README does not mention nnex {name}"
        try:
            parser.parse_args([name, "--help"])
        except SystemExit as done:
            assert done.code == 0
        assert "usage: nnex" in capsys.readouterr().out


def _parse_output(parser, argv: list[str], capsys) -> tuple[object, str, str]:
    try:
        parser.parse_args(argv)
        code = None
    except SystemExit as done:
        code = done.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("student_kit", [False, True], ids=["instructor", "kit"])
def test_a_parser_built_for_one_command_says_what_the_whole_parser_says(capsys, student_kit):
    """Only the named command's parser is built (``nnex check`` imports nothing of ``grade``),
    yet every help text and error is the one the parser with every command gives."""
    from nnex.cli import COMMANDS, build_parser

    cases = [["--help"], [], ["chek"], ["--debug", "check", "--bogus"],
             *([name, "--help"] for name in COMMANDS), ["nbgrader", "export", "--help"]]
    for argv in cases:
        whole = _parse_output(build_parser(student_kit=student_kit), argv, capsys)
        lazy = _parse_output(build_parser(student_kit=student_kit, argv=argv), argv, capsys)
        assert lazy == whole, argv


def test_the_check_command_builds_no_other_commands_parser():
    code = ("import sys; from nnex.cli import build_parser; build_parser(argv=['check']); "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('nnex.'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "nnex.commands.check" in loaded  # the probe sees what it imports
    assert not [m for m in loaded if m.startswith(("nnex.commands.grade", "nnex.term",
                                                   "nnex.classgrade", "nnex.report"))]

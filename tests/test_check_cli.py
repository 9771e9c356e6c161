"""``nnex check`` as a student runs it: output, exit codes and one-line errors."""

from __future__ import annotations

from pathlib import Path

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
    from nnex.cli import COMMANDS, _name, build_parser

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    for command in COMMANDS:
        name = _name(command)
        assert f"nnex {name}" in readme, f"README does not mention nnex {name}"
        try:
            parser.parse_args([name, "--help"])
        except SystemExit as done:
            assert done.code == 0
        assert "usage: nnex" in capsys.readouterr().out

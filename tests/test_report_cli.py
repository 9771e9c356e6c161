"""``nnex report`` through ``main([...])``: exact output and exit codes."""

from __future__ import annotations

import pytest

from nnex.cli import main
from tests.expected_files import assert_matches_expected
from tests.samples import sample_class
from tests.test_report import write_graded_folder


@pytest.fixture(autouse=True)
def fixed_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("NO_COLOR", "1")


def test_report_writes_the_page_and_prints_the_summary(tmp_path, capsys):
    out = write_graded_folder(tmp_path / "out", sample_class())
    assert main(["report", str(out)]) == 0
    printed = capsys.readouterr()
    assert (out / "report.html").is_file()
    assert printed.out.endswith(f"report: {out / 'report.html'}\n")
    assert_matches_expected("report_cli.txt", printed.out.replace(str(tmp_path), "TMP"))
    assert printed.err == ""


def test_slowest_option_limits_the_table(tmp_path):
    out = write_graded_folder(tmp_path / "out", sample_class())
    assert main(["report", str(out), "--slowest", "1"]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    slowest = page[page.index('id="slowest"'):]
    assert slowest.count('<td class="name">') == 1


def test_missing_folder_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nowhere")]) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == (f"nnex: error: {tmp_path / 'nowhere'}: no such folder; grade first "
                           f"with `nnex grade SUBMISSIONS --out {tmp_path / 'nowhere'}`\n")


def test_folder_without_results_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    assert main(["report", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"nnex: error: {tmp_path / 'out' / 'results'}: no per-student results")
    assert err.count("\n") == 1


def test_bad_slowest_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", str(tmp_path), "--slowest", "0"])
    assert exit_info.value.code == 2
    assert "--slowest: must be at least 1: 0" in capsys.readouterr().err


def test_report_is_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "nnex report OUT" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "OUT/report.html" in capsys.readouterr().out

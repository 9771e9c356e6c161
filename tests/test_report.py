"""The class report: loading a graded folder, the class's figures, the page, the charts."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from nnex.errors import ReportError
from nnex.report import write_report
from nnex.report.loader import load_class
from nnex.report.page import report_html
from nnex.course.content import Course
from nnex.report.plots import Plots, class_plots
from nnex.report.stamp import STALE_BANNER, mark_stale_report, results_stamp
from nnex.report.stats import class_stats
from nnex.report.summary import print_report_summary
from nnex.grading.results import SubmissionResult
from tests.expected_files import assert_matches_expected
from tests.samples import HOSTILE_NAME, sample_class

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def write_graded_folder(out: Path, results: list[SubmissionResult], *,
                        scores: bool = True) -> Path:
    """What ``nnex grade`` leaves in OUT, written here so these tests do not depend on it."""
    (out / "results").mkdir(parents=True)
    for index, result in enumerate(results):
        # File names are the student's; index them here since one sample name holds a "/".
        path = out / "results" / f"{index:02d}.json"
        path.write_text(json.dumps(result.to_dict(), ensure_ascii=False), encoding="utf-8")
    if scores:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["student", "exercise", "score", "max_score", "status", "seconds"])
        writer.writerows([r.student, e.exercise, e.score, e.max_score, e.status, e.seconds]
                         for r in reversed(results) for e in r.exercises)
        (out / "scores.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return out


@pytest.fixture
def graded(tmp_path) -> Path:
    return write_graded_folder(tmp_path / "out", sample_class())


# -- loading ---------------------------------------------------------------------------------

def test_load_class_reads_every_student_in_roster_order(graded):
    results = load_class(graded)
    assert [r.student for r in results] == [r.student for r in reversed(sample_class())]
    assert [r.to_dict() for r in results] == [r.to_dict() for r in reversed(sample_class())]


def test_load_class_without_scores_csv_sorts_by_name(tmp_path):
    out = write_graded_folder(tmp_path / "out", sample_class(), scores=False)
    names = [r.student for r in load_class(out)]
    assert names == sorted(r.student for r in sample_class())


@pytest.mark.parametrize(("damage", "message"), [
    (lambda out: None, "no such folder"),
    (lambda out: out.mkdir(), "no per-student results"),
    (lambda out: (out / "results").mkdir(parents=True), "no per-student results"),
])
def test_load_class_rejects_a_folder_without_results(tmp_path, damage, message):
    out = tmp_path / "out"
    damage(out)
    with pytest.raises(ReportError, match=message):
        load_class(out)


def test_load_class_rejects_results_without_any_exercise(tmp_path):
    out = write_graded_folder(tmp_path / "out", [SubmissionResult("lonely", [])])
    with pytest.raises(ReportError, match="no exercise was graded for any student"):
        load_class(out)


def test_a_student_graded_on_no_exercise_needs_no_roster_row(tmp_path):
    results = sample_class()[:2] + [SubmissionResult("zz_nothing", [])]
    names = [r.student for r in load_class(write_graded_folder(tmp_path / "out", results))]
    assert names == ["iida", "abe", "zz_nothing"]


def test_load_class_names_the_unreadable_file(graded):
    (graded / "results" / "01.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReportError, match=r"01\.json: cannot read the results file"):
        load_class(graded)
    (graded / "results" / "01.json").write_text('{"schema_version": 99}', encoding="utf-8")
    with pytest.raises(ReportError, match=r"01\.json: result schema_version 99"):
        load_class(graded)
    (graded / "results" / "01.json").write_text('{"schema_version": 1}', encoding="utf-8")
    with pytest.raises(ReportError, match=r"01\.json: not a results file"):
        load_class(graded)


def test_load_class_requires_roster_and_results_to_agree(graded):
    (graded / "results" / "00.json").unlink()
    with pytest.raises(ReportError, match=r"no results file for 'abe' listed in scores\.csv"):
        load_class(graded)


def test_load_class_rejects_results_missing_from_the_roster(graded):
    lines = (graded / "scores.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("iida,")]
    (graded / "scores.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"no rows for 'iida' found in results/"):
        load_class(graded)


def test_load_class_rejects_a_student_graded_twice(graded):
    (graded / "results" / "99.json").write_text(
        (graded / "results" / "00.json").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ReportError, match="'abe' appears in two results files"):
        load_class(graded)


# -- the class's figures ---------------------------------------------------------------------

def test_class_figures():
    stats = class_stats(sample_class())
    assert (stats.size, stats.max_score, stats.full_marks) == (8, 8.0, 1)
    assert sorted(stats.scores) == [0, 2, 4, 5, 5, 6, 7, 8]
    assert stats.mean == pytest.approx(37 / 8) and stats.median == 5
    relu, neuron = stats.exercises
    assert relu.statuses == {"graded": 7, "not_loadable": 1}
    assert neuron.statuses == {"graded": 5, "not_attempted": 1, "grader_error": 1, "missing": 1}


def test_a_file_never_submitted_is_missing_not_a_failure_to_run():
    stats = class_stats(sample_class())
    assert stats.missing == {"miura": ["ex02_neuron"]} and stats.missing_count == 1
    assert "miura" not in {p.student for p in stats.problems}
    assert stats.problem_count("not_loadable") == 1  # 江藤's syntax error alone


def test_pass_rates_count_only_students_whose_code_ran_the_check():
    relu, neuron = class_stats(sample_class()).exercises
    rates = {c.name: (c.passed, c.ran) for c in relu.checks + neuron.checks}
    assert rates == {"relu_lecture": (5, 7), "leaky_relu_basic": (6, 7), "relu_random": (5, 7),
                     "neuron_lecture": (5, 6), "neuron_random": (3, 5)}


def test_hints_are_counted_once_per_student_and_exercise():
    rows = [(h.exercise, h.key, h.students, h.checks) for h in class_stats(sample_class()).hints]
    assert rows == [
        ("ex01_relu", "leaky_alpha_ignored", 1, ["leaky_relu_basic"]),
        ("ex01_relu", "relu_abs", 1, ["relu_lecture", "relu_random"]),
        ("ex01_relu", None, 1, ["relu_lecture"]),             # raised, no hint; timeout left out
        ("ex02_neuron", "bias_forgotten", 1, ["neuron_lecture", "neuron_random"]),
        ("ex02_neuron", None, 1, ["neuron_random"]),
    ]


def test_hint_rows_rank_by_students():
    many = [r for r in sample_class() if r.student == "abe"] * 3 + sample_class()
    keys = [h.key for h in class_stats(many).hints if h.exercise == "ex01_relu"]
    assert keys == ["relu_abs", "leaky_alpha_ignored", None]


def test_failures_to_run_are_listed_with_reasons():
    problems = class_stats(sample_class()).problems
    rows = [(p.student, p.exercise, p.problem, p.checks) for p in problems]
    assert rows == [("江藤", "ex01_relu", "not_loadable", []),
                    ("ogawa", "ex01_relu", "timeout", ["relu_random"]),
                    ("kato", "ex02_neuron", "grader_error", ["neuron_random"])]
    assert "syntax error on line 3" in problems[0].reason.en
    assert "did not finish within 2 s" in problems[1].reason.en
    assert problems[2].reason is None  # the student's "not your fault" is no use to instructors
    assert "has no attribute 'float'" in problems[2].detail


def test_slowest_students_first():
    slowest = class_stats(sample_class(), slowest=2).slowest
    assert [s.student for s in slowest] == ["ogawa", HOSTILE_NAME]
    assert slowest[0].seconds == pytest.approx(2.54)


# -- the page and the terminal summary -------------------------------------------------------

def placeholder_plots(stats) -> Plots:
    """Fixed stand-ins: the charts' pixels are tested apart from the page's text."""
    return Plots(distribution="data:image/png;base64,DISTRIBUTION",
                 exercise_means="data:image/png;base64,MEANS",
                 check_rates={e.exercise: f"data:image/png;base64,{e.exercise}"
                              for e in stats.exercises})


def test_report_page_matches_expected():
    stats = class_stats(sample_class())
    assert_matches_expected("report.html", report_html(stats, placeholder_plots(stats),
                                                        title="out", stamp="0123abcd"))


def test_report_summary_matches_expected():
    console = Console(file=io.StringIO(), width=80, color_system=None)
    print_report_summary(console, class_stats(sample_class()))
    assert_matches_expected("report_summary.txt", console.file.getvalue())


def test_report_summary_fits_80_columns_and_keeps_check_names_whole():
    stats = class_stats(sample_class())
    relu = stats.exercises[0]
    relu.exercise = max(Course.installed().exercise_ids(), key=len)
    relu.max_score, relu.scores = 20.0, [13.25] * stats.size
    relu.checks[0].name = "count_parameters_of_the_lecture_network"
    console = Console(file=io.StringIO(), width=80, color_system=None)
    print_report_summary(console, stats)
    text = console.file.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80, text
    assert "…" not in text
    assert f"{relu.exercise}: count_parameters_of_the_lecture_network 71%" in text
    assert "ex02_neuron: neuron_random 60%" in text


def test_regrading_marks_an_earlier_report_stale(graded):
    results = load_class(graded)
    report = write_report(graded)
    page = report.path.read_text(encoding="utf-8")
    assert f'<meta name="nnex-results" content="{results_stamp(results)}">' in page
    assert not mark_stale_report(graded, results)  # the same results: the report is current
    assert report.path.read_text(encoding="utf-8") == page
    results[0].exercises[0].checks[0].points = 0.0
    assert mark_stale_report(graded, results)
    stale = report.path.read_text(encoding="utf-8")
    assert stale.count(STALE_BANNER) == 1 and "nnex report" in stale
    assert mark_stale_report(graded, results)  # still stale; the banner is not repeated
    assert report.path.read_text(encoding="utf-8") == stale
    write_report(graded)  # the report rewritten from the results on disk is current again
    assert STALE_BANNER not in report.path.read_text(encoding="utf-8")


def test_write_report_embeds_every_chart_and_lists_problems(graded):
    report = write_report(graded)
    assert report.path == graded / "report.html"
    page = report.path.read_text(encoding="utf-8")
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2 + 2  # distribution, means, one pass-rate chart per exercise
    for image in images:
        assert base64.b64decode(image).startswith(PNG_MAGIC)
    assert not re.search(r'(src|href)="(?!data:)|<link|<script', page)
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;" in page
    for student in ("江藤", "ogawa", "kato"):
        assert re.search(rf'<td class="name">{student}</td><td><code>ex0', page), student
    hint_row = re.search(r'<td class="num">(\d+)</td>\s*<td><code>relu_abs</code>', page)
    assert hint_row and hint_row.group(1) == "1"


def test_charts_are_drawn_with_and_without_a_japanese_font():
    stats = class_stats(sample_class())
    english = class_plots(stats, font=None)
    assert not english.japanese
    for uri in [english.distribution, english.exercise_means, *english.check_rates.values()]:
        assert base64.b64decode(uri.split(",", 1)[1]).startswith(PNG_MAGIC)
    from nnex.report.plots import japanese_font
    bilingual = class_plots(stats, font=japanese_font())  # a missing glyph is an error here
    assert bilingual.japanese and bilingual.distribution != english.distribution


def test_japanese_comes_from_the_installed_package_not_a_system_font():
    import matplotlib_fontja
    from matplotlib import font_manager

    from nnex.fonts import JAPANESE_FONT, japanese_font_family

    family = japanese_font_family()
    assert family[0] == JAPANESE_FONT
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    assert path == matplotlib_fontja.get_font_ttf_path()


def test_bold_japanese_text_draws_without_a_message(caplog):
    # The bundled font has one weight; a bold title must not print "Failed to find font
    # weight" under a student's picture.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nnex.fonts import japanese_font_family

    figure = Figure()
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, "真理値表", family=japanese_font_family(), fontweight="bold")
    figure.canvas.draw()
    assert [r.getMessage() for r in caplog.records] == []


def test_a_missing_glyph_fails_the_tests():
    # pyproject.toml turns matplotlib's "Glyph … missing" warning into an error, so that no
    # test passes while drawing boxes for Japanese text.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure()
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, "得点", family=["DejaVu Sans"])
    with pytest.raises(UserWarning, match="Glyph .* missing"):
        figure.canvas.draw()


def test_the_core_never_imports_matplotlib_or_jinja2():
    code = ("import sys, nnex.cli, nnex.report, nnex.classgrade.grade, nnex.render.html, "
            "nnex.render.gradescope; "
            "print(sorted(m for m in ('matplotlib', 'jinja2') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"

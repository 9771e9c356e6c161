"""The output folder's layout: ``OutputLayout`` names every path, and grading writes no other."""

from __future__ import annotations

from pathlib import Path

from nnex.classgrade.grade import grade_class
from nnex.classgrade.layout import OutputLayout
from nnex.render.names import file_stems
from nnex.report import write_report
from tests.conftest import solution_sources, write_class


def test_the_paths_users_rely_on():
    # Scripts, LMS uploads and the README name these; renaming one is a breaking change.
    layout = OutputLayout(Path("OUT"))
    assert [path.as_posix() for path in layout.entries()] == [
        "OUT/results", "OUT/scores.csv", "OUT/grades.csv", "OUT/gradebook.sqlite",
        "OUT/feedback", "OUT/gradescope", "OUT/nnex-run.json", "OUT/roster.csv", "OUT/late.yaml",
        "OUT/report.html", "OUT/similarity.html", "OUT/similarity.csv",
        "OUT/identical-wrong-answers.csv", "OUT/.nnex-lock"]
    assert layout.gradescope_results("bob").as_posix() == "OUT/gradescope/bob/results.json"
    assert layout.lms_export("canvas").as_posix() == "OUT/export-canvas.csv"


def test_grading_and_reporting_write_only_what_the_layout_names(tmp_path, course):
    exercise = course.exercise_ids()[0]
    stub = course.stub_path(exercise).read_text(encoding="utf-8")
    solution = solution_sources(course)[exercise]
    root = write_class(tmp_path / "class", {"alice": {exercise: solution},
                                            "山田 太郎": {exercise: stub}})
    out = tmp_path / "out"
    layout = OutputLayout(out)
    result = grade_class(root, out, exercise_ids=[exercise], workers=1)
    others = {layout.similarity_page, layout.similarity_pairs, layout.identical_wrong_answers,
                  layout.roster, layout.late_policy}  # written by other commands and options
    assert sorted(out.iterdir()) == sorted(set(layout.entries()) - {layout.report} - others)
    stems = file_stems([r.student for r in result.submissions])
    for stem in stems.values():
        assert layout.gradescope_results(stem).is_file()
        assert (layout.feedback / f"{stem}.md").is_file()
    assert len(list(layout.results.iterdir())) == len(stems)

    report = write_report(out)
    assert report.path == layout.report
    assert sorted(out.iterdir()) == sorted(set(layout.entries()) - others)

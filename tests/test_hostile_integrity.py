"""Hostile inputs against the integrity of results: forged replies from the student's process,
student text in feedback, device files, folder names and notebooks that must cost one row only,
and names that spreadsheets, terminals and Markdown would interpret.

Every input is generated here in ``tmp_path``; each test fails without the fix it names.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import resource
import stat
import time

import pytest
from rich.console import Console

from nnex.sandbox.host import WorkerHost
from nnex.grading.problems import StudentProblem
from nnex.grading.student import StudentModule
from tests.hostile.harness import ISOLATIONS, launcher_for

# -- forged replies on the protocol socket ---------------------------------------------------

# Student code that finds the worker's protocol socket among its file descriptors and writes
# to it directly, as a hostile submission can.
_FORGER = '''
import os, socket, stat, time

def _forge(data):
    for fd in range(3, 64):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                s = socket.socket(fileno=os.dup(fd))
                if s.type == socket.SOCK_STREAM:
                    s.sendall(data)
                    return
        except OSError:
            pass

def relu(x):
    _forge({payload})
    time.sleep({sleep})
    return 0.0
'''


def _forged_call(course, payload: bytes | str, sleep: float = 30.0, calls: int = 1,
                 isolation: str = "rlimits"):
    """Call the forging relu ``calls`` times; ``payload`` is bytes, or a Python expression that
    builds them in the student's process (too large to be written into the source)."""
    payload = repr(payload) if isinstance(payload, bytes) else payload
    host = WorkerHost(launcher=launcher_for(isolation))
    module = StudentModule(host, course.exercise("ex01_relu"),
                           {"ex01_relu": _FORGER.format(payload=payload, sleep=sleep)})
    try:
        for _ in range(calls):
            value = module.call("relu", 1.0, timeout=5.0, echo_args=False)
            time.sleep(0.5)
        return value
    finally:
        module.close()
        host.close()


def _shape_only(shape: tuple) -> str:
    return json.dumps({"dtype": "<f8", "shape": list(shape), "data": ""})


@pytest.mark.parametrize("payload, reason", [
    (b'{"ok":true,"value":' + b"9" * 5000 + b"}\n", "JSON"),
    (b'{"ok":true}\n', "in the reply"),
    (b'{"ok":true,"value":"\\ud800"}\n', "surrogate"),
    (('{"ok":true,"value":{"__ndarray__":%s}}\n' % _shape_only((1 << 40,))).encode(),
     "promises shape"),
], ids=["huge_integer", "missing_field", "surrogate_escape", "forged_8TiB_array_shape"])
@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_malformed_reply_is_the_submissions_failure(course, payload, reason, isolation):
    with pytest.raises(StudentProblem) as problem:
        _forged_call(course, payload, isolation=isolation)
    assert problem.value.kind == "protocol" and reason in str(problem.value)


def test_a_flood_of_empty_lists_is_refused_before_it_is_parsed(course):
    payload = "b'{\"ok\":true,\"value\":[' + b'[],' * 5_000_000 + b'[]]}\\n'"  # 15 MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(StudentProblem) as problem:
        _forged_call(course, payload)
    elapsed = time.monotonic() - started
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert problem.value.kind == "protocol" and "values in one message" in str(problem.value)
    assert elapsed < 5.0 and grown_mib < 150  # parsed, 5 M lists cost the grader ~300 MiB


def test_a_reply_out_of_turn_is_the_submissions_failure(course):
    # relu forges its answer, then returns: its real reply arrives unasked and would be
    # taken as the answer to the next call.
    with pytest.raises(StudentProblem) as problem:
        _forged_call(course, b'{"ok":true,"value":0.0}\n', sleep=0.2, calls=2)
    assert problem.value.kind == "protocol" and "out of turn" in str(problem.value)


@pytest.mark.parametrize("value", ["10 ** 5000", "'\\ud800'"], ids=["huge_int", "lone_surrogate"])
def test_a_value_that_cannot_be_sent_is_named_not_a_crash(course, value):
    host = WorkerHost()
    module = StudentModule(host, course.exercise("ex01_relu"),
                           {"ex01_relu": f"def relu(x):\n    return {value}\n"})
    try:
        with pytest.raises(StudentProblem) as problem:
            module.relu(1.0)
    finally:
        module.close()
        host.close()
    assert problem.value.kind == "unsupported_value" and "4,300 digits" in str(problem.value)


# -- device files ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["character_device", "fifo"])
def test_a_device_file_is_refused_without_being_opened(tmp_path, monkeypatch, kind):
    from nnex.grading.submissions import Submission

    folder = tmp_path / "student"
    folder.mkdir()
    target = folder / "ex01_relu.py"
    if kind == "fifo":
        os.mkfifo(target)
    elif os.geteuid() == 0:
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    else:
        pytest.skip("only root can create a device file (and only root's open is the risk)")
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(str(path))
                        or real_open(path, *a, **k))
    with pytest.raises(StudentProblem) as problem:
        Submission("student", folder).source("ex01_relu")
    assert problem.value.kind == "not_a_file" and str(target) not in opened


# -- a class that no input stops ---------------------------------------------------------------

SHIFT_JIS_NAME = "山田太郎".encode("shift_jis")
LONG_NAME = "長" * 85  # 255 bytes in UTF-8: a legal folder name, too long with ".json" added
ODD_NAMES = {
    "formula": "=HYPERLINK(\"x\",\"y\")", "dash": "-name", "at": "@SUM(A1)",
    "escape": "\x1b[2J\x1b[31mred", "newline": "eve\nzed,10,10",
    "html": "<img src=x onerror=alert(1)>",
    "link": "[x](javascript:alert(1))", "cyrillic": "ivаn", "latin": "ivan",
    "zero_width": "iv\u200ban", "trailing_space": "ivan ", "upper": "Alice", "lower": "alice",
    "nfc": "かが", "nfd": "かか\u3099",  # が as macOS writes it
}


def _notebook(course, source: str, edit) -> str:
    import json as json_module

    from nnex.kit.notebooks import build_notebook, fill_solution

    nbformat = pytest.importorskip("nbformat")
    text = nbformat.writes(fill_solution(build_notebook(course.exercise("ex01_relu"), course),
                                       source))
    notebook = json_module.loads(text)
    return edit(notebook, json_module.dumps(notebook, indent=1))


def _graded_thrice(tmp_path_factory, course, folders: list[bytes], edit=None):
    """Grade a class of correct ex01_relu files in ``folders`` three times (reusing, then forced);
    ``edit(root)`` may then change some. Returns (out, runs, warnings)."""
    from nnex.classgrade.grade import grade_class

    root = tmp_path_factory.mktemp("class") / "class"
    root.mkdir()
    solution = course.solution_path("ex01_relu").read_text(encoding="utf-8")
    for folder in folders:
        path = root / os.fsdecode(folder)
        path.mkdir()
        (path / "ex01_relu.py").write_text(solution, encoding="utf-8")
    if edit is not None:
        edit(root, solution)
    out = tmp_path_factory.mktemp("out") / "out"
    warnings: list[str] = []
    runs = [grade_class(root, out, exercise_ids=["ex01_relu"], isolation="rlimits", workers=1,
                        warn=warnings.append, force=force) for force in (False, False, True)]
    return out, runs, warnings


def _notebook_file(course, folder: str, edit_text):
    def edit(root, solution):
        (root / folder / "ex01_relu.py").unlink()
        (root / folder / "ex01_relu.ipynb").write_text(
            _notebook(course, solution + "\nNOTE = 'MARKER'\n", edit_text), encoding="utf-8")
    return edit


STOPPERS = {
    "shift_jis_folder": (SHIFT_JIS_NAME, None),
    "255_byte_folder": (LONG_NAME.encode(), None),
    "huge_integer_in_notebook": (b"big_int", lambda nb, text: text.replace(
        '"cells"', '"n": 1' + "9" * 5000 + ', "cells"', 1)),
    "surrogate_escape_in_solution_cell": (b"surrogate", lambda nb, text: text.replace(
        "MARKER", "\\ud800")),
}


@pytest.fixture(scope="module", params=sorted(STOPPERS))
def stopping_class(request, tmp_path_factory, course):
    """One honest student, a dot-folder and one input that used to stop a class, graded
    three times."""
    folder, edit_text = STOPPERS[request.param]
    edit = _notebook_file(course, os.fsdecode(folder), edit_text) if edit_text else None
    return (request.param, *_graded_thrice(tmp_path_factory, course,
                                          [b"honest", b".dotted", folder], edit))


@pytest.fixture(scope="module")
def odd_class(tmp_path_factory, course):
    """One student per name that spreadsheets, terminals or Markdown would interpret."""
    return _graded_thrice(tmp_path_factory, course, [n.encode() for n in ODD_NAMES.values()])


def test_no_folder_name_or_notebook_stops_the_class(stopping_class):
    case, _, runs, _ = stopping_class
    for run in runs:  # reruns too
        students = {result.student: result for result in run.submissions}
        assert len(students) == 2  # .dotted is reported, not graded
        honest = students.pop("honest")
        assert honest.score == honest.max_score > 0
        ((student, result),) = students.items()
        if case == "shift_jis_folder":
            assert student == "\\x8eR\\x93c\\x91\\xbe\\x98Y (not UTF-8)"
            assert result.score == honest.score
        elif case == "255_byte_folder":
            assert student == LONG_NAME and result.score == honest.score
        else:
            (exercise,) = result.exercises
            assert exercise.score == 0 and "ノートブック" in exercise.reason.ja
            assert ("too long" if student == "big_int" else "\\ud800") in exercise.reason.en


def test_the_instructor_hears_of_dot_folders_and_non_utf8_names(stopping_class):
    case, *_, warnings = stopping_class
    assert any(w.startswith(".dotted: not graded") for w in warnings)
    if case == "shift_jis_folder":
        assert any("not UTF-8 (Shift_JIS '山田太郎'?)" in w for w in warnings)


# -- names in every output -------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029]")


def test_csv_cells_are_never_formulas_nor_forged_rows(odd_class):
    out, runs, _ = odd_class
    for file in ("scores.csv", "grades.csv"):
        text = (out / file).read_text(encoding="utf-8")
        assert not _CONTROL.search(text), file
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == 1 + len(runs[-1].submissions)  # one row per student, no forged row
        students = [row[0] for row in rows[1:]]
        assert not [s for s in students if s.startswith(("=", "+", "-", "@"))], file
        assert "'-name" in students and "'=HYPERLINK(\"x\",\"y\")" in students


def test_feedback_files_are_unique_on_a_case_insensitive_disk(odd_class):
    out, runs, _ = odd_class
    for suffix in (".md", ".html"):
        files = [path.name for path in (out / "feedback").iterdir() if path.suffix == suffix]
        assert len(files) == len(runs[-1].submissions)
        assert len({name.casefold() for name in files}) == len(files)
        assert all(len(name.encode()) <= 255 and not _CONTROL.search(name) for name in files)
    folders = [path.name for path in (out / "gradescope").iterdir()]
    assert len({name.casefold() for name in folders}) == len(runs[-1].submissions)


def test_look_alike_names_read_differently_everywhere(odd_class):
    from nnex.render.markdown import feedback_markdown
    from nnex.render.terminal import print_class_table

    _, runs, _ = odd_class
    results = {result.student: result for result in runs[-1].submissions}
    look_alike = ("cyrillic", "latin", "zero_width", "trailing_space")
    headings = {key: feedback_markdown(results[ODD_NAMES[key]]).splitlines()[0]
                for key in (*look_alike, "nfc", "nfd")}
    assert len({headings[key].rstrip() for key in look_alike}) == 4
    assert headings["nfc"] != headings["nfd"] and "\\u3099" in headings["nfd"]
    assert "\\u0430" in headings["cyrillic"] and "\\u200b" in headings["zero_width"]
    assert "\u200b" not in headings["zero_width"]
    console = Console(file=io.StringIO(), width=400, color_system=None)
    print_class_table(console, runs[-1].submissions, ["ex01_relu"])
    table = console.file.getvalue()
    assert "\x1b" not in table and "\u200b" not in table and "eve\\u000azed" in table
    from nnex.report import write_report

    out, _, _ = odd_class  # the class report lists the slowest students by name
    page = write_report(out, slowest=len(ODD_NAMES)).path.read_text(encoding="utf-8")
    assert "iv\\u0430n" in page and "iv\\u200ban" in page and "\u200b" not in page


def test_names_cannot_inject_markdown_or_html(odd_class):
    from nnex.render.html import feedback_html
    from nnex.render.markdown import feedback_markdown

    _, runs, _ = odd_class
    results = {result.student: result for result in runs[-1].submissions}
    for key in ("html", "link", "newline", "escape"):
        result = results[ODD_NAMES[key]]
        markdown, page = feedback_markdown(result), feedback_html(result)
        heading, rest = markdown.split("\n", 1)
        assert "<img" not in markdown and not re.search(r"(?<!\\)\]\(", markdown), key
        assert not _CONTROL.search(markdown) and not _CONTROL.search(page), key
        assert rest.startswith("\n**合計"), key  # the name stays on the heading's line
        assert "<img" not in page


# -- student text in feedback ----------------------------------------------------------------

LEAKING = ("def relu(x):\n"
           "    raise ValueError('LEAK ' + repr(x)\n"
           "                     + '\\x1b[2J\\n\\n# Total 88/88\\n**合計 / Total: 88 / 88**')\n")


def test_student_text_cannot_forge_headings_nor_leak_hidden_inputs(tmp_path, course):
    from nnex.render.details import failure_lines
    from nnex.render.gradescope import gradescope_results
    from nnex.render.html import feedback_html
    from nnex.render.markdown import feedback_markdown
    from nnex.render.terminal import print_check_report
    from tests.conftest import grade_class, write_class

    student_views_html = feedback_html

    root = write_class(tmp_path / "class", {"mallory": {"ex01_relu": LEAKING}})
    result = grade_class(course, root, exercises=["ex01_relu"])["mallory"]
    checks = result.exercises[0].checks
    hidden = [c for c in checks if c.visibility == "hidden" and c.kind == "raised"]
    public = [c for c in checks if c.visibility == "public" and c.kind == "raised"]
    assert hidden and public
    for check in hidden:
        assert not any("LEAK" in line for line in failure_lines(check))
    renderers = (feedback_markdown, feedback_html,
                 lambda r: json.dumps(gradescope_results(r), ensure_ascii=False))
    (exercise,) = result.exercises
    public_only = dataclasses.replace(result, exercises=[dataclasses.replace(
        exercise, checks=[c for c in checks if c.visibility == "public"])])
    for render in renderers:  # what the hidden checks add shows no LEAK
        assert render(result).count("LEAK") == render(public_only).count("LEAK") > 0
    markdown = feedback_markdown(result)
    assert [line for line in markdown.splitlines() if line.startswith("#")] == [
        "# フィードバック / Feedback: mallory",
        f"## ex01_relu — {result.exercises[0].title.ja} / {result.exercises[0].title.en}"]
    assert [line for line in markdown.splitlines() if "**合計" in line] == [
        "**合計 / Total: 0 / %s**" % format(result.max_score, "g")]
    assert "\x1b" not in markdown and "\x1b" not in student_views_html(result)
    console = Console(file=io.StringIO(), width=5000, color_system=None)  # no wrapping
    print_check_report(console, result)  # what `nnex check --dir` prints, to the instructor too
    printed = console.file.getvalue()
    assert "\x1b" not in printed
    assert [line for line in printed.splitlines() if "Total" in line and "⏎" not in line] == [
        "合計 / Total: 0 / %s" % format(result.max_score, "g")]

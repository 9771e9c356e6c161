"""Notebooks: what a released notebook holds, how a submitted one is read, graded and refused."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from nnex.cli import main  # noqa: E402
from nnex.course.content import Course  # noqa: E402
from nnex.errors import MetadataError  # noqa: E402
from nnex.kit.notebook_check import CHECK_MIME, NotebookCheck, check, when_ready  # noqa: E402
from nnex.grading.notebook_source import (CHECK, MAX_NOTEBOOK_BYTES, PLOT,  # noqa: E402
                                          ROLES, SETUP, SOLUTION, STATEMENT, cell_role,
                                          check_cell_source, nbgrader_solution_source,
                                          solution_source)
from nnex.kit.notebooks import (PICTURES_FILE, build_notebook, fill_solution,  # noqa: E402
                            load_pictures, plot_code, stub_code)
from nnex.grading.problems import StudentProblem  # noqa: E402
from nnex.grading.submissions import NotebookSubmission, Submission  # noqa: E402
from nnex.kit.release import KIT_PACKAGE, release_kit  # noqa: E402
from nnex.grading.results import GRADED, NOT_ATTEMPTED, NOT_LOADABLE  # noqa: E402
from tests.conftest import grade_class, solution_sources, write_class  # noqa: E402

COURSE = Course.installed()
EXERCISES = COURSE.exercise_ids()
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def notebook_json(course: Course, exercise_id: str, source: str | None = None) -> str:
    """The released notebook of ``exercise_id`` as a file's text, its solution cell filled."""
    notebook = build_notebook(course.exercise(exercise_id), course)
    if source is not None:
        notebook = fill_solution(notebook, source)
    return nbformat.writes(notebook)


def write_notebook_class(root: Path, students: dict[str, dict[str, str]]) -> Path:
    """Like ``write_class``, but files named ``*.ipynb`` keep their name (notebook text)."""
    root.mkdir(parents=True, exist_ok=True)
    for student, files in students.items():
        (root / student).mkdir()
        for name, text in files.items():
            (root / student / name).write_text(text, encoding="utf-8")
    return root


# -- the released notebook ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "kit"
    release_kit(out, course=COURSE)
    return out


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_release_writes_a_valid_notebook_per_exercise(kit, exercise_id):
    notebook = nbformat.read(kit / f"{exercise_id}.ipynb", as_version=4)
    nbformat.validate(notebook)
    roles = [cell_role(cell) for cell in notebook.cells]
    assert None not in roles and set(roles) <= set(ROLES)
    assert roles[:2] == [STATEMENT, SETUP] and roles[-1] == CHECK
    assert roles.count(SOLUTION) == 1 and roles.count(CHECK) == 1
    assert notebook.metadata["nnex"]["exercise"] == exercise_id
    solution = next(c for c in notebook.cells if cell_role(c) == SOLUTION)
    assert solution.cell_type == "code"
    assert solution.source == stub_code(COURSE.stub_text(exercise_id))
    for name in COURSE.exercise(exercise_id).provides:
        assert re.search(rf"^(def {name}\(|{name} = )", solution.source, re.M), name
    assert notebook.cells[-1].source == check_cell_source(exercise_id)
    pictures = load_pictures(COURSE.exercises_dir / exercise_id / PICTURES_FILE,
                             COURSE.exercise(exercise_id))
    assert roles.count(PLOT) == len(pictures)
    plots = [c for c in notebook.cells if cell_role(c) == PLOT]
    assert all(c.source.splitlines()[1].startswith("with when_ready(") for c in plots)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_every_markdown_cell_starts_in_japanese_and_has_english(kit, exercise_id):
    notebook = nbformat.read(kit / f"{exercise_id}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        first = cell.source.splitlines()[0]
        letters = [ch for ch in first if ch.isalpha()]
        assert letters and _CJK.match(letters[0]), f"not Japanese first: {first!r}"
        assert re.search(r"[A-Za-z]{4,} [a-z]{2,}", cell.source), f"no English: {first!r}"


def test_release_is_reproducible_and_lists_the_notebooks(kit, tmp_path):
    again = tmp_path / "again"
    release_kit(again, course=COURSE)
    for exercise_id in EXERCISES:
        name = f"{exercise_id}.ipynb"
        assert (again / name).read_text(encoding="utf-8") == (kit / name).read_text("utf-8")
        assert name in (kit / "README.md").read_text(encoding="utf-8")


def test_every_pictures_file_is_valid_even_before_its_exercise_lands(course):
    files = sorted(course.exercises_dir.glob(f"*/{PICTURES_FILE}"))
    assert files, "the course has pictures"
    for path in files:
        exercise_id = path.parent.name
        meta = course.exercise(exercise_id) if exercise_id in EXERCISES else None
        pictures = load_pictures(path, meta)
        assert pictures, path
        for picture in pictures:
            compile(plot_code(picture), str(path), "exec")
            assert _CJK.search(picture.title.ja) and not _CJK.search(picture.title.en)


def test_pictures_file_is_validated(tmp_path):
    meta = COURSE.exercise("ex01_relu")
    path = tmp_path / PICTURES_FILE
    cases = {
        "schema_version: 2\npictures: []\n": "schema_version 2",
        "schema_version: 1\npictures:\n  - {title: {ja: あ, en: a}, uses: [relu], code: x,"
        " colour: red}\n": "unknown keys ['colour']",
        "schema_version: 1\npictures:\n  - {title: {ja: あ, en: a}, uses: [relu2], code: x}\n":
            "uses must list names from provides",
        "schema_version: 1\npictures:\n  - {title: {ja: あ, en: a}, uses: [relu], code: 'x ='}\n":
            "pictures[1].code line 1",
        "schema_version: 1\npictures:\n  - {title: {ja: あ}, uses: [relu], code: x}\n":
            "pictures[1].title must have exactly a 'ja' and an 'en'",
    }
    for text, message in cases.items():
        path.write_text(text, encoding="utf-8")
        with pytest.raises(MetadataError, match=re.escape(message)) as caught:
            load_pictures(path, meta)
        assert str(path) in str(caught.value)


# -- reading a submitted notebook ---------------------------------------------------------------

def _cells(text: str) -> dict:
    return json.loads(text)


def test_solution_cells_become_the_module_and_other_cells_are_ignored():
    data = _cells(notebook_json(COURSE, "ex01_relu", "def relu(x):\n    return 1\n"))
    second = {"cell_type": "code", "execution_count": None, "id": "mine", "outputs": [],
              "metadata": {"nnex": {"role": "solution"}}, "source": ["def relu(x):\n",
                                                                     "    return 2\n"]}
    scratch = {"cell_type": "code", "execution_count": None, "id": "scratch", "outputs": [],
               "metadata": {}, "source": "def sigmoid(x):\n    return 3\n"}
    data["cells"][4:4] = [scratch, second]
    source = solution_source(json.dumps(data), "ex01_relu", file="ex01_relu.ipynb")
    assert source == "def relu(x):\n    return 1\n\ndef relu(x):\n    return 2\n"


def test_ipython_lines_are_ignored_keeping_line_numbers():
    cell = ("%load_ext autoreload\n!pip install numpy\ndef relu(x):\n    %time y = 1\n"
            "    return x\n")
    source = solution_source(notebook_json(COURSE, "ex01_relu", cell), "ex01_relu", file="n")
    lines = source.splitlines()
    assert len(lines) == 5 and lines[2] == "def relu(x):" and lines[4] == "    return x"
    assert lines[0].startswith("pass  # nnex:") and "%load_ext autoreload" in lines[0]
    assert lines[1].startswith("pass  #") and lines[3].startswith("    pass  #")
    namespace: dict = {}
    exec(compile(source, "n", "exec"), namespace)
    assert namespace["relu"](3) == 3
    python = 'def f(n):\n    return ("%d"\n            % n)\n'
    assert solution_source(notebook_json(COURSE, "ex01_relu", python), "ex01_relu",
                           file="n") == python


def _edit(text: str, edit) -> str:
    data = _cells(text)
    edit(data["cells"])
    return json.dumps(data)


def _role_cells(cells, role):
    return [c for c in cells if c["metadata"].get("nnex", {}).get("role") == role]


def _set_source(cell, source):
    cell["source"] = source


MALFORMED = {
    "invalid_json": (lambda text: text[: len(text) // 2], "notebook_json"),
    "not_a_notebook": (lambda text: json.dumps({"cells": "none"}), "notebook_json"),
    "nbformat_3": (lambda text: json.dumps({**_cells(text), "nbformat": 3}), "notebook_json"),
    "no_solution_cell": (lambda text: _edit(text, lambda cells: [
        c["metadata"].pop("nnex") for c in _role_cells(cells, SOLUTION)]),
        "notebook_no_solution"),
    "solution_made_markdown": (lambda text: _edit(text, lambda cells: [
        c.update(cell_type="markdown") for c in _role_cells(cells, SOLUTION)]),
        "notebook_not_code"),
    "check_cell_removed": (lambda text: _edit(text, lambda cells: cells.remove(
        _role_cells(cells, CHECK)[0])), "notebook_check_cell"),
    "check_cell_edited": (lambda text: _edit(text, lambda cells: _set_source(
        _role_cells(cells, CHECK)[0], "print('full marks')")), "notebook_check_cell"),
    "check_cell_of_another_exercise": (lambda text: _edit(text, lambda cells: _set_source(
        _role_cells(cells, CHECK)[0], check_cell_source("ex02_neuron"))),
        "notebook_wrong_exercise"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_notebooks_are_refused_with_their_reason(case):
    make, kind = MALFORMED[case]
    text = make(notebook_json(COURSE, "ex01_relu", solution_sources(COURSE)["ex01_relu"]))
    with pytest.raises(StudentProblem) as caught:
        solution_source(text, "ex01_relu", file="ex01_relu.ipynb")
    assert caught.value.kind == kind and caught.value.is_load_problem
    assert "ex01_relu.ipynb" in caught.value.text.ja and "ex01_relu.ipynb" in caught.value.text.en
    assert _CJK.search(caught.value.text.ja) and not _CJK.search(caught.value.text.en)


def test_a_check_cell_with_only_comments_changed_is_accepted():
    text = _edit(notebook_json(COURSE, "ex01_relu", "x = 1"), lambda cells: _set_source(
        _role_cells(cells, CHECK)[0], check_cell_source("ex01_relu").replace("# 確認", "# ok")
        + "\n\n"))
    assert solution_source(text, "ex01_relu", file="n") == "x = 1\n"


def _nbgrader_notebook(*sources: str) -> str:
    """An nbgrader notebook: a locked test cell, then one code answer cell per source."""
    notebook = nbformat.v4.new_notebook()
    test = nbformat.v4.new_code_cell("assert False")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    notebook.cells.append(test)
    for number, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": f"a{number}"}
        notebook.cells.append(cell)
    return nbformat.writes(notebook)


def _nnex_notebook(*sources: str) -> str:
    """The released notebook of ex01_relu, its solution cell replaced by one per source."""
    data = _cells(notebook_json(COURSE, "ex01_relu"))
    template = _role_cells(data["cells"], SOLUTION)[0]
    at = data["cells"].index(template)
    data["cells"][at:at + 1] = [{**template, "id": f"s{n}", "source": source}
                                for n, source in enumerate(sources)]
    return json.dumps(data)


CELLS = ("# YOUR CODE HERE\nraise NotImplementedError()",
         "%load_ext autoreload\nimport numpy as np\n\ndef relu(x):\n    return np.maximum(0, x)",
         "%%time\nY = relu(-1)",
         "raise NotImplementedError",
         "def broken(:")


def test_nnex_and_nbgrader_notebooks_are_read_by_one_rule_set():
    """The same cells give the same module, whichever metadata marks them as solutions."""
    nnex = solution_source(_nnex_notebook(*CELLS), "ex01_relu", file="ex01_relu.ipynb")
    assert nbgrader_solution_source(_nbgrader_notebook(*CELLS), file="ex01_relu.ipynb") == nnex


def test_a_solution_cell_left_as_released_is_skipped_keeping_line_numbers():
    source = solution_source(_nnex_notebook(*CELLS[:4]), "ex01_relu", file="n")
    lines = source.splitlines()
    assert lines[:2] == ["# nnex: 未着手 / not attempted: # YOUR CODE HERE",
                         "# nnex: 未着手 / not attempted: raise NotImplementedError()"]
    assert lines[6] == "def relu(x):" and lines[-1].endswith("raise NotImplementedError")
    namespace: dict = {}
    exec(compile(source, "n", "exec"), namespace)
    assert namespace["Y"] == 0
    with pytest.raises(SyntaxError) as caught:  # an error's line is the line in the cells
        compile(solution_source(_nnex_notebook(*CELLS), "ex01_relu", file="n"), "n", "exec")
    assert caught.value.lineno == len("\n\n".join(CELLS).splitlines())


@pytest.mark.parametrize("text, detail", [
    ("[" * 100_000, "nested too deeply"),
    ('{"n": 1' + "9" * 5000 + ', "cells": []}', "too long"),
    ("{\"nbformat\": 4, \"cells\": [", "JSON"),
])
def test_a_hostile_nbgrader_notebook_is_refused_like_any_notebook(text, detail):
    with pytest.raises(StudentProblem) as caught:
        nbgrader_solution_source(text, file="ex01_relu.ipynb")
    assert caught.value.kind == "notebook_json" and detail in caught.value.text.en
    surrogate = _nbgrader_notebook("X = 'MARKER'").replace("MARKER", "\\ud800")
    with pytest.raises(StudentProblem, match="ud800"):
        nbgrader_solution_source(surrogate, file="ex01_relu.ipynb")


def test_one_size_limit_for_every_notebook(tmp_path):
    """Outputs (plots) count: a notebook file over the limit is refused, however it is read."""
    def padded(text: str) -> str:
        data = json.loads(text)
        data["metadata"]["outputs_kept"] = "#" * MAX_NOTEBOOK_BYTES
        return json.dumps(data)

    folder = tmp_path / "ann"
    folder.mkdir()
    (folder / "ex01_relu.ipynb").write_text(padded(_nnex_notebook("X = 1")), encoding="utf-8")
    (folder / "hw1.ipynb").write_text(padded(_nbgrader_notebook("X = 1")), encoding="utf-8")
    for submission in (Submission("ann", folder),
                       NotebookSubmission("ann", folder, (("ex01_relu", "hw1"),))):
        with pytest.raises(StudentProblem) as caught:
            submission.source("ex01_relu")
        assert caught.value.kind == "too_large"


# -- grading notebooks --------------------------------------------------------------------------

def _outcomes(result) -> list[tuple]:
    return [(e.exercise, c.name, c.outcome, c.points, c.hint_key, c.kind)
            for e in result.exercises for c in e.checks]


def test_graded_notebooks_score_exactly_like_the_same_code_in_py_files(tmp_path, course):
    """Every exercise's reference and every known-wrong implementation, as .py and as .ipynb.

    Public checks only: what is compared is how the source is read, not the hidden checks
    (which would make this test take minutes).
    """
    implementations: dict[str, tuple[str, str]] = {}
    for exercise_id in EXERCISES:
        catalogue = importlib.import_module(f"tests.catalogue.{exercise_id}")
        implementations[f"{exercise_id}-reference"] = (
            exercise_id, solution_sources(course)[exercise_id])
        for wrong in catalogue.WRONG:
            implementations[f"{exercise_id}-{wrong.name}"] = (exercise_id, wrong.source)
    as_py = {name: {exercise_id: source} for name, (exercise_id, source) in
             implementations.items()}
    as_notebook = {name: {f"{exercise_id}.ipynb": notebook_json(course, exercise_id, source)}
                   for name, (exercise_id, source) in implementations.items()}
    py = grade_class(course, write_class(tmp_path / "py", as_py), hidden=False)
    notebooks = grade_class(course, write_notebook_class(tmp_path / "nb", as_notebook),
                            hidden=False)
    assert set(py) == set(notebooks) == set(implementations)
    for name, (exercise_id, _) in implementations.items():
        py_result = py[name].exercise(exercise_id)
        nb_result = notebooks[name].exercise(exercise_id)
        assert nb_result.status == py_result.status
        assert _outcomes(notebooks[name]) == _outcomes(py[name]), name
        if name.endswith("-reference"):
            assert nb_result.score == nb_result.max_score > 0, name
    assert any(n.score < n.max_score for r in notebooks.values() for n in r.exercises)


def test_a_malformed_notebook_costs_that_exercise_only(tmp_path, course):
    solutions = solution_sources(course)
    reference = notebook_json(course, "ex01_relu", solutions["ex01_relu"])
    others = {e: solutions[e] for e in EXERCISES if e != "ex01_relu"}
    students = {case: {f"{e}.py": s for e, s in others.items()} for case in MALFORMED}
    for case, (make, _) in MALFORMED.items():
        students[case]["ex01_relu.ipynb"] = make(reference)
    students["good"] = {"ex01_relu.ipynb": reference}
    students["magics"] = {"ex01_relu.ipynb": notebook_json(
        course, "ex01_relu", "%matplotlib inline\n!pip install numpy\n" + solutions["ex01_relu"])}
    students["py_wins"] = {"ex01_relu.py": course.stub_path("ex01_relu").read_text("utf-8"),
                           "ex01_relu.ipynb": reference}
    results = grade_class(course, write_notebook_class(tmp_path / "class", students),
                          hidden=False)
    for case, (_, kind) in MALFORMED.items():
        own = results[case].exercise("ex01_relu")
        assert own.score == 0 and own.status == NOT_LOADABLE, case
        assert own.reason is not None and "ex01_relu.ipynb" in own.reason.en, case
        for other in results[case].exercises:
            if other.exercise != "ex01_relu":
                assert other.score == other.max_score, (case, other.exercise)
    for name in ("good", "magics"):
        own = results[name].exercise("ex01_relu")
        assert own.status == GRADED and own.score == own.max_score > 0, name
    assert results["py_wins"].exercise("ex01_relu").status == NOT_ATTEMPTED


def test_nnex_grade_reads_notebook_submissions(tmp_path, course, capsys):
    root = write_notebook_class(tmp_path / "class", {
        "山田_太郎": {"ex01_relu.ipynb": notebook_json(course, "ex01_relu",
                                                      solution_sources(course)["ex01_relu"])},
        "-broken": {"ex01_relu.ipynb": "{"}})
    assert main(["grade", str(root), "--out", str(tmp_path / "out"), "-e", "ex01_relu"]) == 0
    rows = (tmp_path / "out" / "scores.csv").read_text(encoding="utf-8").splitlines()
    max_score = f"{course.exercise('ex01_relu').max_score:g}"
    assert f"山田_太郎,ex01_relu,{max_score},{max_score},graded" in "\n".join(rows)
    assert f"-broken,ex01_relu,0,{max_score},not_loadable" in "\n".join(rows)
    feedback = (tmp_path / "out" / "feedback" / "-broken.md").read_text(encoding="utf-8")
    assert "Jupyter ノートブックとして読めません" in feedback
    assert "cannot be read as a Jupyter" in feedback


# -- the check cell and the plot guard, in this process -----------------------------------------

def _reference_namespace(exercise_id: str) -> dict:
    namespace: dict = {}
    exec(compile(solution_sources(COURSE)[exercise_id], "solution", "exec"), namespace)
    return namespace


def test_check_result_shows_marks_points_and_the_hint():
    namespace = _reference_namespace("ex01_relu")
    namespace["relu"] = lambda x: x  # negative inputs pass through
    result = check("ex01_relu", namespace)
    assert 0 < result.score < result.max_score
    page = result._repr_html_()
    hint = COURSE.exercise("ex01_relu").hints["relu_negative_passthrough"]
    assert "✗" in page and "✓" in page and hint.ja in page and hint.en in page
    assert f"data-score='{result.score:g}'" in page
    assert f"得点 / Score: {result.score:g} / {result.max_score:g}" in page
    text = repr(result)
    assert "✗" in text and f"ヒント: {hint.ja}" in text and f"Hint: {hint.en}" in text
    summary = result._repr_mimebundle_()[CHECK_MIME]
    assert json.loads(json.dumps(summary)) == summary
    assert summary["score"] == result.score and summary["max_score"] == result.max_score
    failed = {c["name"] for c in summary["checks"] if c["outcome"] != "passed"}
    assert failed == {"relu_lecture", "relu_array"}


def test_check_result_of_the_stub_and_of_the_reference():
    stub: dict = {}
    exec(COURSE.stub_path("ex01_relu").read_text("utf-8"), stub)
    result = check("ex01_relu", stub)
    assert result.score == 0 and result.summary()["status"] == NOT_ATTEMPTED
    assert "まだスタブのままです" in result._repr_html_() and "✗" not in result._repr_html_()
    full = check("ex01_relu", _reference_namespace("ex01_relu"))
    assert full.score == full.max_score > 0 and "✗" not in repr(full)


def test_html_escapes_what_the_student_controls():
    namespace = _reference_namespace("ex01_relu")

    def relu(x):
        raise ValueError("<script>alert(1)</script>")

    namespace["relu"] = relu
    page = NotebookCheck(check("ex01_relu", namespace).result)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_plot_guard_turns_errors_into_a_short_bilingual_note(capsys):
    def stub():
        raise NotImplementedError("relu: ここを書きましょう")

    with when_ready("relu"):
        stub()
    with when_ready("relu"):
        undefined_name_in_this_cell  # noqa: B018, F821
    with when_ready("relu"):
        raise ValueError("bad shape")
    out = capsys.readouterr().out
    assert out.count("この図は relu を使います") == 2 and "NotImplementedError" in out
    assert "NameError" in out and "図を描けませんでした: ValueError: bad shape" in out
    assert "Traceback" not in out
    with pytest.raises(KeyboardInterrupt), when_ready("relu"):
        raise KeyboardInterrupt


# -- what importing nnex pulls in -------------------------------------------------------------

def test_core_and_student_modules_import_no_jupyter_or_nbgrader():
    core = ["nnex.cli", "nnex.grading.folder_check", "nnex.grading.runner", "nnex.grading.plugin",
            "nnex.kit.release", "nnex.classgrade.grade", "nnex.grading.submissions",
            "nnex.kit.notebook_check", "nnex.grading.notebook_source"]
    code = (f"import sys\nfor name in {core!r}: __import__(name)\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "nnex" in loaded and "numpy" in loaded  # the probe did import the modules
    forbidden = {"nbgrader", "jupyterlab", "jupyter_server", "notebook", "nbformat",
                 "nbclient", "ipykernel", "IPython", "matplotlib"}
    assert forbidden.isdisjoint(loaded), sorted(forbidden & set(loaded))


_KIT_ONLY = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if not "
             "getattr(f, '__module__', '').startswith('__editable__')]\n")


def test_the_kit_checks_a_notebook_namespace_on_its_own(kit, tmp_path):
    code = _KIT_ONLY + (
        "import nnex\n"
        "from nnex.kit.notebook_check import check\n"
        "namespace = {}\n"
        "exec(open(sys.argv[1], encoding='utf-8').read(), namespace)\n"
        "result = check('ex01_relu', namespace)\n"
        "print(nnex.__file__)\n"
        "print(result.score, result.max_score)")
    solution = tmp_path / "solution.py"
    solution.write_text(solution_sources(COURSE)["ex01_relu"], encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(kit / KIT_PACKAGE)}
    run = subprocess.run([sys.executable, "-c", code, str(solution)], env=env, cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    where, probe = run.stdout.splitlines()[-2:]
    assert where.startswith(str(kit))
    public = check("ex01_relu", _reference_namespace("ex01_relu")).max_score
    assert probe.split() == [f"{public}", f"{public}"]


def test_setup_cell_of_notebooks_released_before_nnex_fonts_still_runs():
    # Notebooks already handed out start with this cell (nnex 0.1's notebooks.py wrote it).
    namespace: dict = {}
    exec("import matplotlib.pyplot as plt\n"
         "from nnex.kit.notebook_check import japanese_font, when_ready\n"
         "plt.rcParams['font.family'] = japanese_font()\n", namespace)
    from matplotlib import font_manager

    family = namespace["plt"].rcParams["font.family"]
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    from matplotlib.ft2font import FT2Font

    assert FT2Font(path).get_char_index(ord("重")) != 0, path

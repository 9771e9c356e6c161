"""The student kit: what it holds, what it must never hold, and that it checks on its own."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nnex.cli import main
from nnex.course.content import GRADER_HELPERS, HIDDEN_GRADER
from nnex.kit.release import KIT_PACKAGE, release_kit


@pytest.fixture(scope="module")
def kit(tmp_path_factory, course) -> Path:
    out = tmp_path_factory.mktemp("release") / "kit"
    release_kit(out, course=course)
    return out


def _solution_bodies(course) -> list[tuple[str, str]]:
    """(function, body line) for every meaningful line of every solution function body."""
    found = []
    for exercise_id in course.exercise_ids():
        source = course.solution_path(exercise_id).read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and hasattr(node, "body"):
                body = node.body if isinstance(node.body, list) else [node.body]
                for statement in body:
                    if isinstance(statement, ast.Expr) \
                            and isinstance(statement.value, ast.Constant):
                        continue  # the docstring is the contract, shared with the stub
                    for line in ast.unparse(statement).splitlines():
                        line = line.strip()
                        # "def" lines of nested helpers are signatures, not bodies.
                        if len(line) >= 12 and not line.startswith("def "):
                            found.append((f"{exercise_id}.{node.name}", line))
    return found


def test_kit_has_stubs_statements_readme_and_checker(kit, course):
    for exercise_id in course.exercise_ids():
        assert (kit / f"{exercise_id}.py").read_text() == course.stub_text(exercise_id)
        public = kit / KIT_PACKAGE / "nnex" / "graders" / exercise_id / "test_public.py"
        assert public.is_file()
    readme = (kit / "README.md").read_text(encoding="utf-8")
    assert "pip install ./nnex-kit" in readme and "nnex check" in readme
    assert "\npip install jupyterlab " in readme and "\njupyter lab " in readme  # notebooks
    assert (kit / KIT_PACKAGE / "pyproject.toml").is_file()


def test_kit_holds_no_solution_and_no_hidden_check(kit, course):
    files = [p for p in kit.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name == HIDDEN_GRADER]
    assert not [p for p in files if "solutions" in p.parts]
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    bodies = _solution_bodies(course)
    assert bodies, "the search must look for something"
    leaked = [(name, line) for name, line in bodies if line in text]
    assert not leaked, f"solution code found in the kit: {leaked[:5]}"


# The kit's own nnex, as on a student's machine: the instructor's editable install (whose import
# hook would still map nnex.solutions to this checkout) is switched off in the child process.
_KIT_ONLY = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if not "
             "getattr(f, '__module__', '').startswith('__editable__')]; ")


def _kit_python(kit: Path, code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(kit / KIT_PACKAGE)}
    return subprocess.run([sys.executable, "-c", _KIT_ONLY + code, *args], env=env, cwd=cwd,
                          capture_output=True, text=True)


def _kit_nnex(kit: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return _kit_python(kit, "from nnex.cli import main; sys.exit(main(sys.argv[1:]))", *args,
                       cwd=cwd)


def test_kit_checks_on_its_own_without_solutions(kit, tmp_path, course):
    work = tmp_path / "class" / "student"
    work.mkdir(parents=True)
    (work / "ex01_relu.py").write_text(course.solution_path("ex01_relu").read_text())
    probe = _kit_python(kit, "import nnex, nnex.course.content; print(nnex.__file__); "
                        "print(nnex.course.content.Course.installed().is_student_kit)",
                        cwd=tmp_path)
    assert str(kit) in probe.stdout and probe.stdout.split()[-1] == "True", probe.stderr
    solved = _kit_nnex(kit, "check", "ex01_relu", "--dir", str(work), cwd=tmp_path)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert "5 / 5" in solved.stdout
    stub = _kit_nnex(kit, "check", "ex01_relu", "--dir", str(kit), cwd=tmp_path)
    assert stub.returncode == 1 and "0 / 5" in stub.stdout
    grade = _kit_nnex(kit, "grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"),
                      cwd=tmp_path)
    assert grade.returncode != 0 and "student kit" in grade.stderr, grade.stderr


def test_kit_ships_the_graders_shared_helpers_and_checks_with_them(kit, tmp_path, course):
    # ex05's public grader imports its helpers.py; the kit's nnex alone must run it.
    graders = kit / KIT_PACKAGE / "nnex" / "graders"
    assert (graders / "ex03_network" / GRADER_HELPERS).is_file()
    assert (graders / "ex05_backprop" / GRADER_HELPERS).is_file()
    work = tmp_path / "student"
    work.mkdir()
    (work / "ex05_backprop.py").write_text(course.solution_path("ex05_backprop").read_text())
    solved = _kit_nnex(kit, "check", "ex05_backprop", "--dir", str(work), cwd=tmp_path)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert "ModuleNotFoundError" not in solved.stdout + solved.stderr


def test_the_kits_nnex_offers_the_students_commands_only(kit, tmp_path):
    shown = _kit_nnex(kit, "--help", cwd=tmp_path)
    assert shown.returncode == 0 and "nnex check" in shown.stdout, shown.stderr
    assert re.search(r"^ +check +check your", shown.stdout, re.M), shown.stdout
    for instructor in ("report", "demo", "grade", "release", "merge", "gradescope", "nbgrader"):
        assert f"nnex {instructor}" not in shown.stdout and f"{instructor}," not in shown.stdout
        refused = _kit_nnex(kit, instructor, "x", cwd=tmp_path)
        assert refused.returncode == 2 and refused.stdout == "", refused.stdout
        assert refused.stderr == (
            f"nnex: error: {instructor} は先生用のコマンドで、このキットにはありません。"
            f"nnex check を使います / '{instructor}' is an instructor's command, not part of "
            "the student kit; use nnex check\n"), refused.stderr


def test_the_instructors_nnex_offers_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    for command in ("check", "report", "demo", "grade", "release", "merge", "gradescope"):
        assert f"nnex {command}" in shown, command


def test_release_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "ex01_relu.py").write_text("my work")
    assert main(["release", "--out", str(tmp_path / "kit")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "kit" / "ex01_relu.py").read_text() == "my work"


BLOCK_IMPORTS = """
import sys
from pathlib import Path

class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, Missing())
from nnex.kit.release import release_kit
release_kit(Path(sys.argv[1]))
"""


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0].lower().replace("-", "_")
            for r in requirements if "extra ==" not in r}


def test_release_with_notebooks_needs_only_the_base_dependencies(tmp_path):
    # `nnex release` is the instructor's main command: it must work after a plain install,
    # with none of the extras (what nbformat itself needs aside).
    from importlib import metadata

    tomllib = pytest.importorskip("tomllib")
    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = _names(project["dependencies"])
    extras = _names([r for extra in project["optional-dependencies"].values() for r in extra])
    blocked = extras - base - _names(metadata.requires("nbformat") or [])
    assert {"matplotlib", "nbclient"} <= blocked
    out = tmp_path / "kit"
    code = f"BLOCKED = {sorted(blocked)!r}\n{BLOCK_IMPORTS}"
    done = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.glob("*.ipynb")) == sorted(
        f"{p.stem}.ipynb" for p in out.glob("ex*.py"))

"""Old import paths that released kits, notebooks, nbgrader cells and bundles use keep working."""

import importlib
import subprocess
import sys

import pytest

# old path -> the module it now is (issue 10's package layout)
ALIASES = {
    "nnex.checks": "nnex.grading.checks",
    "nnex.problems": "nnex.grading.problems",
    "nnex.notebook_check": "nnex.kit.notebook_check",
    "nnex.nbgrader_cell": "nnex.integrations.nbgrader.cell",
    "nnex.batch_grader": "nnex.classgrade.pool_worker",
    "nnex.gradescope": "nnex.integrations.gradescope",
    "nnex.nbgrader_autograde": "nnex.integrations.nbgrader.autograde",
}


@pytest.mark.parametrize("old, new", sorted(ALIASES.items()))
def test_old_path_is_the_new_module(old, new):
    assert importlib.import_module(old) is importlib.import_module(new)


def test_a_course_grader_s_imports_give_the_classes_the_plugin_catches():
    from nnex.checks import CheckFailed, expect_close
    from nnex.grading import checks, outcome
    from nnex.problems import StudentProblem

    assert CheckFailed is checks.CheckFailed
    assert expect_close is checks.expect_close
    assert outcome.STUDENT_FAILURES == (CheckFailed, StudentProblem)


def test_a_released_notebook_s_check_cell_and_an_nbgrader_test_cell_import():
    namespace = {}
    exec("from nnex.notebook_check import check, when_ready\n"
         "from nnex.nbgrader_cell import run_check\n", namespace)
    from nnex.integrations.nbgrader.cell import run_check
    from nnex.kit.notebook_check import check

    assert namespace["check"] is check and namespace["run_check"] is run_check


@pytest.mark.parametrize("old, description", [
    ("nnex.batch_grader", "One grading subprocess"),          # what an older pool starts
    ("nnex.gradescope", "Grade a Gradescope submission."),    # an older bundle's run_autograder
])
def test_old_entry_points_run_the_new_main(old, description):
    done = subprocess.run([sys.executable, "-m", old, "--help"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert description in done.stdout

"""The GitHub Classroom workflow in the student kit (``nnex release --github-classroom``).

GitHub Classroom reads points only from a workflow named ``Autograding Tests`` with a single job
``run-autograding-tests`` whose last step is the public reporter action; each grading step has an
id and exports ``result`` (see ``nnex.render.github``), passed to the reporter as
``<ID>_RESULTS`` and listed in its ``runners`` input. The public actions are used by reference.
"""

from __future__ import annotations

import yaml

WORKFLOW_NAME = "Autograding Tests"
JOB_ID = "run-autograding-tests"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
WORKFLOW_PATH = ".github/workflows/classroom.yml"


def runner_id(exercise_id: str) -> str:
    """A step id the reporter accepts (letters and digits only): ``ex01_relu`` → ``ex01``."""
    return exercise_id.split("_", 1)[0].replace("-", "")


def workflow(exercise_ids: list[str], python_version: str = "3.11") -> str:
    """The workflow YAML: install the kit, check each exercise, report the points."""
    steps: list[dict] = [
        {"name": "Checkout code", "uses": "actions/checkout@v4"},
        {"name": "Set up Python", "uses": "actions/setup-python@v5",
         "with": {"python-version": python_version}},
        {"name": "Install the checker (nnex-kit)", "run": "pip install ./nnex-kit"},
    ]
    runners = []
    for exercise_id in exercise_ids:
        step_id = runner_id(exercise_id)
        runners.append(step_id)
        steps.append({
            "name": exercise_id, "id": step_id,
            "run": f'echo "result=$(nnex check {exercise_id} --format github)" '
                   '>> "$GITHUB_OUTPUT"'})
    steps.append({
        "name": "Autograding Reporter", "uses": REPORTER,
        "env": {f"{r.upper()}_RESULTS": f"${{{{ steps.{r}.outputs.result }}}}" for r in runners},
        "with": {"runners": ",".join(runners)}})
    document = {
        "name": WORKFLOW_NAME,
        # The mapping form: actionlint before v1.7.9 rejects repository_dispatch in a list (its
        # parseEventWithNoConfig knew no such event); every release takes an empty mapping value.
        "on": {"push": None, "repository_dispatch": None},
        "permissions": {"checks": "write", "actions": "read", "contents": "read"},
        "jobs": {JOB_ID: {"runs-on": "ubuntu-latest",
                          "if": "github.actor != 'github-classroom[bot]'",
                          "steps": steps}},
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)

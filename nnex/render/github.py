"""Results for GitHub Classroom's autograding reporter (classroom-resources/autograding-grading-reporter).

Each grading step of the workflow sets an output ``result`` to base64-encoded JSON:
``{"version": 1, "status": "pass"|"fail"|"error", "max_score": N, "tests": [{"name",
"status", "score", "message", ...}]}``; the reporter reads it from ``<STEP_ID>_RESULTS`` and sums
the scores. The reporter prints names and messages to the job log, where a line starting with
``::`` would be run as a workflow command, so student-influenced text is defused here.
"""

from __future__ import annotations

import base64
import json

from nnex.render.terminal import detail_lines, points
from nnex.results import GRADER_ERROR, PASSED, SubmissionResult

RESULT_VERSION = 1


def classroom_result(result: SubmissionResult) -> dict:
    """The reporter's JSON for one run of checks (one runner)."""
    tests = []
    for exercise in result.exercises:
        for check in exercise.checks:
            lines = [] if check.passed else detail_lines(check)
            if exercise.reason is not None and not check.passed:
                lines = exercise.reason.lines()
            tests.append({
                "name": defuse(f"{exercise.exercise}: {check.title.ja} / {check.title.en}"),
                "status": "pass" if check.outcome == PASSED else (
                    "error" if check.outcome == GRADER_ERROR else "fail"),
                "score": check.points,
                "message": defuse("\n".join(lines)),
                "line_no": 0,
                "execution_time": f"{check.seconds:.3f}s",
            })
    if any(t["status"] == "error" for t in tests):
        status = "error"
    else:
        status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": RESULT_VERSION, "status": status, "max_score": result.max_score,
            "tests": tests}


def encode(payload: dict) -> str:
    """The base64 text a workflow step writes to ``$GITHUB_OUTPUT`` as ``result=...``."""
    return base64.b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode("ascii")


def defuse(text: str) -> str:
    """Make sure no line of ``text`` can be read as a workflow command (``::name::``)."""
    return text.replace("::", ":\u200b:").replace("\r", "")


def summary(result: SubmissionResult) -> str:
    """A one-line summary for humans."""
    return f"{points(result.score)}/{points(result.max_score)}"

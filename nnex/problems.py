"""Old path of ``nnex.grading.problems``.

Kept for course graders (from nnex.problems import StudentProblem).
"""
# nnex compatibility module (issue 10)
import sys

from nnex.grading import problems

sys.modules[__name__] = problems

"""Old path of ``nnex.integrations.nbgrader.autograde``.

Kept for exported nbgrader_config.py files (autograde_preprocessors).
"""
# nnex compatibility module (issue 10)
import sys

from nnex.integrations.nbgrader import autograde

sys.modules[__name__] = autograde

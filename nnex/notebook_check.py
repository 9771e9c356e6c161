"""Old path of ``nnex.kit.notebook_check``.

Kept for released notebooks' check cells.
"""
# nnex compatibility module (issue 10)
import sys

from nnex.kit import notebook_check

sys.modules[__name__] = notebook_check

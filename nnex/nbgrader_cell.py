"""Old path of ``nnex.integrations.nbgrader.cell``.

Kept for exported nbgrader test cells.
"""
# nnex compatibility module (issue 10)
import sys

from nnex.integrations.nbgrader import cell

sys.modules[__name__] = cell

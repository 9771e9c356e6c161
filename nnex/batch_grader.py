"""Old path of ``nnex.classgrade.pool_worker``.

Kept for python -m nnex.batch_grader.
"""
# nnex compatibility module (issue 10)
import sys

from nnex.classgrade import pool_worker

if __name__ == "__main__":
    sys.exit(pool_worker.main())
sys.modules[__name__] = pool_worker

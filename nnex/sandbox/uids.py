"""One unprivileged uid per running worker host, so that no two sandboxes share a process limit.

RLIMIT_NPROC counts every process of a uid, wherever it runs: children of several hosts all
dropped to one uid (``nobody``) would share one limit, and one student filling it would stop a
classmate graded at the same time from starting threads. When the grader runs as root, each
``WorkerHost`` leases its own uid from ``UID_RANGE`` for as long as it runs: the lease is an
exclusive ``flock`` on ``<LEASE_FOLDER>/<uid>.lock``, so concurrent nnex runs on one machine
never share a uid either, and a crashed run's lease ends with its process.
"""

from __future__ import annotations

import fcntl
import os
import pwd
from dataclasses import dataclass
from typing import IO

from nnex.errors import WorkerError

UID_RANGE = range(61000, 62000)
"""Debian reserves 60000–64999 for global allocation, so they are rarely anyone's; a uid that
belongs to an account on this machine is skipped."""
LEASE_FOLDER = "/run/nnex-uids"


@dataclass
class UidLease:
    """A uid held by this process until ``release()`` (or its end)."""

    uid: int
    handle: IO[str]

    def release(self) -> None:
        self.handle.close()


def lease_uid(folder: str = LEASE_FOLDER, uids: range = UID_RANGE) -> UidLease:
    """Lease the first free uid of ``uids`` that no account of this machine has.

    Raises:
        WorkerError: the lease folder cannot be made, or every uid is leased.
    """
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise WorkerError(f"cannot make {folder} to lease sandbox uids: {exc}") from None
    for uid in uids:
        if _has_account(uid):
            continue
        handle = open(os.path.join(folder, f"{uid}.lock"), "a", encoding="ascii")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        return UidLease(uid, handle)
    raise WorkerError(f"all {len(uids)} sandbox uids ({uids.start}–{uids.stop - 1}) are in use "
                      f"by running graders; use fewer --workers or wait for them to finish")


def _has_account(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True

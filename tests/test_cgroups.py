"""Where sandboxes get a cgroup (``cgroups.detect``), and a host that gets none still grades."""

from __future__ import annotations

from pathlib import Path

from nnex.sandbox import wire
from nnex.sandbox.cgroups import CgroupSupport, detect
from nnex.sandbox.host import WorkerHost
from tests.hostile.harness import launcher_for

V1_MOUNTS = """\
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
"""


def _files(tmp_path: Path, mounts: str, membership: str) -> tuple[str, str]:
    (tmp_path / "mounts").write_text(mounts.replace("/sys/fs/cgroup", str(tmp_path / "cg")))
    (tmp_path / "cgroup").write_text(membership)
    return str(tmp_path / "mounts"), str(tmp_path / "cgroup")


def test_v2_needs_a_delegated_subtree_with_memory_and_pids(tmp_path):
    own = tmp_path / "cg" / "user.slice" / "grader"
    own.mkdir(parents=True)
    mounts, membership = _files(tmp_path, "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n",
                                "0::/user.slice/grader\n")
    (own / "cgroup.subtree_control").write_text("cpu pids\n")
    assert detect(mounts, membership).version is None
    (own / "cgroup.subtree_control").write_text("cpu memory pids\n")
    assert detect(mounts, membership) == CgroupSupport("v2", (own,))


def test_v2_a_grader_in_a_leaf_makes_sandboxes_beside_it(tmp_path):
    delegated = tmp_path / "cg" / "nnex.service"
    (delegated / "grader").mkdir(parents=True)
    (delegated / "grader" / "cgroup.subtree_control").write_text("")
    (delegated / "cgroup.subtree_control").write_text("memory pids\n")
    mounts, membership = _files(tmp_path, "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n",
                                "0::/nnex.service/grader\n")
    assert detect(mounts, membership) == CgroupSupport("v2", (delegated,))


def test_v1_uses_the_graders_own_memory_and_pids_cgroups(tmp_path):
    memory = tmp_path / "cg" / "memory" / "session"
    pids = tmp_path / "cg" / "pids"
    memory.mkdir(parents=True)
    pids.mkdir(parents=True)
    mounts, membership = _files(tmp_path, V1_MOUNTS, "8:pids:/\n4:memory:/session\n0::/\n")
    assert detect(mounts, membership) == CgroupSupport("v1", (memory, pids))
    mounts, membership = _files(tmp_path, V1_MOUNTS.splitlines()[0] + "\n", "4:memory:/\n")
    support = detect(mounts, membership)
    assert support.version is None and support.describe().startswith("none (")


def test_a_host_without_cgroups_says_so_and_still_grades():
    host = WorkerHost(launcher=launcher_for("rlimits"),
                      cgroups=CgroupSupport(None, reason="not here"))
    try:
        child = host.spawn()
        loaded = child.request({"op": "load", "module": "m",
                                "sources": {"m": ["m.py", "def f():\n    return 3\n"]}}, 30)
        reply = child.request({"op": "call", "name": "f", "args": wire.encode([]),
                               "kwargs": wire.encode({})}, 30)
        child.close()
    finally:
        host.close()
    assert loaded["ok"] and wire.decode(reply["value"]) == 3
    assert host.total_limit == "none (not here)" and host.cgroup is None

"""The shipped instructor CI examples parse and use only real nnex commands and options."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from nnex.cli import build_parser

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "ci"


def _nnex_commands(text: str, values: dict[str, str]) -> list[list[str]]:
    for name, value in values.items():
        text = text.replace(name, value)
    text = text.replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("nnex "):
            commands.append(shlex.split(line)[1:])
    return commands


def test_github_matrix_workflow_uses_real_commands():
    document = yaml.safe_load((EXAMPLES / "grade-class.yml").read_text())
    shards = document["jobs"]["grade"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(document["env"]["SHARDS"]) + 1))
    runs = "\n".join(step.get("run", "") for job in document["jobs"].values()
                     for step in job["steps"])
    commands = _nnex_commands(runs, {"${{ matrix.shard }}": "2",
                                     "${{ env.SHARDS }}": str(len(shards))})
    assert {c[0] for c in commands} >= {"grade", "merge", "report"}
    merge = next(c for c in commands if c[0] == "merge")
    assert merge[1:1 + len(shards)] == [f"shard-{n}" for n in shards]
    parser = build_parser()
    for command in commands:
        parser.parse_args(command)  # exits (fails the test) on an unknown option


def test_slurm_script_uses_real_commands():
    text = (EXAMPLES / "slurm-grade.sh").read_text()
    assert re.search(r"^#SBATCH --job-name=", text, re.M)
    commands = _nnex_commands(text, {'"$submissions"': "subs", '"$out/shard-$shard"': "out/1",
                                     '"$shard/$shards"': "1/8",
                                     '"${SLURM_CPUS_PER_TASK:-1}"': "4"})
    assert [c[0] for c in commands] == ["grade"]
    build_parser().parse_args(commands[0])

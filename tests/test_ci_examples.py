"""The shipped instructor CI examples parse and use only real nnex commands and options."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
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


def _plan(document: dict, shards: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the plan job's step as Actions would, with the ``shards`` input ``shards``."""
    step = document["jobs"]["plan"]["steps"][0]
    assert step["env"] == {"SHARDS": "${{ inputs.shards }}"}
    output = tmp_path / f"output-{shards or 'empty'}"
    output.write_text("")
    return subprocess.run(["bash", "-e", "-c", step["run"]], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "SHARDS": shards,
                               "GITHUB_OUTPUT": str(output)})


def test_github_matrix_workflow_uses_the_shards_input_and_real_commands(tmp_path):
    document = yaml.safe_load((EXAMPLES / "grade-class.yml").read_text())
    shards = document[True]["workflow_dispatch"]["inputs"]["shards"]  # YAML 1.1 reads on: as True
    assert (shards["type"], shards["default"]) == ("number", 4)
    done = _plan(document, "3", tmp_path)
    assert done.returncode == 0, done.stderr
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output-3").read_text().splitlines())
    assert outputs == {"count": "3", "list": "[1,2,3]"}
    assert json.loads(outputs["list"]) == [1, 2, 3]
    for bad in ("0", "-2", "two", ""):
        refused = _plan(document, bad, tmp_path)
        assert refused.returncode != 0 and "shards must be a whole number" in refused.stderr

    grade = document["jobs"]["grade"]
    assert grade["needs"] == "plan"
    assert grade["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.list) }}"
    runs = "\n".join(step.get("run", "") for job in document["jobs"].values()
                     for step in job["steps"])
    commands = _nnex_commands(runs, {"${{ matrix.shard }}": "2",
                                     "${{ needs.plan.outputs.count }}": outputs["count"]})
    assert {c[0] for c in commands} >= {"grade", "merge", "report"}
    assert "--shard" in (grade_command := next(c for c in commands if c[0] == "grade"))
    assert grade_command[grade_command.index("--shard") + 1] == "2/3"
    assert next(c for c in commands if c[0] == "merge")[1] == "shard-*"  # every downloaded shard
    parser = build_parser()
    for command in commands:
        parser.parse_args(command)  # exits (fails the test) on an unknown option


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_workflows_pass_actionlint(tmp_path, course):
    from nnex.kit.classroom import WORKFLOW_PATH
    from nnex.kit.release import release_kit

    release_kit(tmp_path / "kit", course=course, github_classroom=True)
    for workflow in (EXAMPLES / "grade-class.yml", tmp_path / "kit" / WORKFLOW_PATH):
        done = subprocess.run(["actionlint", "-no-color", "-shellcheck=", str(workflow)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_slurm_script_uses_real_commands():
    text = (EXAMPLES / "slurm-grade.sh").read_text()
    assert re.search(r"^#SBATCH --job-name=", text, re.M)
    commands = _nnex_commands(text, {'"$submissions"': "subs", '"$out/shard-$shard"': "out/1",
                                     '"$shard/$shards"': "1/8",
                                     '"${SLURM_CPUS_PER_TASK:-1}"': "4"})
    assert [c[0] for c in commands] == ["grade"]
    build_parser().parse_args(commands[0])


def test_kubernetes_indexed_job_maps_each_index_to_a_real_shard_command(tmp_path):
    document = yaml.safe_load((EXAMPLES / "k8s-indexed-job.yaml").read_text())
    assert (document["apiVersion"], document["kind"]) == ("batch/v1", "Job")
    spec = document["spec"]
    assert spec["completionMode"] == "Indexed"
    assert spec["template"]["spec"]["restartPolicy"] == "Never"  # backoffLimitPerIndex needs it
    container = spec["template"]["spec"]["containers"][0]
    env = {item["name"]: item["value"] for item in container["env"]}
    assert env["SHARDS"] == str(spec["completions"])
    # Run the container's script as the pod would, with a stand-in nnex that records its argv.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "nnex").write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGV_FILE"\n')
    (bin_dir / "nnex").chmod(0o755)
    shards = set()
    for index in range(spec["completions"]):
        argv_file = tmp_path / f"argv-{index}"
        done = subprocess.run([*container["command"], *container["args"]], capture_output=True,
                              text=True, env={"PATH": f"{bin_dir}:/usr/bin:/bin",
                                              "JOB_COMPLETION_INDEX": str(index),
                                              "ARGV_FILE": str(argv_file), **env})
        assert done.returncode == 0, done.stderr
        argv = argv_file.read_text().splitlines()
        parsed = build_parser().parse_args(argv)  # exits (fails the test) on an unknown option
        assert argv[0] == "grade" and parsed.shard == f"{index + 1}/{spec['completions']}"
        assert str(parsed.out) == f"/class/out/shard-{index + 1}"
        shards.add(parsed.shard)
    assert len(shards) == spec["completions"]  # every shard once: together, every student

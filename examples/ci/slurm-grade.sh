#!/usr/bin/env bash
# Grade a whole class as a Slurm array job, one shard per array task, then merge.
#
#   sbatch --array=1-8 examples/ci/slurm-grade.sh submissions/ out/
#   sbatch --dependency=afterok:<array job id> --wrap "nnex merge out/shard-* --out out/all"
#
# Each task grades a deterministic 1/N of the students (N = the array size) with all the
# task's cores; a task that fails can be rerun alone, and rerunning resumes where it stopped.
#SBATCH --job-name=nnex-grade
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=01:00:00
set -euo pipefail
submissions="${1:?usage: slurm-grade.sh SUBMISSIONS OUT}"
out="${2:?usage: slurm-grade.sh SUBMISSIONS OUT}"
shards="${SLURM_ARRAY_TASK_COUNT:?submit with sbatch --array=1-N}"
shard="${SLURM_ARRAY_TASK_ID:?submit with sbatch --array=1-N}"
nnex grade "$submissions" --out "$out/shard-$shard" --shard "$shard/$shards" \
    --workers "${SLURM_CPUS_PER_TASK:-1}"

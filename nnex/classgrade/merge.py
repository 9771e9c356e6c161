"""Combining the output folders of ``nnex grade --shard K/N`` into one class's outputs.

The shards must be the complete set of one split of one class, graded with the same graders:
``merge_outputs`` checks the manifests first and writes nothing when they disagree. The merged
folder is what an unsharded ``nnex grade`` would have written (same CSVs apart from timings,
same feedback, the gradebook holding every shard's runs), and a later ``nnex grade --out`` on
it resumes from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nnex.render import names
from nnex.classgrade.layout import OutputLayout
from nnex.classgrade.records import (ResultRecord, isolations_of, load_records, record_path,
                                     remove_stale, write_record)
from nnex.errors import UsageError
from nnex.files import folder_lock
from nnex.classgrade.gradebook import check_gradebook, merge_gradebooks
from nnex.classgrade.outputs import Manifest, read_manifest, write_outputs
from nnex.grading.results import SubmissionResult
from nnex.classgrade.shards import parse_shard


@dataclass
class MergeResult:
    """The merged class."""

    exercise_ids: list[str]
    submissions: list[SubmissionResult]
    out: Path
    shards: list[str]


def merge_outputs(inputs: list[Path], out: Path) -> MergeResult:
    """Merge the shard output folders ``inputs`` into ``out``.

    Raises:
        UsageError: an input is not a shard's output folder, the shards overlap, are
            incomplete or come from different graders or classes, a student's result is
            missing, or ``out`` is one of the inputs or another shard's folder.
        GradebookError: a gradebook is unusable.
    """
    if not inputs:
        raise UsageError("give the output folders of every shard (nnex merge OUT1 OUT2 … "
                         "--out OUT)")
    manifests = [_shard_manifest(folder) for folder in inputs]
    _check_consistent(inputs, manifests)
    _check_target(out, inputs)
    records: dict[str, ResultRecord] = {}
    for folder, manifest in zip(inputs, manifests):
        shard_out = OutputLayout(folder)
        found = load_records(shard_out.results, manifest.students)
        for student in manifest.students:
            if student in records:
                raise UsageError(f"student '{names.terminal(student)}' is in more than one shard "
                                 f"folder (again in {folder}); the shards overlap")
            if student not in found:
                raise UsageError(f"{record_path(shard_out.results, student)} is missing "
                                 f"or unreadable; grade shard {manifest.shard} again")
            records[student] = found[student]
        if not shard_out.gradebook.is_file():
            raise UsageError(f"{shard_out.gradebook} is missing; grade shard "
                             f"{manifest.shard} again")
        check_gradebook(shard_out.gradebook)
    merged_out = OutputLayout(out)
    check_gradebook(merged_out.gradebook)

    with folder_lock(out):
        first = manifests[0]
        students = sorted(records)
        results_dir = merged_out.results
        results_dir.mkdir(parents=True, exist_ok=True)
        for student in students:
            write_record(results_dir, records[student])
        remove_stale(results_dir, set(students))
        merge_gradebooks([OutputLayout(folder).gradebook for folder in inputs],
                         merged_out.gradebook)
        shards = [m.shard for m in sorted(manifests, key=lambda m: parse_shard(m.shard).index)]
        merged = Manifest(grader_version=first.grader_version, exercises=first.exercises,
                          shard=None, class_size=first.class_size, roster=first.roster,
                          students=students, merged_from=shards,
                          isolation=isolations_of([records[s] for s in students]))
        results = [records[student].result for student in students]
        write_outputs(results, first.exercises, out, merged)
        return MergeResult(exercise_ids=first.exercises, submissions=results, out=out,
                           shards=shards)


def _shard_manifest(folder: Path) -> Manifest:
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder; pass the --out folders of nnex grade "
                         "--shard K/N")
    manifest = read_manifest(folder)
    if manifest is None:
        raise UsageError(f"{folder} holds no {OutputLayout(folder).manifest.name}: it is not an "
                         "output folder of nnex grade (or grading it did not finish; "
                         "run it again)")
    if manifest.shard is None:
        raise UsageError(f"{folder} holds a whole class, not a shard; nnex merge combines the "
                         "folders written by nnex grade --shard K/N")
    return manifest


def _check_consistent(inputs: list[Path], manifests: list[Manifest]) -> None:
    first_folder, first = inputs[0], manifests[0]
    count = parse_shard(first.shard, where=f"{OutputLayout(first_folder).manifest}: shard").count
    seen: dict[int, Path] = {}
    for folder, manifest in zip(inputs, manifests):
        shard = parse_shard(manifest.shard, where=f"{OutputLayout(folder).manifest}: shard")
        if shard.count != count:
            raise UsageError(f"{first_folder} is shard {first.shard} but {folder} is shard "
                             f"{manifest.shard}; merge the shards of one split")
        if shard.index in seen:
            raise UsageError(f"{seen[shard.index]} and {folder} both hold shard {shard}; "
                             "pass each shard once")
        seen[shard.index] = folder
        if manifest.grader_version != first.grader_version:
            raise UsageError(f"{first_folder} and {folder} were graded by different graders "
                             "(nnex or course versions differ); grade every shard with the "
                             "same installation")
        if manifest.exercises != first.exercises:
            raise UsageError(f"{first_folder} graded {', '.join(first.exercises)} but {folder} "
                             f"graded {', '.join(manifest.exercises)}; grade every shard with "
                             "the same --exercise options")
        if (manifest.roster, manifest.class_size) != (first.roster, first.class_size):
            raise UsageError(f"{first_folder} and {folder} were graded from different class "
                             "lists; grade every shard from the same submissions folder")
    missing = [f"{k}/{count}" for k in range(1, count + 1) if k not in seen]
    if missing:
        raise UsageError(f"shard {', '.join(missing)} missing; pass the output folders of all "
                         f"{count} shards")


def _check_target(out: Path, inputs: list[Path]) -> None:
    target = out.resolve()
    for folder in inputs:
        if target == folder.resolve() or folder.resolve() in target.parents:
            raise UsageError(f"--out {out} is inside the shard folder {folder}; choose a "
                             "folder of its own for the merged class")
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {out} exists and is not a folder")
    existing = read_manifest(out) if target.is_dir() else None
    if existing is not None and existing.shard is not None:
        raise UsageError(f"--out {out} holds shard {existing.shard}; merge into a folder of "
                         "its own")

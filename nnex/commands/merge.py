"""``nnex merge``: combine the output folders of ``nnex grade --shard K/N`` into one."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "merge", help="combine the output folders of sharded nnex grade runs",
        description="Combine the output folders written by nnex grade --shard 1/N … N/N "
                    "(scores.csv, grades.csv, gradebook.sqlite, feedback) into OUT, as if the "
                    "class had been graded in one run. Refuses shards that overlap, are "
                    "incomplete, or were graded by different graders or from different "
                    "classes.")
    parser.add_argument("inputs", type=Path, nargs="+", metavar="SHARD_OUT",
                        help="the --out folder of each shard")
    parser.add_argument("--out", type=Path, required=True, metavar="OUT",
                        help="folder for the merged class (created)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out, err) -> int:
    from nnex.commands.grade import output_paths
    from nnex.classgrade.merge import merge_outputs
    from nnex.render.terminal import print_class_table

    from nnex.term.gradesheet import carry_term

    result = merge_outputs(args.inputs, args.out)
    carry_term(args.inputs, args.out)
    print_class_table(out, result.submissions, result.exercise_ids)
    out.print(f"merged shards {', '.join(result.shards)}: {len(result.submissions)} students")
    output_paths(out, result.out)
    return 0

"""How fast ``nnex similarity`` is on a class of 300 students × 6 exercises.

    python benchmarks/bench_similarity.py [--students 300] [--copies 5]

Prints figures and whether every planted pair ranked first; asserts nothing. The class is
``tests/similarity_class.py``'s: the real stubs filled in, a few textbook bodies shared by many
students, bodies of each student's own, planted disguised copies and planted identical wrong
answers in generated results, recorded in a gradebook (which gets the leads too).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnex.similarity import PAIRS_SHOWN  # noqa: E402
from nnex.similarity.gradebook_tables import record_leads  # noqa: E402
from nnex.similarity.outputs import similarity_leads  # noqa: E402
from tests.similarity_class import build_planted_class, record_gradebook  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--copies", type=int, default=5, help="planted copies per exercise")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        planted = build_planted_class(Path(folder), students=args.students, copies=args.copies)
        record_gradebook(planted)
        built = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        findings, files = similarity_leads(planted.submissions, planted.graded)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        pairs = sum(len(p) for p in findings.pairs.values())
        started = time.perf_counter()
        record_leads(files.gradebook, findings, shown=PAIRS_SHOWN)  # once more, timed alone
        recorded = time.perf_counter() - started
        print(f"class: {args.students} students × {len(planted.exercises)} exercises "
              f"(generated in {built:.1f} s)")
        print(f"nnex similarity: {seconds:.1f} s end to end (finding {findings.seconds:.1f} s; "
              f"{cpu:.1f} s of CPU: the rest is waiting for a shared core), "
              f"{pairs} overlapping pairs ranked, page {files.page.stat().st_size // 1024} KiB; "
              f"replacing the gradebook's similarity tables alone {recorded * 1000:.0f} ms")
        for exercise in planted.exercises:
            ranked = [frozenset((p.student_a, p.student_b)) for p in findings.pairs[exercise]]
            copies = planted.copies[exercise]
            clusters = [frozenset(c.students) for c in findings.wrong_answers[exercise].clusters]
            same = planted.same_wrong[exercise]
            print(f"  {exercise}: copies first {set(ranked[:len(copies)]) == copies}, "
                  f"identical wrong answers first {set(clusters[:len(same)]) == same}")


if __name__ == "__main__":
    main()

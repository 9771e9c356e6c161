"""The progress bar of a class being graded, on the instructor's terminal (stderr)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

from nnex.grading.results import INFRASTRUCTURE, SubmissionResult


@dataclass
class ClassProgress:
    """Callbacks for a class grading (``on_start``, ``on_result``, ``warn``) that move the bar."""

    progress: Progress
    task: TaskID
    counts: dict[str, int] = field(default_factory=lambda: {"below": 0, "errors": 0})
    """Students below full marks, and students with a grader error, so far."""

    def start(self, total: int, already: int = 0) -> None:
        """``total`` students to grade, ``already`` of them done (kept from an earlier run)."""
        self.progress.reset(self.task, total=total, completed=already)

    def done(self, result: SubmissionResult) -> None:
        self.counts["below"] += result.score < result.max_score
        self.counts["errors"] += any(e.status == INFRASTRUCTURE for e in result.exercises)
        self.progress.update(self.task, advance=1, **self.counts)

    def warn(self, message: str) -> None:
        """A warning for the instructor, printed above the bar."""
        self.progress.console.print(f"nnex: warning: {message}", style="bold yellow",
                                    markup=False, highlight=False, soft_wrap=True)


@contextmanager
def class_progress(console: Console) -> Iterator[ClassProgress]:
    """A bar on ``console`` (students done / total, ETA, failures so far) while the block runs;
    shown only on a terminal, and gone when the block ends."""
    columns = [TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn(),
               TextColumn("[yellow]{task.fields[below]} below full marks"),
               TextColumn("[red]{task.fields[errors]} grader errors")]
    with Progress(*columns, console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        task = progress.add_task("grading", total=None, below=0, errors=0)
        yield ClassProgress(progress, task)

"""A progress bar for long runs: on stderr only (stdout stays for machine output), with
documents per second and the time left; silent when stderr is not a terminal or under --quiet."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _RateColumn(ProgressColumn):
    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "- docs/s")


@contextmanager
def document_progress(label: str, quiet: bool) -> Iterator[Callable[[int, object], None]]:
    """Yields `advance(n, summary)`, to be called as documents finish; the bar's length is the
    summary's `total`, known once the runner has listed its inputs."""
    console = Console(file=sys.stderr)
    if quiet or not console.is_terminal:
        yield lambda advance, summary: None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), _RateColumn(), TimeElapsedColumn(),
               TextColumn("eta"), TimeRemainingColumn(), TextColumn("{task.fields[failed]} failed"))
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(label, total=None, failed=0)

        def advance(n: int, summary) -> None:
            bar.update(task, total=summary.total, advance=n, failed=summary.failed)

        yield advance

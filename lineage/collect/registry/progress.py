"""A progress bar on stderr while collecting, only where someone watches a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress


def wanted(quiet_format: bool) -> bool:
    """Show progress: not for machine-read formats, not in CI, only on a terminal."""
    return not quiet_format and "CI" not in os.environ and sys.stderr.isatty()


class Tracker:
    """Counts the work of each collection phase; silent without a rich Progress behind it."""

    def __init__(self, progress: Progress | None = None) -> None:
        self._progress = progress

    def phase(self, description: str, total: int) -> Callable[[], None]:
        """Start a phase of `total` items; return the function that marks one done."""
        progress = self._progress
        if progress is None:
            return lambda: None
        task = progress.add_task(description, total=total)
        return lambda: progress.advance(task)


@contextmanager
def tracker(enabled: bool) -> Iterator[Tracker]:
    """A Tracker that draws a transient bar on stderr when `enabled`."""
    if not enabled:
        yield Tracker()
        return
    with Progress(console=Console(stderr=True), transient=True) as progress:
        yield Tracker(progress)

"""Progress on stderr while collecting: a bar at a terminal, periodic one-line counts elsewhere."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress

LINE_EVERY_SECONDS = 10.0


class ProgressStyle(StrEnum):
    """How collection progress is shown: a live bar, periodic lines, or not at all."""

    BAR = "bar"
    LINES = "lines"
    OFF = "off"


def chosen(quiet: bool) -> ProgressStyle:
    """Off with --quiet; a bar for a person at a terminal; lines in CI, logs and pipes."""
    if quiet:
        return ProgressStyle.OFF
    if "CI" not in os.environ and sys.stderr.isatty():
        return ProgressStyle.BAR
    return ProgressStyle.LINES


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


class LineTracker(Tracker):
    """Writes `lineage: <phase>: done/total (rate/s)` every `every` seconds and at the end."""

    def __init__(self, stream: TextIO, every: float) -> None:
        super().__init__()
        self._stream, self._every = stream, every
        self._lock = threading.Lock()

    def phase(self, description: str, total: int) -> Callable[[], None]:
        """Start a phase of `total` items; return the function that marks one done."""
        started = last = time.monotonic()
        done = 0

        def advance() -> None:
            nonlocal done, last
            with self._lock:
                done += 1
                now = time.monotonic()
                if done < total and now - last < self._every:
                    return
                last = now
                rate = done / max(now - started, 1e-3)
                line = f"lineage: {description}: {done}/{total} ({rate:.0f}/s)\n"
                self._stream.write(line)
                self._stream.flush()

        return advance


@contextmanager
def tracker(style: ProgressStyle, every: float = LINE_EVERY_SECONDS) -> Iterator[Tracker]:
    """The Tracker of a style: a transient bar on stderr, lines on stderr, or nothing."""
    if style is ProgressStyle.LINES:
        yield LineTracker(sys.stderr, every)
        return
    if style is ProgressStyle.OFF:
        yield Tracker()
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        yield Tracker(progress)

"""Where a SageMaker SDK pipeline's steps are created in the user's Python code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any

# The SDK's step base class: every step, including those a StepCollection creates, calls it.
STEP_CLASS = ("sagemaker.workflow.steps", "Step")

Origins = dict[str, tuple[str, int]]


@contextmanager
def recorded_step_origins() -> Iterator[Origins]:
    """While active, record for each SDK step created its name -> (file, line) of the first
    caller outside the SDK: the line in the user's code that made it (or the collection)."""
    origins: Origins = {}
    try:
        module = __import__(STEP_CLASS[0], fromlist=[STEP_CLASS[1]])
    except ImportError:
        yield origins
        return
    step = getattr(module, STEP_CLASS[1])
    sdk_root = str(Path(module.__file__ or "").resolve().parents[1])
    original = step.__init__

    def recording(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        name = getattr(self, "name", None)
        caller = _first_outside(sys._getframe(1), sdk_root)
        if isinstance(name, str) and caller is not None:
            origins.setdefault(name, (_shown(caller.f_code.co_filename), caller.f_lineno))

    step.__init__ = recording
    try:
        yield origins
    finally:
        step.__init__ = original


def _shown(filename: str) -> str:
    """`filename` relative to the working directory when it lies below it."""
    path = Path(filename)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return filename


def _first_outside(frame: FrameType | None, sdk_root: str) -> FrameType | None:
    """The innermost frame whose code is neither the SDK's nor this module's."""
    while frame is not None:
        filename = _real(frame.f_code.co_filename)
        if not filename.startswith(sdk_root) and filename != _real(__file__):
            return frame
        frame = frame.f_back
    return None


@cache
def _real(filename: str) -> str:
    """A code file's path with symbolic links resolved (a virtualenv may be a link)."""
    return str(Path(filename).resolve())

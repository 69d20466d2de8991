"""Where a SageMaker SDK pipeline, and each of its steps, is created in the user's Python code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any

# The SDK's step base class (every step, including those a StepCollection creates, calls it),
# and its pipeline class.
STEP_CLASS = ("sagemaker.workflow.steps", "Step")
PIPELINE_CLASS = ("sagemaker.workflow.pipeline", "Pipeline")

Origins = dict[str, tuple[str, int]]


@dataclass
class Recorded:
    """Where the user's code created each SDK step and each pipeline, by name: (file, line)."""

    steps: Origins = field(default_factory=dict)
    pipelines: Origins = field(default_factory=dict)


@contextmanager
def recorded_origins() -> Iterator[Recorded]:
    """While active, record for each SDK step and pipeline created its name -> (file, line) of
    the first caller outside the SDK: the line in the user's code that made it (or the step
    collection that did)."""
    recorded = Recorded()
    try:
        step = _class(STEP_CLASS)
        pipeline = _class(PIPELINE_CLASS)
    except ImportError:
        yield recorded
        return
    sdk_root = str(Path(sys.modules[STEP_CLASS[0]].__file__ or "").resolve().parents[1])
    with (
        _recording(step, recorded.steps, sdk_root),
        _recording(pipeline, recorded.pipelines, sdk_root),
    ):
        yield recorded


def _class(where: tuple[str, str]) -> Any:
    return getattr(__import__(where[0], fromlist=[where[1]]), where[1])


@contextmanager
def _recording(cls: Any, origins: Origins, sdk_root: str) -> Iterator[None]:
    """Record into `origins` where each instance of `cls` is created, while active."""
    original = cls.__init__

    def recording(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        name = getattr(self, "name", None)
        caller = _first_outside(sys._getframe(1), sdk_root)
        if isinstance(name, str) and caller is not None:
            origins.setdefault(name, (_shown(caller.f_code.co_filename), caller.f_lineno))

    cls.__init__ = recording
    try:
        yield
    finally:
        cls.__init__ = original


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

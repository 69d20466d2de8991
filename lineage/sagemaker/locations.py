"""S3 locations as steps write and read them: literals, Joins, parameters, execution variables.

A location is the URI text with every part known only at run time written symbolically:
`s3://bucket/abalone/{Execution.ExecutionId}/train`. Two locations are the same place when
their segments are equal, a template placeholder (`${bucket}`) standing for any one segment.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from lineage.sagemaker.expressions import JOIN, is_expression

# Execution variables whose value differs in every run: a location holding one is per-run.
EXECUTION_SCOPED = frozenset(
    {"ExecutionId", "PipelineExecutionId", "PipelineExecutionArn", "StartDateTime"}
)
_TEMPLATE = re.compile(r"\$\{[^{}]*\}")
# A part known only at run time: a parameter without a default or an execution variable.
_SYMBOL = re.compile(r"(?<!\$)\{[A-Za-z]+\.")
_RUN_SCOPED = re.compile(r"\{Execution\.(" + "|".join(sorted(EXECUTION_SCOPED)) + r")\}")

# The default of a parameter by name, when the definition declares one.
Defaults = Callable[[str], Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Location:
    """An S3 location: its text (symbolic where known only at run time)."""

    text: str

    @property
    def execution_scoped(self) -> bool:
        """Whether the location differs in every execution (it holds an execution id or time)."""
        return _RUN_SCOPED.search(self.text) is not None

    @property
    def resolved(self) -> bool:
        """Whether every part is known before the run (literals, templates, parameter defaults)."""
        return _SYMBOL.search(self.text) is None

    def segments(self) -> tuple[str, ...]:
        """The bucket and key segments, without empty ones (`s3://b/a//c/` gives b, a, c)."""
        return _segments(self.text)

    def fixed(self) -> Location:
        """The location without its per-execution parts: a segment that is one is dropped, one
        that holds one among other text keeps a template placeholder in its place."""
        return _fixed(self.text)

    def anchor(self) -> tuple[str, ...]:
        """The segments before the first one holding a template placeholder."""
        return _anchor(self.text)


class Places(Generic[T]):
    """Values by the S3 location they sit at, to find the ones that may be at, under or around
    a location (as such or once `fixed`) without comparing it with every one."""

    def __init__(self, entries: list[tuple[Location, T]]) -> None:
        self.entries = entries
        self._at: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._under: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for position, (location, _) in enumerate(entries):
            for anchor in {location.anchor(), location.fixed().anchor()}:
                self._at[anchor].append(position)
                for size in range(len(anchor) + 1):
                    self._under[anchor[:size]].append(position)

    def near(self, location: Location) -> list[tuple[Location, T]]:
        """The entries, in their order, whose anchors (as such or fixed) agree with one of
        `location` over their common length: every entry `at_or_under` relates to it either
        way is among them, since segments without placeholders must be equal there."""
        found: set[int] = set()
        for anchor in {location.anchor(), location.fixed().anchor()}:
            for size in range(len(anchor) + 1):
                found.update(self._at.get(anchor[:size], ()))
            found.update(self._under.get(anchor, ()))
        return [self.entries[position] for position in sorted(found)]


def location_of(value: Any, defaults: Defaults) -> Location | None:
    """The S3 location a value names: a literal URI, the URI default of the parameter it reads,
    or a `Std:Join` of literals, parameters and execution variables; None for anything else
    (step properties are followed as references, not as locations)."""
    text = _text(value, defaults, top=True)
    if text is None or not text.startswith("s3://"):
        return None
    return Location(text)


def _text(value: Any, defaults: Defaults, top: bool = False) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return None if top else str(value)
    if not is_expression(value):
        return None
    if JOIN in value:
        return _join(value[JOIN], defaults)
    expression = value.get("Get")
    if not isinstance(expression, str):
        return None
    root, _, name = expression.partition(".")
    if root == "Parameters":
        default = defaults(name)
        if isinstance(default, str | int | float) and not isinstance(default, bool):
            return str(default)
        return None if top else f"{{{expression}}}"
    if root == "Execution" and not top:
        return f"{{{expression}}}"
    return None


def _join(join: Any, defaults: Defaults) -> str | None:
    if not isinstance(join, Mapping) or not isinstance(join.get("Values"), list):
        return None
    separator = join.get("On", "")
    parts = [_text(v, defaults) for v in join["Values"]]
    if not isinstance(separator, str) or any(p is None for p in parts):
        return None
    return separator.join(p for p in parts if p is not None)


def at_or_under(reader: Location, writer: Location) -> bool:
    """Whether `reader` names the place `writer` writes, or something inside it."""
    read, written = reader.segments(), writer.segments()
    if len(read) < len(written):
        return False
    for a, b in zip(read, written, strict=False):
        if a != b and not _same_segment(a, b):
            return False
    return True


def _same_segment(a: str, b: str) -> bool:
    if a == b:
        return True
    if "${" not in a and "${" not in b:  # no placeholder: only equal text is the same
        return False
    return _pattern(a).fullmatch(b) is not None or _pattern(b).fullmatch(a) is not None


@cache
def _fixed(text: str) -> Location:
    kept = [
        _RUN_SCOPED.sub("${run}", segment)
        for segment in _segments(text)
        if _RUN_SCOPED.fullmatch(segment) is None
    ]
    return Location("s3://" + "/".join(kept))


@cache
def _anchor(text: str) -> tuple[str, ...]:
    segments = _segments(text)
    cut = next((i for i, segment in enumerate(segments) if "${" in segment), len(segments))
    return segments[:cut]


@cache
def _segments(text: str) -> tuple[str, ...]:
    return tuple(s for s in text.removeprefix("s3://").split("/") if s)


@cache
def _pattern(segment: str) -> re.Pattern[str]:
    """A segment as a pattern in which each template placeholder stands for any text."""
    parts = _TEMPLATE.split(segment)
    return re.compile("[^/]*".join(re.escape(p) for p in parts))

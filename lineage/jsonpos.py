"""Line numbers of JSON values: map each JSON pointer of a document to the line it starts on."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]

from lineage.pointer import child

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?\d[\d.eE+-]*|true|false|null|NaN|-?Infinity")


class LineIndex:
    """Pointer → 1-based line of a JSON text, computed once on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offsets: dict[str, int] | None = None
        self._newlines: list[int] = []

    def line(self, pointer: str) -> int | None:
        """The line where the value at `pointer` starts, or its nearest ancestor's."""
        if self._offsets is None:
            self._offsets = _value_offsets(self._text)
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        ptr = pointer
        while ptr not in self._offsets:
            if not ptr:
                return None
            ptr = ptr.rsplit("/", 1)[0]
        return bisect.bisect_left(self._newlines, self._offsets[ptr]) + 1


@dataclass
class _Frame:
    pointer: str
    is_object: bool
    next_index: int = 0


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _string_end(text: str, pos: int) -> tuple[str, int]:
    value, end = scanstring(text, pos + 1)
    return str(value), int(end)


def _value_offsets(text: str) -> dict[str, int]:
    """Offsets of every value in a valid JSON text, keyed by JSON pointer."""
    offsets: dict[str, int] = {}
    stack: list[_Frame] = []
    pos = _skip_ws(text, 0)
    while pos < len(text):
        ch = text[pos]
        if ch in "]}":
            stack.pop()
            pos += 1
        elif ch == ",":
            pos += 1
        elif stack and stack[-1].is_object and ch == '"':
            key, pos = _string_end(text, pos)
            pos = _skip_ws(text, _skip_ws(text, pos) + 1)  # past ':'
            pos = _value(text, pos, child(stack[-1].pointer, key), offsets, stack)
        else:
            pointer = ""
            if stack:
                frame = stack[-1]
                pointer = child(frame.pointer, frame.next_index)
                frame.next_index += 1
            pos = _value(text, pos, pointer, offsets, stack)
        pos = _skip_ws(text, pos)
    return offsets


def _value(text: str, pos: int, pointer: str, offsets: dict[str, int], stack: list[_Frame]) -> int:
    offsets[pointer] = pos
    ch = text[pos]
    if ch in "{[":
        stack.append(_Frame(pointer, ch == "{"))
        return pos + 1
    if ch == '"':
        return _string_end(text, pos)[1]
    match = _SCALAR.match(text, pos)
    return match.end() if match else pos + 1

"""Line numbers of JSON values: the line a JSON pointer's value starts on in a document's text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.decoder import scanstring  # type: ignore[attr-defined]

from lineage.jsondoc.pointer import escape

_WS = re.compile(r"[ \t\n\r]*")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_COMMA = re.compile(r"[ \t\n\r]*,?[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class LineIndex:
    """Pointer → 1-based line of a valid JSON text, indexing only the containers on the paths
    looked up (and their members): most of a document is decoded in C, never walked in Python.
    Given `reread` (the same text again, or None when it changed), `close` drops the text and
    the index, and the next look-up reads the text again."""

    def __init__(self, text: str, reread: Callable[[], str | None] | None = None) -> None:
        self._text: str | None = text
        self._reread = reread
        self._members: dict[str, dict[str, int]] = {}

    @property
    def text(self) -> str | None:
        """The JSON text (read again when it is not kept; None when it changed since)."""
        if self._text is None and self._reread is not None:
            self._text = self._reread()
        return self._text

    def close(self) -> None:
        """Drop the text and the index when the text can be read again."""
        if self._reread is not None:
            self._text = None
            self._members = {}

    def line(self, pointer: str) -> int | None:
        """The line where the value at `pointer` starts, or its nearest ancestor's."""
        text = self.text
        if text is None:
            return None
        offset = _past(_WS, text, 0)
        if offset >= len(text):
            return None
        path = ""
        for token in pointer.split("/")[1:]:
            if text[offset] not in "{[":
                break
            if path not in self._members:
                self._index(text, path, offset, depth=1)
            members = self._members[path]
            if token not in members:
                break
            offset, path = members[token], f"{path}/{token}"
        return text.count("\n", 0, offset) + 1

    def _index(self, text: str, path: str, pos: int, depth: int) -> int:
        """Record the container's member offsets by escaped token (`depth` levels down too; a
        repeated key's last, as `json.loads` keeps it); return the offset after the container."""
        opening = text[pos]
        members: dict[str, int] = {}
        self._members[path] = members
        pos = _past(_WS, text, pos + 1)
        while text[pos] not in "}]":
            if opening == "{":
                key, pos = scanstring(text, pos + 1)
                token = escape(key)
                pos = _past(_COLON, text, pos)
            else:
                token = str(len(members))
            members[token] = pos
            if depth and text[pos] in "{[":
                end = self._index(text, f"{path}/{token}", pos, depth - 1)
            else:
                end = _DECODER.raw_decode(text, pos)[1]
            pos = _past(_COMMA, text, end)
        return pos + 1


def _past(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """The offset after `pattern` matched at `pos` (which it always does in valid JSON)."""
    match = pattern.match(text, pos)
    assert match is not None
    return match.end()

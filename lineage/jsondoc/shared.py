"""One object for equal JSON values: definitions repeat the same objects, lists and strings (in
one document and across a scan's documents), and a reader that shares them keeps each once."""

from __future__ import annotations

import json
from typing import Any

# Compared by value when sharing; floats are compared by identity (0.0 == -0.0), so never shared.
_BY_VALUE = frozenset({str, int, bool, type(None)})
_LIST = object()  # first item of a list's key: no object's key starts with it


class SharedValues:
    """A JSON reader whose documents share every object, list and string equal to one read
    before (in this document or an earlier one): the documents must never be changed in place."""

    def __init__(self) -> None:
        self._seen: dict[Any, Any] = {}  # a string, or the key of an object or list -> the value

    def loads(self, text: str, repeated: list[str]) -> Any:
        """`json.loads(text)`; keys repeated in one object are added to `repeated`."""
        return json.loads(text, object_pairs_hook=lambda pairs: self._object(pairs, repeated))

    def _object(self, pairs: list[tuple[str, Any]], repeated: list[str]) -> dict[str, Any]:
        seen = self._seen
        members = [(seen.setdefault(name, name), self._value(value)) for name, value in pairs]
        token = tuple((name, type(value), _identity(value)) for name, value in members)
        found: dict[str, Any] | None = seen.get(token)
        if found is None:
            found = seen[token] = dict(members)
        if len(found) < len(pairs):
            names = [name for name, _ in pairs]
            repeated.extend(name for name in found if names.count(name) > 1)
        return found

    def _value(self, value: Any) -> Any:
        """The shared string or list equal to `value` (an object is shared already)."""
        kind = type(value)
        if kind is str:
            return self._seen.setdefault(value, value)
        if kind is list:
            items = [self._value(item) for item in value]
            token = (_LIST, *[(type(item), _identity(item)) for item in items])
            return self._seen.setdefault(token, items)
        return value


def _identity(value: Any) -> Any:
    """What tells a shared value apart: its value, or for an object, list or float its id."""
    return value if type(value) in _BY_VALUE else id(value)

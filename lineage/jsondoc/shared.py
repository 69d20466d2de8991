"""One object for equal JSON values: definitions repeat the same objects, lists and strings (in
one document and across a scan's documents), and a reader that shares them keeps each once."""

from __future__ import annotations

import json
from typing import Any

_LIST = object()  # first item of a list's key: an object's key starts with a member name


class SharedValues:
    """A JSON reader whose documents share every object, list and string equal to one read
    before (in this document or an earlier one): the documents must never be changed in place."""

    def __init__(self) -> None:
        self._seen: dict[Any, Any] = {}  # a string, or the key of an object or list -> the value
        self._repeated: list[str] = []  # where the document being read lists repeated keys

    def loads(self, text: str, repeated: list[str]) -> Any:
        """`json.loads(text)`; keys repeated in one object are added to `repeated`."""
        self._repeated = repeated
        return json.loads(text, object_pairs_hook=self._object)

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """The shared object of these members (its objects are shared already: objects are
        read inside out). Its key is each member's name, type and identity, in order."""
        seen = self._seen
        setdefault = seen.setdefault
        parts: list[Any] = []
        members = []
        for read_name, read in pairs:  # inlined `_share` for the usual members: the hot path
            name = setdefault(read_name, read_name)
            kind = type(read)
            if kind is str:
                value = identity = setdefault(read, read)
            elif kind is list:
                value, identity = self._share(read)
            elif kind is dict or kind is float:  # 0.0 == -0.0: floats are told apart by id
                value, identity = read, id(read)
            else:
                value = identity = read
            members.append((name, value))
            parts += (name, kind, identity)
        key = tuple(parts)
        found: dict[str, Any] | None = seen.get(key)
        if found is None:
            found = seen[key] = dict(members)
        if len(found) < len(pairs):
            names = [name for name, _ in pairs]
            self._repeated.extend(name for name in found if names.count(name) > 1)
        return found

    def _share(self, value: Any) -> tuple[Any, Any]:
        """The shared value equal to `value` and what tells it apart: a string is its own
        identity; a list, an object or a float is told apart by its id."""
        kind = type(value)
        if kind is str:
            shared = self._seen.setdefault(value, value)
            return shared, shared
        if kind is list:
            items = [self._share(item) for item in value]
            key = (_LIST, *[(type(item), identity) for item, identity in items])
            shared = self._seen.setdefault(key, [item for item, _ in items])
            return shared, id(shared)
        return value, (id(value) if kind is dict or kind is float else value)

"""Results of pure walks over JSON values, computed once per value object and pointer."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class SubtreeMemo:
    """Remembers `walk(value, pointer, *extra)` by the identity of `value`: the scan's reader
    shares equal subtrees between documents, and documents are never changed in place."""

    def __init__(self) -> None:
        # The value is kept with its result, so its id cannot be reused while the memo lives.
        self._results: dict[tuple[Hashable, ...], tuple[Any, Any]] = {}

    def __call__(self, walk: Callable[..., T], value: Any, pointer: str, *extra: Hashable) -> T:
        """`walk(value, pointer, *extra)`, computed once for the same value object."""
        key = (walk, id(value), pointer, *extra)
        found = self._results.get(key)
        if found is None:
            found = self._results[key] = (value, walk(value, pointer, *extra))
        result: T = found[1]
        return result

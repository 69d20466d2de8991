"""Where two JSON values differ, as JSON pointers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lineage.jsondoc.pointer import child

# Branch members of a Condition step: compared as steps of their own, not as its arguments.
BRANCHES = ("IfSteps", "ElseSteps")


def changed_pointers(old: Any, new: Any, at: str = "") -> Iterator[str]:
    """The pointers under `at` whose values differ: the deepest member that changed, or a whole
    list whose length changed."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if old.get(key, _ABSENT) != new.get(key, _ABSENT):
                yield from changed_pointers(old.get(key), new.get(key), child(at, key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from changed_pointers(before, after, child(at, index))
    elif old != new:
        yield at


def comparable_step(raw: Any) -> Any:
    """A step's JSON with its branches' steps reduced to their names (they are compared alone)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("Arguments"), dict):
        return raw
    arguments = dict(raw["Arguments"])
    for branch in BRANCHES:
        members = arguments.get(branch)
        if isinstance(members, list):
            arguments[branch] = [m.get("Name") if isinstance(m, dict) else m for m in members]
    return {**raw, "Arguments": arguments}


_ABSENT = object()

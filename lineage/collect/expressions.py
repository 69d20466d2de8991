"""Find the expressions (`Get`, `Std:Join`, `Std:JsonGet`) inside a definition's JSON values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lineage.pointer import child

JSON_GET = "Std:JsonGet"
JOIN = "Std:Join"


@dataclass(frozen=True)
class GetExpression:
    """One `{"Get": "…"}`; `json_path` is set when it names a `Std:JsonGet` property file."""

    expression: str
    pointer: str
    json_path: str | None = None


def is_expression(value: Any) -> bool:
    """Whether a JSON value is a pipeline expression rather than a literal."""
    return (
        isinstance(value, dict)
        and len(value) == 1
        and ("Get" in value or next(iter(value)).startswith("Std:"))
    )


def find_gets(
    value: Any, pointer: str, skip: frozenset[str] = frozenset()
) -> Iterator[GetExpression]:
    """Every `Get` below `value` in document order; keys in `skip` are not entered."""
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        current, ptr = stack.pop()
        if isinstance(current, dict):
            get = current.get("Get")
            if len(current) == 1 and isinstance(get, str):
                yield GetExpression(get, ptr)
                continue
            json_get = current.get(JSON_GET)
            if len(current) == 1 and isinstance(json_get, dict):
                yield from _json_get(json_get, child(ptr, JSON_GET))
                continue
            stack.extend((v, child(ptr, k)) for k, v in reversed(current.items()) if k not in skip)
        elif isinstance(current, list):
            stack.extend((v, child(ptr, i)) for i, v in reversed(list(enumerate(current))))


def _json_get(body: dict[str, Any], ptr: str) -> Iterator[GetExpression]:
    path = body.get("Path")
    json_path = path if isinstance(path, str) else None
    prop_file = body.get("PropertyFile")
    if isinstance(prop_file, dict) and isinstance(prop_file.get("Get"), str):
        yield GetExpression(prop_file["Get"], child(ptr, "PropertyFile"), json_path)
    for key, value in body.items():
        if key != "PropertyFile":
            yield from find_gets(value, child(ptr, key))

"""Find the expressions (`Get`, `Std:Join`, `Std:JsonGet`) inside a definition's JSON values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lineage.jsondoc.pointer import child

JSON_GET = "Std:JsonGet"
JOIN = "Std:Join"
NESTED = (dict, list)  # the JSON values that can hold expressions


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
) -> tuple[GetExpression, ...]:
    """Every `Get` below `value` in document order; keys in `skip` are not entered."""
    found: list[GetExpression] = []
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        current, ptr = stack.pop()
        if isinstance(current, dict):
            if len(current) == 1:
                get = current.get("Get")
                if isinstance(get, str):
                    found.append(GetExpression(get, ptr))
                    continue
                json_get = current.get(JSON_GET)
                if isinstance(json_get, dict):
                    found.extend(_json_get(json_get, child(ptr, JSON_GET)))
                    continue
            # Only objects and lists can hold a `Get`: scalars are never stacked.
            nested = [
                (v, child(ptr, k))
                for k, v in current.items()
                if isinstance(v, NESTED) and k not in skip
            ]
        elif isinstance(current, list):
            nested = [(v, f"{ptr}/{i}") for i, v in enumerate(current) if isinstance(v, NESTED)]
        else:
            continue
        nested.reverse()
        stack.extend(nested)
    return tuple(found)


def _json_get(body: dict[str, Any], ptr: str) -> Iterator[GetExpression]:
    path = body.get("Path")
    json_path = path if isinstance(path, str) else None
    prop_file = body.get("PropertyFile")
    if isinstance(prop_file, dict) and isinstance(prop_file.get("Get"), str):
        yield GetExpression(prop_file["Get"], child(ptr, "PropertyFile"), json_path)
    for key, value in body.items():
        if key != "PropertyFile":
            yield from find_gets(value, child(ptr, key))

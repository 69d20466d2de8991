"""Realistic defects: a clean base definition, a small JSON patch, and the finding it must raise.

Each file in `tests/fixtures/defects/` is one defect:

```json
{
  "base": "tests/fixtures/sdk/abalone.json",
  "summary": "what the user got wrong, in one line",
  "patch": [{"op": "replace", "path": "/Steps/0/Arguments/RoleArn", "value": "…"}],
  "expect": {"code": "L101", "pointer": "/Steps/0/Arguments"}
}
```

`base` is relative to the repository root; `patch` is RFC 6902 (`add`, `remove`, `replace`,
`move`, `copy`); `expect` names the one warning-or-error finding the defect must add.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.paths import REPO

DEFECTS = REPO / "tests" / "fixtures" / "defects"


@dataclass(frozen=True)
class Defect:
    """One defect fixture: its name, base, patched document and expected finding."""

    name: str
    base: Path
    summary: str
    document: dict[str, Any]
    code: str
    pointer: str


def _tokens(pointer: str) -> list[str]:
    """The unescaped reference tokens of a JSON pointer."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _parent(document: Any, pointer: str) -> tuple[Any, str]:
    """The container a pointer's last token addresses, and that token."""
    *path, last = _tokens(pointer)
    node = document
    for token in path:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node, last


def _get(document: Any, pointer: str) -> Any:
    """The value at a pointer."""
    node = document
    for token in _tokens(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _remove(document: Any, pointer: str) -> Any:
    """Remove and return the value at a pointer."""
    container, token = _parent(document, pointer)
    if isinstance(container, list):
        return container.pop(int(token))
    return container.pop(token)


def _add(document: Any, pointer: str, value: Any) -> None:
    """Add (insert into a list, set in an object) a value at a pointer."""
    container, token = _parent(document, pointer)
    if isinstance(container, list):
        container.insert(len(container) if token == "-" else int(token), value)
    else:
        container[token] = value


def apply_patch(document: Any, patch: list[dict[str, Any]]) -> Any:
    """A copy of `document` with an RFC 6902 patch applied."""
    result = copy.deepcopy(document)
    for op in patch:
        match op["op"]:
            case "add":
                _add(result, op["path"], copy.deepcopy(op["value"]))
            case "remove":
                _remove(result, op["path"])
            case "replace":
                container, token = _parent(result, op["path"])
                key: Any = int(token) if isinstance(container, list) else token
                if not isinstance(container, list) and token not in container:
                    raise KeyError(f"replace: nothing at {op['path']}")
                container[key] = copy.deepcopy(op["value"])
            case "move":
                _add(result, op["path"], _remove(result, op["from"]))
            case "copy":
                _add(result, op["path"], copy.deepcopy(_get(result, op["from"])))
            case other:
                raise ValueError(f"unsupported patch op {other!r}")
    return result


def load_defect(path: Path) -> Defect:
    """Read one defect fixture and apply its patch to its base."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    base = REPO / spec["base"]
    document = apply_patch(json.loads(base.read_text(encoding="utf-8")), spec["patch"])
    return Defect(
        name=path.stem,
        base=base,
        summary=spec["summary"],
        document=document,
        code=spec["expect"]["code"],
        pointer=spec["expect"]["pointer"],
    )


def all_defects() -> list[Defect]:
    """Every defect fixture, by name."""
    return [load_defect(p) for p in sorted(DEFECTS.glob("*.json"))]

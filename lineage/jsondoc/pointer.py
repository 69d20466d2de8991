"""JSON pointers (RFC 6901): building and splitting them."""

from __future__ import annotations

import sys


def escape(token: str | int) -> str:
    """One reference token, escaped."""
    text = str(token)
    if "~" not in text and "/" not in text:
        return text
    return text.replace("~", "~0").replace("/", "~1")


def child(pointer: str, token: str | int) -> str:
    """The pointer to member or index `token` of the value at `pointer` (interned: a scan keeps
    the same pointers in many pipelines' nodes)."""
    return sys.intern(f"{pointer}/{escape(token)}")


def within(pointer: str, prefix: str) -> bool:
    """Whether `pointer` is `prefix` or points inside the value at `prefix`."""
    return pointer == prefix or pointer.startswith(f"{prefix}/")


def split(pointer: str) -> list[str]:
    """The unescaped reference tokens of a pointer."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


# Keys that name an element of a list: steps, parameters, inputs, outputs, channels, files.
NAME_KEYS = ("Name", "InputName", "OutputName", "ChannelName", "PropertyFileName")


def named(document: object, pointer: str) -> str:
    """`pointer` with each list index replaced by `[name]` of the element it selects, where that
    element names itself: `/Steps/[Train]/Arguments` stays put when steps are reordered."""
    node = document
    tokens = []
    for token in split(pointer):
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
            label = _name_of(node)
            tokens.append(token if label is None else f"[{label}]")
        else:
            node = node.get(token) if isinstance(node, dict) else None
            tokens.append(token)
    return "".join(f"/{escape(t)}" for t in tokens)


def _name_of(element: object) -> str | None:
    if not isinstance(element, dict):
        return None
    return next((v for k in NAME_KEYS if isinstance(v := element.get(k), str)), None)

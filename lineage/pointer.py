"""JSON pointers (RFC 6901): building and splitting them."""

from __future__ import annotations


def escape(token: str | int) -> str:
    """One reference token, escaped."""
    text = str(token)
    if "~" not in text and "/" not in text:
        return text
    return text.replace("~", "~0").replace("/", "~1")


def child(pointer: str, token: str | int) -> str:
    """The pointer to member or index `token` of the value at `pointer`."""
    return f"{pointer}/{escape(token)}"


def split(pointer: str) -> list[str]:
    """The unescaped reference tokens of a pointer."""
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]

"""Tokenizer for SageMaker property paths such as `Steps.A.Outputs['x'].S3Output.S3Uri`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_NAME_END = re.compile(r"[.\[\]]")


@dataclass(frozen=True)
class Attr:
    """A dotted member name: `.S3Output`."""

    name: str

    def __str__(self) -> str:
        return f".{self.name}"


@dataclass(frozen=True)
class Index:
    """A list index: `[0]`."""

    index: int

    def __str__(self) -> str:
        return f"[{self.index}]"


@dataclass(frozen=True)
class MapKey:
    """A quoted map key or output name: `['train']` or `["train"]`."""

    key: str

    def __str__(self) -> str:
        return f"[{self.key!r}]"


Token = Attr | Index | MapKey


class PathSyntaxError(ValueError):
    """A property path that does not tokenize; `position` is the 0-based offending offset."""

    def __init__(self, path: str, position: int, reason: str) -> None:
        super().__init__(f"{reason} at offset {position} of {path!r}")
        self.path = path
        self.position = position
        self.reason = reason


def tokenize(path: str) -> list[Token]:
    """Split a property path into member names, list indexes and map keys."""
    return list(_tokens(path))


@lru_cache(maxsize=1 << 14)  # the same expressions recur in the steps and pipelines of a scan
def _tokens(path: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    i, n = 0, len(path)
    expect_name = True
    while i < n:
        ch = path[i]
        if ch == "[":
            token, i = _bracket(path, i)
            tokens.append(token)
            expect_name = False
        elif ch == ".":
            if expect_name:
                raise PathSyntaxError(path, i, "empty member name")
            expect_name = True
            i += 1
        else:
            if not expect_name:
                raise PathSyntaxError(path, i, "expected '.' or '['")
            start = i
            end = _NAME_END.search(path, i)
            i = end.start() if end else n
            if path[start:i].strip() != path[start:i]:
                raise PathSyntaxError(path, start, "whitespace in member name")
            tokens.append(Attr(path[start:i]))
            expect_name = False
    if expect_name:
        raise PathSyntaxError(path, n, "path ends without a member name")
    return tuple(tokens)


def _bracket(path: str, start: int) -> tuple[Token, int]:
    end = path.find("]", start)
    quote = path[start + 1 : start + 2]
    if quote in ("'", '"'):
        close = path.find(quote + "]", start + 2)
        if close == -1:
            raise PathSyntaxError(path, start, "unterminated quoted key")
        return MapKey(path[start + 2 : close]), close + 2
    if end == -1:
        raise PathSyntaxError(path, start, "unterminated '['")
    inner = path[start + 1 : end]
    if not inner.isdigit():
        raise PathSyntaxError(path, start + 1, "index must be a number or a quoted key")
    return Index(int(inner)), end + 1


def render(tokens: list[Token]) -> str:
    """The canonical text of a token list (inverse of `tokenize`, with single quotes)."""
    return "".join(str(t) for t in tokens).removeprefix(".")

"""Errors about the user's input: each names the source and, where known, the place in it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputError:
    """A source that could not be read as a pipeline definition."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer:
            where += f" (at {self.pointer})"
        return f"{where}: {self.message}"


class SourceError(Exception):
    """Raised by loaders; carries the `InputError` to report."""

    def __init__(self, error: InputError) -> None:
        super().__init__(str(error))
        self.error = error

"""Plain-Python coercion of the CLI's common parameter values, so a command starts without pydantic.

Typer (0.29+) coerces parameter values, defaults included, through pydantic TypeAdapters, and
importing pydantic costs about a quarter of `lineage scan FILE`. For a str, bool, number, Path or
Enum (or a list of one) this returns what typer's adapter returns, with typer's own path and
choice checks; any other value, and every invalid one, goes to typer's coercion, so results and
error messages stay typer's. With a typer that has no such coercion, `install` leaves it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

try:
    from typer import _param_types, core
except ImportError:  # a typer that coerces without pydantic: nothing to replace
    core = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from typer._click import Context
    from typer._coercion import RuntimeParam, TypeDescriptor
    from typer.core import _TyperParameter

PLAIN_TYPES = (str, bool, int, float, Path)


class _NotPlainError(Exception):
    """The value needs typer's own coercion."""


def install() -> None:
    """From now on coerce plain values in plain Python; typer keeps every other case."""
    if core is None or not hasattr(core, "build_runtime_param"):
        return
    typer_build: Callable[[TypeDescriptor], RuntimeParam] = core.build_runtime_param

    def build(descriptor: TypeDescriptor) -> RuntimeParam:
        if not _is_plain(descriptor):
            return typer_build(descriptor)
        return cast("RuntimeParam", PlainParam(descriptor, typer_build))  # typer calls `coerce`

    core.build_runtime_param = build


def _is_plain(descriptor: TypeDescriptor) -> bool:
    """Whether the parameter takes a str, bool, number, Path or Enum (or a list of one)."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None or info.clamp:
        return False
    item = _item_type(descriptor.annotation)
    if item is Path:
        return info.path_type is None and not info.allow_dash
    return item in PLAIN_TYPES or (isinstance(item, type) and issubclass(item, Enum))


def _item_type(annotation: Any) -> Any:
    """The type of a list's items, or the annotation itself."""
    if getattr(annotation, "__origin__", None) is list:
        return annotation.__args__[0]
    return annotation


@dataclass(frozen=True)
class PlainParam:
    """One parameter's coercion in plain Python, falling back to typer's for anything unusual."""

    descriptor: TypeDescriptor
    typer_build: Callable[[TypeDescriptor], RuntimeParam]

    def coerce(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        """What typer's coercion returns for `value` (None: nothing given, as typer has it)."""
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        try:
            return self._coerce(value, param, ctx)
        except _NotPlainError:
            return self.typer_build(self.descriptor).coerce(value, param=param, ctx=ctx)

    def _coerce(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        annotation = self.descriptor.annotation
        item = _item_type(annotation)
        if item is annotation:
            return self._coerce_one(item, value, param, ctx)
        if not isinstance(value, list | tuple):
            raise _NotPlainError
        return [self._coerce_one(item, one, param, ctx) for one in value]

    def _coerce_one(self, kind: Any, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        info = self.descriptor.parameter_info
        if (kind is str and isinstance(value, str)) or (kind is bool and isinstance(value, bool)):
            return value
        if kind in (int, float):
            return _plain_number(kind, value, info.min, info.max)
        if kind is Path and isinstance(value, str | Path):
            checked = _param_types.coerce_cli_path(
                value, info, path_type=None, param=param, ctx=ctx
            )
            return Path(cast("str | Path", checked))
        if isinstance(kind, type) and issubclass(kind, Enum):
            choices = list(kind)
            try:
                return _param_types.coerce_cli_choice(
                    value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
                )
            except ValueError:
                raise _NotPlainError from None
        raise _NotPlainError


def _plain_number(kind: type, value: Any, low: float | None, high: float | None) -> Any:
    """A number of its type within the bounds (an int also as ASCII digits); else not plain."""
    if kind is int and isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    number: float = value
    if type(number) is not kind:
        raise _NotPlainError
    if (low is not None and number < low) or (high is not None and number > high):
        raise _NotPlainError
    return number

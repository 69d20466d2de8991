"""Plain-Python coercion gives, for every parameter of every command, what typer's own (pydantic)
coercion gives: the same value of the same type, or the same error message."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer import _coercion
from typer._click import Context

from lineage.cli.main import app
from lineage.cli.plain_values import PlainParam, _is_plain, _item_type
from tests.support.paths import EXAMPLE, REPO


def _parameters() -> Iterator[tuple[str, Any, Any]]:
    def walk(command: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
        for param in command.params:
            if hasattr(param, "type_descriptor"):
                yield f"{path} {param.name}", command, param
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, f"{path} {name}".strip())

    return walk(typer.main.get_command(app), "")


def _samples(item: Any) -> list[Any]:
    """Values a user, an environment variable or a default may give a parameter of this type."""
    if isinstance(item, type) and issubclass(item, Enum):
        values = [m.value for m in item]
        return [*values, *list(item), values[0].upper(), "bogus", ""]
    by_type: dict[Any, list[Any]] = {
        str: ["x", "", " spaced ", "-"],
        bool: [True, False, "true", "0"],
        int: [5, 0, 65536, 10_000, "5", "0", "007", " 5", "+5", "1_000", "abc", "", True],
        float: [2.5, 0.05, 2, "2.5", "abc", ""],
        Path: [str(EXAMPLE), str(REPO), "no/such/file", "", "-", EXAMPLE, REPO],
    }
    return by_type[item]


def _outcome(runtime: Any, value: Any, param: Any, ctx: Context) -> tuple[str, Any]:
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:
        return "error", (type(exc).__name__, str(getattr(exc, "message", exc)))
    return "value", (type(result), result)


PARAMETERS = list(_parameters())


@pytest.mark.parametrize(("where", "command", "param"), PARAMETERS, ids=[p[0] for p in PARAMETERS])
def test_every_parameter_coerces_as_typer_does(where: str, command: Any, param: Any) -> None:
    descriptor = param.type_descriptor
    assert _is_plain(descriptor), f"{where}: {descriptor.annotation} goes to pydantic at start-up"
    plain = PlainParam(descriptor, _coercion.build_runtime_param)
    typer_own = _coercion.build_runtime_param(descriptor)
    item = _item_type(descriptor.annotation)
    values = _samples(item)
    if item is not descriptor.annotation:  # a list: click hands over a tuple
        values = [(), *((v,) for v in values), tuple(values[:2]), "not-a-tuple"]
    ctx = Context(command)
    for value in [None, *values]:
        assert _outcome(plain, value, param, ctx) == _outcome(typer_own, value, param, ctx), (
            f"{where} = {value!r}"
        )

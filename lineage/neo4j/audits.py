"""Saved audit queries (cypher/audits/<name>.cypher): read their headers, bind parameters."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lineage.jsondoc.names import close_matches
from lineage.neo4j.cypher_files import CYPHER_DIR, read, statements

AUDIT_DIR = CYPHER_DIR / "audits"
# The header lines every audit file carries, after its title line.
HEADER_FIELDS = ("// Question:", "// Parameters:", "// Returns:")
# `//   $name (type, required): help` or `//   $name (type, default <JSON>): help`.
PARAMETER_LINE = re.compile(
    r"^//\s+\$(?P<name>\w+) \((?P<type>[a-z ]+), "
    r"(?:(?P<required>required)|default (?P<default>[^)]+))\): (?P<help>.+)$"
)
# The parameter types a header may declare, and which values each accepts.
TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "list of string": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}
Rows = list[list[Any]]


class AuditError(Exception):
    """An audit that does not exist or cannot be read, or parameters it cannot run with."""


@dataclass(frozen=True)
class AuditParameter:
    """A parameter an audit declares in its header."""

    name: str
    type: str
    required: bool
    default: Any
    help: str

    def describe(self) -> str:
        """`$name (type, required)` or `$name (type, default …)`."""
        need = "required" if self.required else f"default {json.dumps(self.default)}"
        return f"${self.name} ({self.type}, {need})"


@dataclass(frozen=True)
class Audit:
    """One saved audit: its name, the header's title, parameters and columns, and the query."""

    name: str
    title: str
    parameters: tuple[AuditParameter, ...]
    columns: tuple[str, ...]
    query: str


def audit_names() -> list[str]:
    """The names of the shipped audits, sorted."""
    return sorted(path.stem for path in AUDIT_DIR.glob("*.cypher"))


def load_audit(name: str) -> Audit:
    """The audit called `name` (AuditError naming close matches when there is none)."""
    names = audit_names()
    if name not in names:
        hint = close_matches(name, names, n=3)
        raise AuditError(
            f"no audit {name!r}"
            + (f"; did you mean {', '.join(hint)}?" if hint else "")
            + " (`lineage audit` lists them all)"
        )
    return parse_audit(name, read(f"audits/{name}.cypher"))


def list_audits() -> list[Audit]:
    """Every shipped audit, by name."""
    return [load_audit(name) for name in audit_names()]


def parse_audit(name: str, text: str) -> Audit:
    """An audit from its file's text: title, parameters and columns from the header comment."""
    lines = text.splitlines()
    for field in HEADER_FIELDS:
        if not any(line.startswith(field) for line in lines):
            raise AuditError(f"audit {name!r}: its header has no {field.removeprefix('// ')!r}")
    found = statements(text)
    if len(found) != 1:
        raise AuditError(f"audit {name!r}: expected one Cypher statement, found {len(found)}")
    returns = next(line for line in lines if line.startswith("// Returns:"))
    columns = tuple(c.strip() for c in returns.removeprefix("// Returns:").split(","))
    return Audit(
        name=name,
        title=lines[0].removeprefix("//").strip(),
        parameters=tuple(
            _parameter(name, m) for line in lines if (m := PARAMETER_LINE.match(line))
        ),
        columns=columns,
        query=found[0],
    )


def _parameter(audit: str, match: re.Match[str]) -> AuditParameter:
    kind = match["type"]
    if kind not in TYPE_CHECKS:
        raise AuditError(f"audit {audit!r}: parameter ${match['name']} has unknown type {kind!r}")
    return AuditParameter(
        name=match["name"],
        type=kind,
        required=match["required"] is not None,
        default=None if match["required"] else parse_value(match["default"]),
        help=match["help"],
    )


def parse_value(text: str) -> Any:
    """A value as typed: JSON (numbers, true, false, null, lists, "quoted" strings), else text."""
    try:
        return json.loads(text, parse_constant=_reject)
    except ValueError:
        return text


def _reject(constant: str) -> Any:
    """NaN and Infinity stay text: JSON does not have them."""
    raise ValueError(constant)


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """`name=value` strings as a parameter map (values through `parse_value`)."""
    params: dict[str, Any] = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        if not equals or not name.strip():
            raise AuditError(f"parameter {pair!r} is not name=value")
        if name.strip() in params:
            raise AuditError(f"parameter {name.strip()!r} is given twice")
        params[name.strip()] = parse_value(text)
    return params


def bind(audit: Audit, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared parameter's value: given or default, checked against its declared type."""
    declared = {p.name: p for p in audit.parameters}
    for name in given:
        if name not in declared:
            hint = close_matches(name, declared, n=1)
            raise AuditError(
                f"audit {audit.name!r} has no parameter {name!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
                + f" (it takes {', '.join(p.describe() for p in audit.parameters)})"
            )
    bound: dict[str, Any] = {}
    for param in audit.parameters:
        value = given.get(param.name, param.default)
        if param.required and value is None:
            raise AuditError(
                f"audit {audit.name!r} needs parameter {param.name!r} ({param.type}: "
                f"{param.help.rstrip('.')}); pass it as {param.name}=VALUE"
            )
        if value is not None and not TYPE_CHECKS[param.type](value):
            raise AuditError(
                f"parameter {param.name!r} of audit {audit.name!r} must be of type "
                f"{param.type}, not {json.dumps(value)}"
                ' (quote strings that look like numbers: "2024"; write '
                'lists as JSON: ["a", "b"])'
            )
        bound[param.name] = value
    return bound

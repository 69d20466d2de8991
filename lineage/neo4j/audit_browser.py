"""`lineage audit NAME --browser`: an audit as text to paste into Neo4j Browser."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from lineage.neo4j.audits import Audit, AuditError

# Cypher's escapes for the characters a string literal cannot hold as they are.
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def cypher_literal(value: Any) -> str:
    """`value` (JSON-like: null, booleans, numbers, strings, lists, maps) as a Cypher literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AuditError(f"{value} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_escape(char) for char in value) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    if isinstance(value, Mapping):
        pairs = (f"`{str(k).replace('`', '``')}`: {cypher_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    raise AuditError(f"a {type(value).__name__} has no Cypher literal")


def _escape(char: str) -> str:
    """One character of a string literal, escaped if Cypher needs it to be."""
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
        return f"\\u{ord(char):04x}"
    return char


def browser_script(audit: Audit, bound: Mapping[str, Any]) -> str:
    """The `:param` commands that set the audit's parameters, then its query, unchanged (values
    appear in the `:param` lines only)."""
    lines = [
        f"// {audit.name}: {audit.title}",
        "// In Neo4j Browser run each :param line, then the query.",
        *(f":param {name} => {cypher_literal(value)}" for name, value in bound.items()),
        "",
        audit.query.rstrip().rstrip(";") + ";",
    ]
    return "\n".join(lines) + "\n"

"""The rule registry: every rule of the catalogue, looked up by code or by prefix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lineage.graph.lineage_graph import Kind, Node
from lineage.rules.engine.model import (
    GraphCheck,
    MessageFormat,
    NodeCheck,
    Rule,
    Severity,
    Violation,
)

_RULES: dict[str, Rule] = {}


class UnknownRuleError(KeyError):
    """A rule code or prefix that matches no rule."""


def _register(rule: Rule) -> None:
    if rule.code in _RULES:
        raise ValueError(f"rule {rule.code} is registered twice")
    if any(r.name == rule.name for r in _RULES.values()):
        raise ValueError(f"rule name {rule.name} is registered twice")
    _RULES[rule.code] = rule


def node_check(
    code: str,
    name: str,
    severity: Severity,
    *,
    kinds: tuple[Kind, ...],
    step_types: tuple[str, ...] = (),
    absorbs: tuple[str, ...] = (),
    **docs: str,
) -> Callable[[NodeCheck], NodeCheck]:
    """Register a node check that runs on nodes of `kinds` (and, for steps, of `step_types`)."""

    def decorate(check: NodeCheck) -> NodeCheck:
        applies = ", ".join(step_types) + " steps" if step_types else ", ".join(kinds)
        _register(
            Rule(
                code,
                name,
                severity,
                applies_to=applies,
                node_check=check,
                kinds=kinds,
                step_types=step_types,
                absorbs=absorbs,
                **_docs(docs),
            )
        )
        return check

    return decorate


def graph_rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    applies_to: str,
    message: MessageFormat | None = None,
    absorbs: tuple[str, ...] = (),
    **docs: str,
) -> Callable[[GraphCheck], GraphCheck]:
    """Register a graph rule: a query over the whole graph, its message built by `message`."""

    def decorate(check: GraphCheck) -> GraphCheck:
        _register(
            Rule(
                code,
                name,
                severity,
                applies_to=applies_to,
                graph_check=check,
                message=message,
                absorbs=absorbs,
                **_docs(docs),
            )
        )
        return check

    return decorate


def _docs(docs: dict[str, str]) -> dict[str, Any]:
    missing = {"summary", "rationale", "recommendation"} - docs.keys()
    if missing:
        raise ValueError(f"rule documentation lacks {sorted(missing)}")
    return docs


def violation(code: str, node: Node, args: dict[str, Any], pointer: str | None = None) -> Violation:
    """A graph rule's violation, its message formatted from `args` as on every backend."""
    message = _RULES[code].message
    assert message is not None, f"graph rule {code} has no message format"
    return Violation(node, message(args), pointer)


def all_rules() -> list[Rule]:
    """Every registered rule, by code."""
    _load_catalogue()
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> Rule:
    """The rule with `code` (case-insensitive) or `name`; UnknownRuleError otherwise."""
    _load_catalogue()
    wanted = code.strip()
    for rule in _RULES.values():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    raise UnknownRuleError(code)


def match_prefix(prefix: str) -> list[Rule]:
    """Rules whose code starts with `prefix` (`L`, `L3`, `L301`); UnknownRuleError if none."""
    found = [r for r in all_rules() if r.code.startswith(prefix.strip().upper())]
    if not found:
        raise UnknownRuleError(prefix)
    return found


def _load_catalogue() -> None:
    """Import the modules that define rules (once)."""
    from lineage.rules import catalogue  # noqa: F401

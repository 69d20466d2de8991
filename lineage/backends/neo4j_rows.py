"""The graph and findings as Neo4j rows: one list of property maps per label and relationship."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lineage.checks.model import Finding
from lineage.graph import Kind, LineageGraph, Rel

# Node properties that stay in memory: the raw step JSON may hold secrets.
MEMORY_ONLY = frozenset({"raw"})


def neo4j_value(value: Any) -> Any:
    """A value Neo4j can store: scalars and lists of scalars as they are, the rest as JSON."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def neo4j_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties fit for Neo4j: memory-only and null properties dropped."""
    return {
        k: neo4j_value(v)
        for k, v in sorted(props.items())
        if k not in MEMORY_ONLY and v is not None
    }


@dataclass(frozen=True)
class EdgeGroup:
    """Edges of one relationship type between two labels (one UNWIND query each)."""

    source: Kind
    rel: Rel
    target: Kind


def node_rows(graph: LineageGraph) -> dict[Kind, list[dict[str, Any]]]:
    """`{key, props}` rows per label."""
    rows: dict[Kind, list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes():
        rows[node.kind].append({"key": node.key, "props": neo4j_props(node.props)})
    return dict(rows)


def edge_rows(graph: LineageGraph) -> dict[EdgeGroup, list[dict[str, Any]]]:
    """`{source, target, arg, props}` rows per (label, type, label)."""
    rows: dict[EdgeGroup, list[dict[str, Any]]] = defaultdict(list)
    for edge in graph.edges():
        group = EdgeGroup(edge.source.kind, edge.rel, edge.target.kind)
        props = neo4j_props(edge.props)
        rows[group].append(
            {
                "source": edge.source.key,
                "target": edge.target.key,
                "arg": str(props.pop("arg", "")),
                "props": props,
            }
        )
    return dict(rows)


def finding_key(finding: Finding) -> str:
    """A finding's key: stable across scans, so re-loading the same scan changes nothing."""
    return f"{finding.code}/{finding.node}/{finding.pointer}"


def finding_rows(findings: list[Finding]) -> dict[Kind, list[dict[str, Any]]]:
    """Finding rows grouped by the label of the node each is about."""
    rows: dict[Kind, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        props = neo4j_props(finding.as_dict())
        props["pipeline_key"] = f"pipeline:{finding.pipeline}" if finding.pipeline else None
        rows[Kind(finding.kind)].append(
            {"key": finding_key(finding), "node": finding.node, "props": neo4j_props(props)}
        )
    return dict(rows)

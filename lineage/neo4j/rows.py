"""The graph and findings as Neo4j rows: one list of property maps per label and relationship.

Every node row carries a content hash of its properties and outgoing relationships, and its
number of outgoing relationships, so that a re-load writes only what changed. A node several
pipelines share carries the list of the pipelines that use it instead of the pipeline (and place)
where one of them first named it, so that loads of different pipelines agree on its content."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lineage.graph.lineage_graph import Kind, LineageGraph, Node, Rel, node_id
from lineage.rules.engine.model import Finding

# Node properties that stay in memory: the raw step JSON, where secrets were masked (`secrets`);
# `partial` marks a node read incompletely (its stored properties are updated, never replaced).
MEMORY_ONLY = frozenset({"raw", "partial", "secrets"})
# Nodes several pipelines may share (keyed by URI or name), unless a step of one produces them.
SHARED_KINDS = (Kind.ARTIFACT, Kind.MODEL_PACKAGE_GROUP)
# Where a pipeline first named a shared node: Neo4j keeps the pipelines using it instead.
SIGHTING = frozenset({"pipeline", "pointer"})


def is_shared(node: Node) -> bool:
    """Whether pipelines may share the node: a URI or a group name, not a step's output."""
    return node.kind in SHARED_KINDS and node.get("producer") is None


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


def content_hash(*parts: Any) -> str:
    """A stable digest of Neo4j-ready values (scalars, lists and sorted maps of them)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def edge_id(rel: str, target: Kind, target_key: str, arg: str) -> str:
    """How an outgoing relationship is told apart from its node's others (the same in Cypher:
    `type(r) + '|' + labels(m)[0] + '|' + m.key + '|' + r.arg`)."""
    return f"{rel}|{target.value}|{target_key}|{arg}"


def node_rows(
    graph: LineageGraph, edges: dict[EdgeGroup, list[dict[str, Any]]]
) -> dict[Kind, list[dict[str, Any]]]:
    """`{key, props, hash, degree, edges, pipelines, partial}` rows per label, given the graph's
    `edge_rows`: `edges` are the ids of the node's outgoing relationships, `degree` their number
    and `hash` covers them with the props; `pipelines` use a shared node (empty for the rest)."""
    outgoing: dict[str, dict[str, tuple[Any, ...]]] = defaultdict(dict)
    for group, rows in edges.items():
        for row in rows:
            ident = edge_id(group.rel.value, group.target, row["target"], row["arg"])
            outgoing[node_id(group.source, row["source"])][ident] = tuple(row["props"].items())
    users = pipeline_users(graph)
    nodes: dict[Kind, list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes():
        shared = is_shared(node)
        props = neo4j_props({k: v for k, v in node.props.items() if not (shared and k in SIGHTING)})
        mine = sorted(outgoing.get(node.id, {}).items())
        nodes[node.kind].append(
            {
                "key": node.key,
                "props": props,
                "hash": content_hash(node.key, props, mine),
                "degree": len(mine),
                "edges": [ident for ident, _ in mine],
                "pipelines": sorted(users.get(node.id, ())) if shared else [],
                "partial": bool(node.get("partial")),
            }
        )
    return dict(nodes)


def pipeline_users(graph: LineageGraph) -> dict[str, set[str]]:
    """The pipelines whose nodes link to each shared node, by node id."""
    users: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges():
        for this, other in ((edge.target, edge.source), (edge.source, edge.target)):
            pipeline = other.get("pipeline")
            if isinstance(pipeline, str) and is_shared(this):
                users[this.id].add(pipeline)
    return dict(users)


def edge_rows(graph: LineageGraph) -> dict[EdgeGroup, list[dict[str, Any]]]:
    """`{source, target, rel, arg, props}` rows per (label, type, label)."""
    rows: dict[EdgeGroup, list[dict[str, Any]]] = defaultdict(list)
    for edge in graph.edges():
        group = EdgeGroup(edge.source.kind, edge.rel, edge.target.kind)
        props = neo4j_props(edge.props)
        rows[group].append(
            {
                "source": edge.source.key,
                "target": edge.target.key,
                "rel": edge.rel.value,
                "arg": str(props.pop("arg", "")),
                "props": props,
            }
        )
    return dict(rows)


def finding_key(finding: Finding) -> str:
    """A finding's key: stable across scans, so re-loading the same scan changes nothing."""
    return f"{finding.code}/{finding.node}/{finding.pointer}"


def finding_rows(findings: list[Finding]) -> dict[Kind, list[dict[str, Any]]]:
    """Finding rows grouped by the label of the node each is about; like node rows, with the
    one outgoing relationship (ABOUT the node) in the hash and degree."""
    rows: dict[Kind, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        props = neo4j_props(finding.as_dict())
        props["pipeline_key"] = f"pipeline:{finding.pipeline}" if finding.pipeline else None
        props = neo4j_props(props)
        key = finding_key(finding)
        rows[Kind(finding.kind)].append(
            {
                "key": key,
                "node": finding.node,
                "props": props,
                "hash": content_hash(key, props, finding.kind, finding.node),
                "degree": 1,
            }
        )
    return dict(rows)

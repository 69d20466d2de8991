"""Read a lineage graph and its findings back from Neo4j: the whole graph, or a query's paths."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from neo4j import Driver, RoutingControl
from neo4j.graph import Node as Neo4jNode
from neo4j.graph import Path, Relationship

from lineage.graph.lineage_graph import Kind, LineageGraph, Rel
from lineage.graph.trace import KIND_NAMES
from lineage.rules.engine.model import Finding

REL_NAMES = frozenset(rel.value for rel in Rel)
STAMPS = frozenset(
    {"key", "content_hash", "last_scan_id", "last_scanned_at", "id", "lineage_props"}
)

NODES = (
    "MATCH (n) WHERE n.key IS NOT NULL AND NOT n:Finding "
    "RETURN labels(n) AS labels, properties(n) AS props"
)
RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) WHERE a.key IS NOT NULL AND b.key IS NOT NULL "
    "AND NOT a:Finding AND NOT b:Finding "
    "RETURN labels(a) AS a_labels, a.key AS a, type(r) AS type, properties(r) AS props, "
    "labels(b) AS b_labels, b.key AS b"
)
FINDINGS = "MATCH (f:Finding)-[:ABOUT]->(n) RETURN properties(f) AS props"


def _kind(labels: Iterable[str]) -> Kind | None:
    """The lineage kind among a node's labels (other tools may add labels of their own)."""
    return next((Kind(label) for label in labels if label in KIND_NAMES), None)


def _node_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in STAMPS}


def _read(driver: Driver, database: str, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(
        query, params, database_=database, routing_=RoutingControl.READ
    )
    return [record.data() for record in records]


def read_graph(driver: Driver, database: str) -> tuple[LineageGraph, list[Finding]]:
    """Every lineage node and relationship in the database, and the findings about them."""
    graph = LineageGraph()
    for row in _read(driver, database, NODES):
        kind = _kind(row["labels"])
        if kind is not None:
            graph.add_node(kind, row["props"]["key"], **_node_props(row["props"]))
    for row in _read(driver, database, RELATIONSHIPS):
        source, target = _kind(row["a_labels"]), _kind(row["b_labels"])
        if source and target and row["type"] in REL_NAMES:
            _link(graph, (source, row["a"]), row["type"], (target, row["b"]), row["props"])
    findings = [Finding.from_dict(row["props"]) for row in _read(driver, database, FINDINGS)]
    return graph, _about(graph, findings)


def read_query(driver: Driver, database: str, query: str) -> tuple[LineageGraph, list[Finding]]:
    """The lineage nodes and relationships a read-only Cypher query returns (paths included)."""
    records, _, _ = driver.execute_query(query, database_=database, routing_=RoutingControl.READ)
    graph = LineageGraph()
    relationships: list[Relationship] = []
    for record in records:
        for value in _graph_values(record.values()):
            if isinstance(value, Relationship):
                relationships.append(value)
            else:
                _add(graph, value)
    for rel in relationships:
        if rel.start_node is not None and rel.end_node is not None and rel.type in REL_NAMES:
            ends = [_add(graph, rel.start_node), _add(graph, rel.end_node)]
            if ends[0] and ends[1]:
                _link(graph, ends[0], rel.type, ends[1], dict(rel))
    findings = [Finding.from_dict(row["props"]) for row in _read(driver, database, FINDINGS)]
    return graph, _about(graph, findings)


def _graph_values(values: Iterable[Any]) -> Iterator[Neo4jNode | Relationship]:
    """Nodes and relationships in a record, looking inside paths, lists and maps."""
    for value in values:
        if isinstance(value, Neo4jNode | Relationship):
            yield value
        elif isinstance(value, Path):
            yield from value.nodes
            yield from value.relationships
        elif isinstance(value, list):
            yield from _graph_values(value)
        elif isinstance(value, dict):
            yield from _graph_values(value.values())


def _add(graph: LineageGraph, node: Neo4jNode) -> tuple[Kind, str] | None:
    """Add a Neo4j node that is a lineage node; its kind and key, or None."""
    kind, props = _kind(node.labels), dict(node)
    if kind is None or not isinstance(props.get("key"), str):
        return None
    graph.add_node(kind, props["key"], **_node_props(props))
    return kind, props["key"]


def _link(
    graph: LineageGraph,
    source: tuple[Kind, str],
    rel: str,
    target: tuple[Kind, str],
    props: dict[str, Any],
) -> None:
    if graph.has(*source) and graph.has(*target):
        extra = {k: v for k, v in props.items() if k not in STAMPS}
        graph.add_edge(graph.node(*source), Rel(rel), graph.node(*target), **extra)


def _about(graph: LineageGraph, findings: list[Finding]) -> list[Finding]:
    """The findings whose node is in `graph`, in report order."""
    kept = [f for f in findings if f.kind in KIND_NAMES and graph.has(Kind(f.kind), f.node)]
    return sorted(kept, key=Finding.sort_key)

"""The lineage graph: typed nodes with stable keys and typed edges over a networkx MultiDiGraph."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

import networkx as nx

T = TypeVar("T")


class Kind(StrEnum):
    """Node kinds; each is also the node's Neo4j label."""

    PIPELINE = "Pipeline"
    STEP = "Step"
    PARAMETER = "Parameter"
    PROPERTY_REF = "PropertyRef"
    ARTIFACT = "Artifact"
    MODEL_PACKAGE_GROUP = "ModelPackageGroup"
    MODEL_PACKAGE = "ModelPackage"
    PIPELINE_EXECUTION = "PipelineExecution"
    JOB = "Job"


class Rel(StrEnum):
    """Relationship types."""

    HAS_STEP = "HAS_STEP"
    HAS_PARAMETER = "HAS_PARAMETER"
    DEPENDS_ON = "DEPENDS_ON"
    RUNS_AFTER = "RUNS_AFTER"
    USES = "USES"
    RESOLVES_TO = "RESOLVES_TO"
    CONSUMES = "CONSUMES"
    PRODUCES = "PRODUCES"
    IF_TRUE = "IF_TRUE"
    IF_FALSE = "IF_FALSE"
    REGISTERS = "REGISTERS"
    IN_GROUP = "IN_GROUP"
    GENERATED_BY = "GENERATED_BY"
    RUN_OF = "RUN_OF"


def node_id(kind: Kind, key: str) -> str:
    """The networkx node id of a node: keys are unique per kind, ids across kinds."""
    return f"{kind.value}|{key}"


@dataclass(frozen=True)
class Node:
    """A read-only view of one node: its kind, key and properties."""

    kind: Kind
    key: str
    props: Mapping[str, Any]

    @property
    def id(self) -> str:
        """The networkx node id."""
        return node_id(self.kind, self.key)

    def get(self, name: str, default: Any = None) -> Any:
        """A property, or `default` when the node lacks it."""
        return self.props.get(name, default)


@dataclass(frozen=True)
class Edge:
    """A read-only view of one edge."""

    source: Node
    target: Node
    rel: Rel
    props: Mapping[str, Any]


class LineageGraph:
    """Pipelines, steps, references, artifacts and registry objects as one typed graph."""

    def __init__(self) -> None:
        self.nx: nx.MultiDiGraph = nx.MultiDiGraph()
        self._memo: dict[Any, Any] = {}

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()`, remembered under `key` until the graph next changes."""
        if key not in self._memo:
            self._memo[key] = compute()
        result: T = self._memo[key]
        return result

    def add_node(self, kind: Kind, key: str, **props: Any) -> Node:
        """Add a node or merge `props` into the existing one; return its view."""
        self._memo.clear()
        nid = node_id(kind, key)
        if nid in self.nx:
            self.nx.nodes[nid]["props"].update({k: v for k, v in props.items() if v is not None})
        else:
            self.nx.add_node(nid, kind=kind, key=key, props=props)
        return self.node(kind, key)

    def add_edge(self, source: Node, rel: Rel, target: Node, **props: Any) -> None:
        """Add a typed edge; the same (source, rel, target, arg) is stored once."""
        self._memo.clear()
        edge_key = f"{rel.value}:{props.get('arg', '')}"
        self.nx.add_edge(source.id, target.id, key=edge_key, rel=rel, **props)

    def has(self, kind: Kind, key: str) -> bool:
        """Whether a node of `kind` with `key` exists."""
        return node_id(kind, key) in self.nx

    def node(self, kind: Kind, key: str) -> Node:
        """The node of `kind` with `key` (KeyError when absent)."""
        return self._view(node_id(kind, key))

    def _view(self, nid: str) -> Node:
        data = self.nx.nodes[nid]
        return Node(data["kind"], data["key"], MappingProxyType(data["props"]))

    def nodes(self, kind: Kind | None = None) -> Iterator[Node]:
        """All nodes, or those of one kind, in key order."""

        def ids() -> list[str]:
            return sorted(n for n, k in self.nx.nodes(data="kind") if kind is None or k == kind)

        for nid in self.memo(("node ids", kind), ids):
            yield self._view(nid)

    def edges(self, rel: Rel | None = None) -> Iterator[Edge]:
        """All edges, or those of one type, in a stable order."""
        for u, v, data in sorted(self.nx.edges(data=True), key=_edge_sort_key):
            if rel is None or data["rel"] == rel:
                props = {k: val for k, val in data.items() if k != "rel"}
                yield Edge(self._view(u), self._view(v), data["rel"], props)

    def out(self, node: Node, rel: Rel) -> list[Node]:
        """Targets of `node`'s outgoing edges of type `rel`, in key order."""
        ids = {v for _, v, r in self.nx.out_edges(node.id, data="rel") if r == rel}
        return [self._view(v) for v in sorted(ids)]

    def out_edges(self, node: Node, rel: Rel) -> list[Edge]:
        """Outgoing edges of type `rel`, in a stable order."""
        found = [(u, v, d) for u, v, d in self.nx.out_edges(node.id, data=True) if d["rel"] == rel]
        return [
            Edge(self._view(u), self._view(v), rel, {k: x for k, x in d.items() if k != "rel"})
            for u, v, d in sorted(found, key=_edge_sort_key)
        ]

    def into(self, node: Node, rel: Rel) -> list[Node]:
        """Sources of `node`'s incoming edges of type `rel`, in key order."""
        ids = {u for u, _, r in self.nx.in_edges(node.id, data="rel") if r == rel}
        return [self._view(u) for u in sorted(ids)]

    def counts(self) -> dict[str, int]:
        """Number of nodes per kind and edges per type."""
        result: dict[str, int] = {}
        for _, kind in self.nx.nodes(data="kind"):
            result[kind.value] = result.get(kind.value, 0) + 1
        for _, _, rel in self.nx.edges(data="rel"):
            result[rel.value] = result.get(rel.value, 0) + 1
        return dict(sorted(result.items()))


def _edge_sort_key(edge: tuple[str, str, dict[str, Any]]) -> tuple[str, str, str, str]:
    u, v, data = edge
    return (u, data["rel"].value, v, str(data.get("arg", "")))
